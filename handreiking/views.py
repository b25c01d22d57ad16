"""Thin views: fetch with a fixed number of queries, filter by age group, render a template."""

from __future__ import annotations

import sys
from collections import OrderedDict

from django.conf import settings
from django.core.paginator import Paginator
from django.db import DatabaseError
from django.db.models import Q
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_safe

from . import page_parameters
from . import search as site_search
from .agefilter import fits, selected_age_group
from .forms import SearchForm
from .models import (
    Case,
    Chapter,
    GlossaryTerm,
    HelpOrganisation,
    QuestionList,
    SearchDocument,
    Section,
    Step,
    StepPlan,
    Theme,
)
from .page_parameters import AGE, KIND, PAGE, QUERY, RESULTS_PER_PAGE, THEME, reads
from .schema import LANGUAGES
from .selectors import PLAN_PREFETCH, QUESTION_PREFETCH, chapter_outline, part_links, theme_page


def _plans():
    return StepPlan.objects.select_related("chapter").prefetch_related(*PLAN_PREFETCH)


@reads(AGE)
@require_safe
def home(request):
    plans = list(StepPlan.objects.filter(kind__in=["incident", "victim", "prevention"]))
    context = {
        "chapters": Chapter.objects.all(),
        "themes": Theme.objects.all(),
        "incident_plans": plans,
        "acute_organisations": HelpOrganisation.objects.filter(category="acute"),
        "meta_description": _(
            "A guide for primary-school teachers: talking with children about their online "
            "lives, relationships and sexuality, and acting well when something goes wrong."
        ),
    }
    return render(request, "handreiking/home.html", context)


@reads(AGE)
@require_safe
def chapter_list(request):
    return render(request, "handreiking/chapter_list.html",
                  {"chapters": Chapter.objects.all()})


@reads(AGE)
@require_safe
def chapter_detail(request, slug):
    chapter = get_object_or_404(Chapter, slug=slug)
    outline = chapter_outline(chapter, selected_age_group(request))
    numbers = list(Chapter.objects.values_list("number", "slug", "title_nl", "title_en"))
    context = {
        "chapter": chapter,
        "blocks": outline.blocks,
        "cases": outline.cases,
        "hidden_count": outline.hidden_count,
        "previous": _neighbour(numbers, chapter.number, -1, request),
        "next": _neighbour(numbers, chapter.number, +1, request),
    }
    return render(request, "handreiking/chapter_detail.html", context)


def _neighbour(numbers, current, step, request):
    """The previous/next chapter from (number, slug, titles) tuples, without another query."""
    ordered = sorted(numbers)
    index = next(i for i, row in enumerate(ordered) if row[0] == current)
    other = index + step
    if not 0 <= other < len(ordered):
        return None
    number, slug, title_nl, title_en = ordered[other]
    title = title_en if request.LANGUAGE_CODE == "en" and title_en else title_nl
    return {"number": number, "slug": slug, "title": title}


@reads(AGE, THEME)
@require_safe
def case_list(request):
    age = selected_age_group(request)
    themes = list(Theme.objects.all())
    chosen = page_parameters.of(request).get(THEME)
    theme = next((t for t in themes if t.slug == chosen), None)
    cases = [
        case
        for case in Case.objects.prefetch_related("age_groups", "themes")
        if fits(age, case.age_groups.all())
        and (theme is None or theme in case.themes.all())
    ]
    context = {"cases": cases, "themes": themes, "selected_theme": theme}
    return render(request, "handreiking/case_list.html", context)


@reads(AGE)
@require_safe
def case_detail(request, slug):
    case = get_object_or_404(
        Case.objects.select_related("chapter").prefetch_related(
            "age_groups", "themes", "terms", "organisations"
        ),
        slug=slug,
    )
    return render(request, "handreiking/case_detail.html", {"case": case})


@reads(AGE)
@require_safe
def theme_detail(request, slug):
    theme = get_object_or_404(Theme, slug=slug)
    page = theme_page(theme, selected_age_group(request))
    return render(request, "handreiking/theme_detail.html", {"page": page, "theme": theme})


@reads(AGE)
@require_safe
def glossary(request):
    terms = list(GlossaryTerm.objects.all())
    letters: OrderedDict[str, list] = OrderedDict()
    for term in sorted(terms, key=lambda t: t.title.casefold()):
        letters.setdefault(term.title[:1].upper(), []).append(term)
    alphabet = [chr(c) for c in range(ord("A"), ord("Z") + 1)]
    return render(request, "handreiking/glossary.html",
                  {"letters": letters, "alphabet": alphabet})


