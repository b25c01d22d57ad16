"""Admin for editors: every model, both languages in tabs, and no silently lost edits."""

from __future__ import annotations

from contextlib import nullcontext
from contextvars import ContextVar
from datetime import datetime, timedelta

from django import forms
from django.contrib import admin
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.db import models
from django.db.models import Q
from django.forms.formsets import all_valid
from django.http import Http404, HttpResponseBadRequest
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from modeltranslation.admin import (
    TranslationAdmin,
    TranslationStackedInline,
    TranslationTabularInline,
)
from reversion.models import Version
from reversion_compare.admin import CompareVersionAdmin

from . import history, preview, publishing
from .files.synonyms import is_everyday_word, is_guide_phrase
from .locking import content_write_lock
from .models import (
    REVIEW_INTERVAL_DAYS,
    AgeGroup,
    Case,
    Chapter,
    GlossaryTerm,
    HelpOrganisation,
    Question,
    QuestionList,
    Section,
    Step,
    StepPlan,
    Synonym,
    Theme,
)
from .schema import DEFAULT_LANGUAGE, KINDS_BY_MODEL, LANGUAGES
from .search.analysis import words
from .text import normalise_text

PREVIEW = "_preview"  # the preview buttons' name; their value is the page's language

# Before any VersionAdmin below registers a model its own way (the admin is set up
# before this app's ready()).
history.register_content_models()

admin.site.site_header = _("Handreiking — editing")
admin.site.site_title = _("Handreiking — editing")
admin.site.index_title = _("The guide's content")


class NormalisedForm(forms.ModelForm):
    """Text normalised as content files are: CRLF from the browser, trailing spaces and
    decomposed letters never count as an edit, so an unchanged save is a no-op."""

    def clean(self):
        cleaned = super().clean()
        for name, value in cleaned.items():
            if isinstance(value, str):
                cleaned[name] = normalise_text(value)
        return cleaned


# Set while the admin shows or saves a restore. django-reversion writes the old version
# (inside a transaction) before the change form runs, which moves `updated_at`; the
# conflict check then compares with the item as it stood before that.
_restoring: ContextVar[history.Restore | None] = ContextVar("restoring", default=None)


class EditConflictForm(NormalisedForm):
    """Refuses a save when someone else saved the same item after this form was opened.

    Two editors (or an editor and `loadcontent`) working on one item must not
    overwrite each other without noticing; the second one is asked to reload.
    """

    edit_token = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            current = self._saved_at()
            self.fields["edit_token"].initial = current.isoformat() if current else ""

    def _saved_at(self) -> datetime | None:
        """When the item was last saved; None when there is nothing to compare with."""
        restoring = _restoring.get()
        if restoring is not None:
            if type(self.instance) is restoring.model and str(self.instance.pk) == restoring.pk:
                return restoring.saved_at
            return None  # its children come back with it: the item's own check guards them
        return (type(self.instance).objects.filter(pk=self.instance.pk)
                .values_list("updated_at", flat=True).first())

    def clean(self):
        cleaned = super().clean()
        if self.instance.pk:
            current = self._saved_at()
            token = cleaned.get("edit_token") or ""
            if current is not None and current.isoformat() != token:
                raise forms.ValidationError(
                    _("Someone else saved this item after you opened it. Open it again to see "
                      "their changes, then make yours; nothing was saved."),
                    code="edit_conflict",
                )
        return cleaned


class ReviewFilter(admin.SimpleListFilter):
    """What is overdue: never reviewed, or not for REVIEW_INTERVAL_DAYS."""

    title = _("review")
    parameter_name = "review"

    def lookups(self, request, model_admin):
        return [("overdue", _("Not reviewed for 12 months")), ("never", _("Never reviewed")),
                ("recent", _("Reviewed in the last 12 months"))]

    def queryset(self, request, queryset):
        cutoff = timezone.localdate() - timedelta(days=REVIEW_INTERVAL_DAYS)
        if self.value() == "overdue":
            return queryset.filter(Q(reviewed__isnull=True) | Q(reviewed__lt=cutoff))
        if self.value() == "never":
            return queryset.filter(reviewed__isnull=True)
        if self.value() == "recent":
            return queryset.filter(reviewed__gte=cutoff)
        return queryset


