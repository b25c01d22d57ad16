"""Forms for visitors: the search box.

It only draws the fields: the values a search page shows and searches for are read
once, by `page_parameters` (the same reading keys the page cache), never from the raw
query here.
"""

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import SearchDocument
from .page_parameters import MAX_QUERY_LENGTH


class SearchForm(forms.Form):
    q = forms.CharField(label=_("Search the guide"), required=False,
                        max_length=MAX_QUERY_LENGTH)
    kind = forms.ChoiceField(
        label=_("Type"),
        required=False,
        choices=[("", _("Everything")), *SearchDocument.Kind.choices],
    )
