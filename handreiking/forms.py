"""Forms for visitors: the search box."""

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import SearchDocument

MAX_QUERY_LENGTH = 200


class SearchForm(forms.Form):
    q = forms.CharField(label=_("Search the guide"), required=False, strip=True)
    kind = forms.ChoiceField(
        label=_("Type"),
        required=False,
        choices=[("", _("Everything")), *SearchDocument.Kind.choices],
    )

    def clean_q(self):
        # Long or odd input is cut politely rather than rejected: a teacher pasting a
        # whole message still gets results for its start.
        value = self.cleaned_data["q"].replace("\x00", " ")
        return " ".join(value.split())[:MAX_QUERY_LENGTH]

    def clean_kind(self):
        return self.cleaned_data.get("kind") or ""

    def full_clean(self):
        super().full_clean()
        # An unknown type is ignored (unfiltered results), never an error page.
        if "kind" in self.errors and self.data:
            data = self.data.copy()
            data["kind"] = ""
            self.data = data
            super().full_clean()