class EnglishMissingFilter(admin.SimpleListFilter):
    """Items with Dutch text whose English is empty (the item's own fields or its parts')."""

    title = _("English")
    parameter_name = "english"

    def lookups(self, request, model_admin):
        return [("missing", _("English missing")), ("complete", _("English complete"))]

    def queryset(self, request, queryset):
        if self.value() not in {"missing", "complete"}:
            return queryset
        missing = Q(pk__in=[])
        kind = KINDS_BY_MODEL[queryset.model]
        for name in kind.translated:
            if name not in kind.rendered.values():
                missing |= Q(**{f"{name}_{DEFAULT_LANGUAGE}__gt": ""}) & Q(**{f"{name}_en": ""})
        if kind.children:
            related = kind.children.related_name
            for name in kind.children.translated:
                missing |= (Q(**{f"{related}__{name}_{DEFAULT_LANGUAGE}__gt": ""})
                            & Q(**{f"{related}__{name}_en": ""}))
        matching = queryset.model.objects.filter(missing).values("pk")
        if self.value() == "missing":
            return queryset.filter(pk__in=matching)
        return queryset.exclude(pk__in=matching)


class PublishedWrites:
    """Admin writes as the site needs them: under the content writer's lock from their
    start (handreiking/locking.py), so the edit-conflict check and the save are one step
    and a bulk delete and its publish go together; then published (HTML, search, version).
    """

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        with self._writing(request):
            return super().changeform_view(request, object_id, form_url, extra_context)

    def delete_view(self, request, object_id, extra_context=None):
        with self._writing(request):
            return super().delete_view(request, object_id, extra_context)

    def changelist_view(self, request, extra_context=None):
        with self._writing(request):  # actions: bulk delete, "Vandaag gecontroleerd"
            return super().changelist_view(request, extra_context)

    @staticmethod
    def _writing(request):
        return content_write_lock() if request.method == "POST" else nullcontext()

    def _save_parts(self, request, form, formsets, change):
        """Many-to-many links and inlines, unpublished (also the preview's save)."""
        super().save_related(request, form, formsets, change)

    def save_related(self, request, form, formsets, change):
        self._save_parts(request, form, formsets, change)
        publishing.publish()

    def delete_model(self, request, obj):
        super().delete_model(request, obj)
        publishing.publish()  # a deleted term's links go from every text that had them

    def delete_queryset(self, request, queryset):
        super().delete_queryset(request, queryset)
        publishing.publish()


