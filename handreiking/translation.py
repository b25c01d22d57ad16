"""django-modeltranslation registrations, derived from the content schema (schema.py)."""

from modeltranslation.translator import TranslationOptions, translator

from .schema import TRANSLATED_MODELS, translated_fields

for _model in TRANSLATED_MODELS:
    translator.register(
        _model,
        type(f"{_model.__name__}TranslationOptions", (TranslationOptions,),
             {"fields": translated_fields(_model)}),
    )
