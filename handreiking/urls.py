"""URLs: language-prefixed pages (/nl/…, /en/…), plus admin, sitemap and robots.txt."""

from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.contrib.sitemaps.views import sitemap
from django.urls import include, path
from django.utils.translation import gettext_lazy as _
from django.views.generic import RedirectView

from . import views
from .sitemaps import SITEMAPS

site_patterns = [
    path("", views.home, name="home"),
    path(_("chapters/"), views.chapter_list, name="chapter-list"),
    path(_("chapters/<slug:slug>/"), views.chapter_detail, name="chapter-detail"),
    path(_("cases/"), views.case_list, name="case-list"),
    path(_("cases/<slug:slug>/"), views.case_detail, name="case-detail"),
    path(_("themes/<slug:slug>/"), views.theme_detail, name="theme-detail"),
    path(_("glossary/"), views.glossary, name="glossary"),
    path(_("glossary/<slug:slug>/"), views.glossary_detail, name="glossary-detail"),
    path(_("help/"), views.organisation_list, name="organisation-list"),
    path(_("step-plans/"), views.stepplan_list, name="stepplan-list"),
    path(_("step-plans/<slug:slug>/"), views.stepplan_detail, name="stepplan-detail"),
    path(_("tips-for-children/"), views.child_tips, name="child-tips"),
    path(_("discussion-questions/"), views.questionlist_list, name="questionlist-list"),
    path(_("search/"), views.search, name="search"),
    path(_("search/suggestions/"), views.search_suggestions, name="search-suggestions"),
]

urlpatterns = [
    path("", RedirectView.as_view(url="/nl/", permanent=False)),
    path(settings.ADMIN_URL, admin.site.urls),
    path("robots.txt", views.robots_txt, name="robots-txt"),
    path("sitemap.xml", sitemap, {"sitemaps": SITEMAPS},
         name="django.contrib.sitemaps.views.sitemap"),
]
urlpatterns += i18n_patterns(path("", include((site_patterns, "handreiking"))))

handler404 = "handreiking.views.page_not_found"
handler500 = "handreiking.views.server_error"