class ContentAdmin(PublishedWrites, CompareVersionAdmin, TranslationAdmin):
    """Both languages side by side ("title [nl]", "title [en]"), with history.

    Not modeltranslation's tabbed admin: that loads jQuery UI from a CDN, which the
    site's CSP (and its promise of no third-party requests) rules out.

    History is django-reversion's (what `history.py` registers): every save, with who
    and when, a diff between any two versions, and restoring one. A restore is saved
    through the change form, so it is published like any edit.
    """

    history_latest_first = True
    actions = ["mark_reviewed"]

    def get_list_display(self, request):
        return [*super().get_list_display(request), "reviewed"]

    def get_list_filter(self, request):
        return [*super().get_list_filter(request), ReviewFilter, EnglishMissingFilter]

    @admin.action(description=_("Mark as reviewed today"), permissions=["change"])
    def mark_reviewed(self, request, queryset):
        """Today's date on each item (shown on its page; `exportcontent` writes it to the
        files). `updated_at` moves too, so a form opened before cannot undo the mark."""
        count = queryset.update(reviewed=timezone.localdate(), updated_at=timezone.now())
        publishing.publish()
        self.message_user(request, ngettext("%(count)d item marked as reviewed today.",
                                            "%(count)d items marked as reviewed today.",
                                            count) % {"count": count})

    form = EditConflictForm
    search_fields = ["slug", "title_nl", "title_en"]
    readonly_fields = ["source_path", "updated_at"]
    prepopulated_fields = {"slug": ("title_nl",)}
    list_display = ["title", "slug", "order", "updated_at"]
    # A website typed without scheme is https (Django 6's default, chosen now).
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}

    def __init__(self, model, admin_site):
        super().__init__(model, admin_site)
        self.compare_exclude = history.compare_exclude(model)  # the diff shows the text only

    # --- Preview: "Voorbeeld" buttons in the change form (admin/handreiking/submit_line.html)

    def add_view(self, request, form_url="", extra_context=None):
        if request.method == "POST" and PREVIEW in request.POST:
            return self._preview(request, None)
        return super().add_view(request, form_url, self._with_preview(extra_context))

    def change_view(self, request, object_id, form_url="", extra_context=None):
        if request.method == "POST" and PREVIEW in request.POST:
            return self._preview(request, object_id)
        return super().change_view(request, object_id, form_url,
                                   self._with_preview(extra_context))

    def _with_preview(self, extra_context):
        languages = LANGUAGES if preview.has_public_page(self.model) else []
        return {**(extra_context or {}), "preview_languages": languages}

    def _preview(self, request, object_id):
        """The form's unsaved values on the item's public page (nothing is saved)."""
        language = request.POST[PREVIEW]
        if language not in LANGUAGES or not preview.has_public_page(self.model):
            return HttpResponseBadRequest(_("There is no preview in that language."))
        obj = self.get_object(request, unquote(object_id)) if object_id else None
        if object_id and obj is None:
            raise Http404
        allowed = (self.has_change_permission(request, obj) if obj
                   else self.has_add_permission(request))
        if not allowed:
            raise PermissionDenied
        form = self.get_form(request, obj, change=obj is not None)(
            request.POST, request.FILES, instance=obj)
        form_valid = form.is_valid()
        formsets, _inlines = self._create_formsets(request, form.instance,
                                                   change=obj is not None)
        if not (form_valid and all_valid(formsets)):
            errors = [*form.non_field_errors(),
                      *(f"{form.fields[name].label}: {' '.join(messages)}"
                        for name, messages in form.errors.items() if name in form.fields)]
            for formset in formsets:
                errors += formset.non_form_errors()
                errors += [message for inline_form in formset.forms
                           for messages in inline_form.errors.values() for message in messages]
            return TemplateResponse(request, "admin/handreiking/preview_invalid.html", {
                **self.admin_site.each_context(request), "title": _("No preview"),
                "errors": errors, "opts": self.model._meta,
            }, status=200)

        def save():
            item = self.save_form(request, form, change=obj is not None)
            self.save_model(request, item, form, change=obj is not None)
            self._save_parts(request, form, formsets, change=obj is not None)
            return item

        return preview.preview_response(request, save, language)

    def _save_parts(self, request, form, formsets, change):
        super()._save_parts(request, form, formsets, change)
        restoring = _restoring.get()
        if restoring is not None:
            restoring.keep_bookkeeping()

    def revision_view(self, request, object_id, version_id, extra_context=None):
        return self._restoring(version_id, super().revision_view, request, object_id,
                               version_id, extra_context)

    def recover_view(self, request, version_id, extra_context=None):
        return self._restoring(version_id, super().recover_view, request, version_id,
                               extra_context)

    def _restoring(self, version_id, view, *args):
        request = args[0]
        if request.method == "POST" and PREVIEW in request.POST:
            return HttpResponseBadRequest(_("A restore has no preview: its text was "
                                            "published before."))
        with self._writing(request):  # the item as it stands, then the restore
            return self._restore(version_id, view, *args)

    def _restore(self, version_id, view, *args):
        version = Version.objects.get_for_model(self.model).filter(pk=version_id).first()
        if version is None:
            return view(*args)  # reversion's own 404
        token = _restoring.set(history.Restore.of(version))
        try:
            return view(*args)
        finally:
            _restoring.reset(token)


class SynonymForm(NormalisedForm):
    """The rules content/synonyms.yml follows (files.synonyms), said in the editor's language."""

    class Meta:
        model = Synonym
        fields = ["language", "word", "means"]

    def clean_word(self):
        word = self.cleaned_data["word"].strip()
        if not is_everyday_word(word):
            raise forms.ValidationError(_("Write one plain word, in lowercase and without "
                                          "accents (letters and digits), as people type it."),
                                        code="everyday_word")
        return word

    def clean_means(self):
        means = self.cleaned_data["means"].strip()
        if not is_guide_phrase(means):
            raise forms.ValidationError(_("Write the guide's own word, or at most four of its "
                                          "words."), code="guide_phrase")
        return means

    def clean(self):
        cleaned = super().clean()
        word, means = cleaned.get("word"), cleaned.get("means")
        if word and means and words(word) == words(means):
            raise forms.ValidationError(_("The everyday word is the guide's word itself; a "
                                          "synonym needs another word."), code="same_word")
        return cleaned


