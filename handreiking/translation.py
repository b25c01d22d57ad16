"""django-modeltranslation registrations: which fields have a Dutch and an English value."""

from modeltranslation.translator import TranslationOptions, register

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


@register(AgeGroup)
class AgeGroupTranslationOptions(TranslationOptions):
    fields = ("title", "school_groups", "description")


@register(Theme)
class ThemeTranslationOptions(TranslationOptions):
    fields = ("title", "description")


@register(GlossaryTerm)
class GlossaryTermTranslationOptions(TranslationOptions):
    fields = ("title", "aliases", "body", "body_html")


@register(HelpOrganisation)
class HelpOrganisationTranslationOptions(TranslationOptions):
    fields = ("title", "body", "body_html")


@register(Chapter)
class ChapterTranslationOptions(TranslationOptions):
    fields = ("title", "summary", "body", "body_html")


@register(Section)
class SectionTranslationOptions(TranslationOptions):
    fields = ("title", "body", "body_html")


@register(Case)
class CaseTranslationOptions(TranslationOptions):
    fields = ("title", "summary", "story", "story_html", "advice", "advice_html")


@register(QuestionList)
class QuestionListTranslationOptions(TranslationOptions):
    fields = ("title", "body", "body_html")


@register(Question)
class QuestionTranslationOptions(TranslationOptions):
    fields = ("text", "text_html")


@register(StepPlan)
class StepPlanTranslationOptions(TranslationOptions):
    fields = ("title", "body", "body_html")


@register(Step)
class StepTranslationOptions(TranslationOptions):
    fields = ("title", "body", "body_html")
