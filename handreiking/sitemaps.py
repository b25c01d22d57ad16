"""sitemap.xml with Dutch and English alternates for every public page."""

from django.conf import settings
from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from .models import Case, Chapter, GlossaryTerm, StepPlan, Theme


class _I18nSitemap(Sitemap):
    i18n = True
    alternates = True
    x_default = True

    def _urls(self, page, protocol, domain):
        """Django's x-default drops the language prefix (`/hoofdstukken/`), which 404s here:
        every page lives under a language. Point x-default at the Dutch page instead."""
        urls = super()._urls(page, protocol, domain)
        for url in urls:
            dutch = next((a["location"] for a in url["alternates"]
                          if a["lang_code"] == settings.LANGUAGE_CODE), None)
            for alternate in url["alternates"]:
                if alternate["lang_code"] == "x-default" and dutch:
                    alternate["location"] = dutch
        return urls


class StaticPageSitemap(_I18nSitemap):
    def items(self):
        return ["home", "chapter-list", "case-list", "glossary", "organisation-list",
                "stepplan-list", "questionlist-list", "child-tips"]

    def location(self, item):
        return reverse(f"handreiking:{item}")


class ChapterSitemap(_I18nSitemap):
    def items(self):
        return Chapter.objects.all()


class CaseSitemap(_I18nSitemap):
    def items(self):
        return Case.objects.all()


class GlossarySitemap(_I18nSitemap):
    def items(self):
        return GlossaryTerm.objects.all()


class ThemeSitemap(_I18nSitemap):
    def items(self):
        return Theme.objects.all()


class StepPlanSitemap(_I18nSitemap):
    def items(self):
        return StepPlan.objects.exclude(kind=StepPlan.Kind.CHILD_TIPS)


SITEMAPS = {
    "pages": StaticPageSitemap,
    "chapters": ChapterSitemap,
    "cases": CaseSitemap,
    "glossary": GlossarySitemap,
    "step-plans": StepPlanSitemap,
    "themes": ThemeSitemap,
}