@admin.register(Synonym)
class SynonymAdmin(PublishedWrites, CompareVersionAdmin):
    """Everyday words people search with, and the guide's words they stand for.

    Saved and deleted under the writer's lock and published (search reads synonyms when
    it rebuilds), with history, and guarded like content: the loader will not overwrite
    a synonym edited here (`loaded_means`), and `exportcontent` writes it to the file.
    """

    form = SynonymForm
    list_display = ["word", "means", "language"]
    list_filter = ["language"]
    search_fields = ["word", "means"]
    ordering = ["language", "means", "word"]
    history_latest_first = True
    compare_exclude = ["loaded_means"]



@admin.register(AgeGroup)
class AgeGroupAdmin(ContentAdmin):
    list_display = ["title", "slug", "min_age", "max_age", "school_groups"]


@admin.register(Theme)
class ThemeAdmin(ContentAdmin):
    pass


@admin.register(GlossaryTerm)
class GlossaryTermAdmin(ContentAdmin):
    list_display = ["title", "slug", "aliases", "updated_at"]
    search_fields = [*ContentAdmin.search_fields, "aliases_nl", "body_nl", "body_en"]
    autocomplete_fields = ["related"]


@admin.register(HelpOrganisation)
class HelpOrganisationAdmin(ContentAdmin):
    list_display = ["title", "category", "website", "phone", "in_appendix", "contact_checked"]
    list_filter = ["category", "in_appendix"]
    actions = [*ContentAdmin.actions, "mark_contact_checked"]

    @admin.action(description=_("Contact details checked today"), permissions=["change"])
    def mark_contact_checked(self, request, queryset):
        count = queryset.update(contact_checked=timezone.localdate(), updated_at=timezone.now())
        publishing.publish()
        self.message_user(request, ngettext(
            "%(count)d organisation's contact details marked as checked today.",
            "%(count)d organisations' contact details marked as checked today.",
            count) % {"count": count})
    search_fields = [*ContentAdmin.search_fields, "body_nl", "website"]


class SectionInline(TranslationStackedInline):
    model = Section
    form = EditConflictForm
    extra = 0
    # edit_token must be rendered, or every unchanged save looks like a conflict.
    fields = ["order", "slug", "title", "show_title", "body", "age_groups", "themes",
              "edit_token"]
    filter_horizontal = ["age_groups", "themes"]
    show_change_link = True


@admin.register(Chapter)
class ChapterAdmin(ContentAdmin):
    list_display = ["number", "title", "slug", "updated_at"]
    inlines = [SectionInline]


@admin.register(Section)
class SectionAdmin(ContentAdmin):
    list_display = ["title", "chapter", "order", "show_title", "updated_at"]
    list_filter = ["chapter", "age_groups", "themes", "show_title"]
    list_select_related = ["chapter"]
    search_fields = [*ContentAdmin.search_fields, "body_nl", "body_en"]
    filter_horizontal = ["age_groups", "themes"]


@admin.register(Case)
class CaseAdmin(ContentAdmin):
    list_display = ["title", "name", "age", "updated_at"]
    list_filter = ["age_groups", "themes"]
    search_fields = [*ContentAdmin.search_fields, "name", "story_nl", "advice_nl"]
    filter_horizontal = ["age_groups", "themes"]
    autocomplete_fields = ["chapter", "terms", "organisations"]


class QuestionInline(TranslationTabularInline):
    model = Question
    form = NormalisedForm
    extra = 0
    fields = ["order", "text"]


@admin.register(QuestionList)
class QuestionListAdmin(ContentAdmin):
    list_display = ["title", "kind", "chapter", "section", "updated_at"]
    list_filter = ["kind", "chapter", "age_groups", "themes"]
    list_select_related = ["chapter", "section"]
    filter_horizontal = ["age_groups", "themes"]
    autocomplete_fields = ["chapter", "section"]
    inlines = [QuestionInline]


class StepInline(TranslationStackedInline):
    model = Step
    form = NormalisedForm
    extra = 0
    fields = ["order", "title", "body"]


@admin.register(StepPlan)
class StepPlanAdmin(ContentAdmin):
    list_display = ["title", "kind", "chapter", "updated_at"]
    list_filter = ["kind", "chapter", "age_groups"]
    list_select_related = ["chapter"]
    filter_horizontal = ["age_groups", "themes"]
    autocomplete_fields = ["chapter", "section", "organisations"]
    inlines = [StepInline]