@reads(AGE)
@require_safe
def glossary_detail(request, slug):
    term = get_object_or_404(GlossaryTerm.objects.prefetch_related("related"), slug=slug)
    occurrences = {
        # Named by the heading the reader will see there, not an untitled part's own title.
        "parts": part_links(list(Section.objects.select_related("chapter")
                                 .filter(_links_to(term, "body_html"))
                                 .order_by("chapter__number", "order"))),
        "cases": Case.objects.filter(_links_to(term, "story_html", "advice_html")
                                     | Q(terms=term)).distinct(),
        "steps": Step.objects.select_related("plan").filter(_links_to(term, "body_html")),
    }
    return render(request, "handreiking/glossary_detail.html",
                  {"term": term, "occurrences": occurrences})


def _links_to(term: GlossaryTerm, *fields: str) -> Q:
    """Rows whose text links this term in either language: the same list on both sites."""
    marker = f'data-term="{term.slug}"'
    condition = Q()
    for name in fields:
        for code in LANGUAGES:
            condition |= Q(**{f"{name}_{code}__contains": marker})
    return condition


@reads(AGE)
@require_safe
def organisation_list(request):
    organisations = list(HelpOrganisation.objects.all())
    groups = []
    for value, label in HelpOrganisation.Category.choices:
        members = [o for o in organisations if o.category == value]
        if members:
            groups.append({"slug": value, "label": label, "organisations": members})
    return render(request, "handreiking/organisation_list.html", {"groups": groups})


@reads(AGE)
@require_safe
def stepplan_list(request):
    return render(request, "handreiking/stepplan_list.html",
                  {"plans": StepPlan.objects.select_related("chapter")})


@reads(AGE)
@require_safe
def stepplan_detail(request, slug):
    plan = get_object_or_404(_plans().exclude(kind=StepPlan.Kind.CHILD_TIPS), slug=slug)
    return render(request, "handreiking/stepplan_detail.html", {"plan": plan})


@reads(AGE)
@require_safe
def child_tips(request):
    plan = _plans().filter(kind=StepPlan.Kind.CHILD_TIPS).first()
    if plan is None:
        raise Http404(_("The tips for children have not been loaded."))
    context = {
        "plan": plan,
        "acute_organisations": HelpOrganisation.objects.filter(category="acute"),
    }
    return render(request, "handreiking/child_tips.html", context)


@reads(AGE)
@require_safe
def questionlist_list(request):
    age = selected_age_group(request)
    lists = [
        question_list
        for question_list in QuestionList.objects.select_related("chapter", "section")
        .prefetch_related(*QUESTION_PREFETCH)
        if fits(age, question_list.age_groups.all())
    ]
    return render(request, "handreiking/questionlist_list.html", {"question_lists": lists})


@reads(AGE, QUERY, KIND, PAGE)
@require_safe
def search(request):
    parameters = page_parameters.of(request)
    query, kind = parameters.get(QUERY, ""), parameters.get(KIND)
    form = SearchForm(initial={"q": query, "kind": kind or ""})
    age = selected_age_group(request)
    results = None
    page = None
    if query:
        results = site_search.search(query, language=request.LANGUAGE_CODE,
                                     age_group=age.slug if age else None, kind=kind)
        page = Paginator(results.hits, RESULTS_PER_PAGE).get_page(parameters.page_number)
        site_search.attach_snippets([*page.object_list, results.definition])
    nothing_found = not page or not results.hits
    context = {
        "form": form,
        "results": results,
        "page": page,
        "query": query,
        "kind": kind or "",
        "hide_header_search": True,
        "suggested_terms": GlossaryTerm.objects.all()[:8] if nothing_found else [],
        "acute_organisations": HelpOrganisation.objects.filter(category="acute")
        if nothing_found else [],
    }
    return render(request, "handreiking/search.html", context)


@reads(QUERY)
@require_safe
def search_suggestions(request):
    """JSON for the search box's suggestions (static/js/suggest.js); cached like a page.

    It echoes the query as the cache keys it (normalised), never the raw text typed.
    """
    typed = page_parameters.of(request).get(QUERY, "")
    kinds = dict(SearchDocument.Kind.choices)
    suggestions = [{**suggestion.as_json(), "kind_label": str(kinds[suggestion.kind])}
                   for suggestion in site_search.suggest(typed, language=request.LANGUAGE_CODE)]
    response = JsonResponse({"query": typed, "suggestions": suggestions})
    response["X-Robots-Tag"] = "noindex"
    return response


@cache_control(max_age=86400)
def robots_txt(request):
    sitemap = request.build_absolute_uri("/sitemap.xml")
    lines = ["User-agent: *"]
    if settings.ADMIN_URL == "admin/":  # a path of its own is not announced here
        lines.append("Disallow: /admin/")
    lines.append(f"Sitemap: {sitemap}")
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain")


def page_not_found(request, exception=None):
    return render(request, "404.html", status=404)


def server_error(request):
    """500, or a friendly 503 when the cause is the database being away or locked.

    Runs while the exception is being handled (also one raised in a middleware), and
    renders without the database: both pages are plain templates.
    """
    if isinstance(sys.exc_info()[1], DatabaseError):
        response = render(request, "503.html", status=503)
        response["Retry-After"] = "30"
        return response
    return render(request, "500.html", status=500)
