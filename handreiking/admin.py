"""Admin for editors: every model, both languages in tabs, and no silently lost edits."""

from __future__ import annotations

from django import forms
from django.contrib import admin
from django.db import models
from django.utils.translation import gettext_lazy as _
from modeltranslation.admin import (
    TranslationAdmin,
    TranslationStackedInline,
    TranslationTabularInline,
)

from . import publishing
from .models import (
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
    Theme,
)
from .text import normalise_text

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


class EditConflictForm(NormalisedForm):
    """Refuses a save when someone else saved the same item after this form was opened.

    Two editors (or an editor and `loadcontent`) working on one item must not
    overwrite each other without noticing; the second one is asked to reload.
    """

    edit_token = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["edit_token"].initial = self.instance.updated_at.isoformat()

    def clean(self):
        cleaned = super().clean()
        if self.instance.pk:
            current = (
                type(self.instance).objects.filter(pk=self.instance.pk)
                .values_list("updated_at", flat=True).first()
            )
            token = cleaned.get("edit_token") or ""
            if current is not None and current.isoformat() != token:
                raise forms.ValidationError(
                    _("Someone else saved this item after you opened it. Open it again to see "
                      "their changes, then make yours; nothing was saved."),
                    code="edit_conflict",
                )
        return cleaned


class ContentAdmin(TranslationAdmin):
    """Both languages side by side ("title [nl]", "title [en]").

    Not modeltranslation's tabbed admin: that loads jQuery UI from a CDN, which the
    site's CSP (and its promise of no third-party requests) rules out.
    """

    form = EditConflictForm
    search_fields = ["slug", "title_nl", "title_en"]
    readonly_fields = ["source_path", "updated_at"]
    prepopulated_fields = {"slug": ("title_nl",)}
    list_display = ["title", "slug", "order", "updated_at"]
    # A website typed without scheme is https (Django 6's default, chosen now).
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        publishing.publish()  # HTML, search and the content version, inlines included

    def delete_model(self, request, obj):
        super().delete_model(request, obj)
        publishing.publish()  # a deleted term's links go from every text that had them

    def delete_queryset(self, request, queryset):
        super().delete_queryset(request, queryset)
        publishing.publish()


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
    filter_horizontal = ["related"]


@admin.register(HelpOrganisation)
class HelpOrganisationAdmin(ContentAdmin):
    list_display = ["title", "category", "website", "phone", "in_appendix"]
    list_filter = ["category", "in_appendix"]
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
    filter_horizontal = ["age_groups", "themes", "terms", "organisations"]


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
    filter_horizontal = ["age_groups", "themes", "organisations"]
    inlines = [StepInline]
