"""Theme pages (issue #21): everything on a theme, no dead ends, parts named as shown."""

import re
from http import HTTPStatus

import pytest
from django.utils import translation

from handreiking.models import Section, Theme
from handreiking.selectors import part_links

pytestmark = pytest.mark.django_db
LANGUAGES = ("nl", "en")


PART_LINK = re.compile(r'<li><a href="(/[^"#]+/)#([a-z0-9-]+)">(.*?)</a></li>')


def assert_named_by_headings_their_pages_show(client, html: str, where: str) -> int:
    """Every link to a part of a chapter in `html` lands on an anchor its page has, and is
    named by a heading (h1/h2) shown on that page. Returns how many links were checked."""
    checked = 0
    for path, anchor, label in PART_LINK.findall(html):
        if "-stap-" in anchor:  # a step of a plan: named by the plan, checked elsewhere
            continue
        target = client.get(path).content.decode()
        assert f'id="{anchor}"' in target, (where, anchor)
        heading = re.sub(r"<[^>]+>", "", label).split(" — ")[-1].split(". ", 1)[-1]
        headings = [re.sub(r"<[^>]+>", "", h) for h in
                    re.findall(r"<h[12][^>]*>(.*?)</h[12]>", target, flags=re.S)]
        assert any(heading.strip() in h for h in headings), (where, heading)
        checked += 1
    return checked


def theme_links(html: str, language: str) -> set[str]:
    prefix = "/nl/themas/" if language == "nl" else "/en/themes/"
    return set(re.findall(rf'href="({re.escape(prefix)}[a-z0-9-]+/)"', html))


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_theme_link_on_the_home_page_leads_to_a_full_theme_page(client, loaded, language):
    home = client.get(f"/{language}/").content.decode()
    links = theme_links(home, language)
    assert len(links) == Theme.objects.count() == 10
    for link in links:
        page = client.get(link)
        assert page.status_code == HTTPStatus.OK, link
        text = page.content.decode()
        assert text.count('class="app-occurrences"') + text.count("app-card--case") >= 1, link
        assert "Nothing on this theme" not in text and "Er is niets over dit thema" not in text


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_part_on_a_theme_page_is_named_by_a_heading_its_target_shows(
        client, loaded, language):
    for theme in Theme.objects.all():
        with translation.override(language):
            page = client.get(theme.get_absolute_url()).content.decode()
        checked = assert_named_by_headings_their_pages_show(client, page, theme.slug)
        assert checked or theme.section_set.count() == 0, theme.slug


def test_an_untitled_part_is_named_by_the_nearest_shown_heading_above_it(loaded):
    untitled = Section.objects.filter(show_title=False).select_related("chapter").first()
    assert untitled is not None
    (link,) = part_links([untitled])
    assert link.named_by != untitled
    if isinstance(link.named_by, Section):
        assert link.named_by.show_title
        assert link.named_by.order <= untitled.order
    assert link.anchor == untitled.slug


def test_the_age_filter_narrows_a_theme_page_and_says_what_it_hid(client, loaded):
    all_ages = client.get("/nl/themas/naaktbeelden/").content.decode()
    young = client.get("/nl/themas/naaktbeelden/?age=kleuters").content.decode()
    assert young.count("<li") < all_ages.count("<li")
    assert "voor een andere leeftijdsgroep en zijn verborgen" in young or \
        "voor een andere leeftijdsgroep en is verborgen" in young
    assert 'href="/nl/hoofdstukken/' in young and "?age=kleuters#" in young


def test_an_unknown_theme_is_a_friendly_404(client, loaded):
    response = client.get("/nl/themas/bestaat-niet/")
    assert response.status_code == HTTPStatus.NOT_FOUND
    assert "zoeken" in response.content.decode().lower()


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_glossarys_appears_in_names_parts_by_headings_their_page_shows(
        client, loaded, language):
    from handreiking.models import GlossaryTerm

    for term in GlossaryTerm.objects.all():
        with translation.override(language):
            page = client.get(term.get_absolute_url()).content.decode()
        block = page.split('class="app-occurrences"', 1)[-1].split("</ul>", 1)[0]
        assert_named_by_headings_their_pages_show(client, block, term.slug)


def test_search_shows_an_untitled_part_under_the_heading_its_page_shows(client, loaded):
    from handreiking.models import SearchDocument

    untitled = Section.objects.filter(show_title=False).select_related("chapter")
    documents = SearchDocument.objects.filter(kind=SearchDocument.Kind.SECTION, language="nl")
    for section in untitled:
        document = documents.get(url=section.get_absolute_url())
        (link,) = part_links([section])
        assert document.title == link.named_by.title != section.title


def test_an_alias_the_title_already_says_is_not_listed_again(client, loaded):
    page = client.get("/en/glossary/wraakporno/").content.decode()
    assert "Revenge porn (wraakporno)" in page
    assert "The guide also uses:" not in page
    assert "Also: revenge porn" not in client.get("/en/glossary/").content.decode()
    sexting = client.get("/nl/begrippen/sexting/").content.decode()
    assert "sext<" not in sexting and "De handreiking gebruikt ook" not in sexting


def test_the_reading_checks_small_points_hold(client, loaded):
    """Issue #21's smaller points: each case has its link, the pupil's plan no school
    advice, chapter summaries for all chapters or none, the tips' card its origin."""
    from handreiking.models import Chapter

    chapter = client.get("/nl/hoofdstukken/wat-kinderen-online-tegenkomen/").content.decode()
    assert 'href="/nl/casussen/xavi/"' in chapter
    victim = client.get("/nl/stappenplannen/wat-kan-een-slachtoffer-doen/").content.decode()
    assert "wijkagent" not in victim and "Als school" not in victim
    summaries = {bool(summary) for summary in Chapter.objects.values_list("summary", flat=True)}
    assert len(summaries) == 1
    plans = client.get("/nl/stappenplannen/").content.decode()
    assert "Uit de bijlage van de handreiking, voor kinderen" in plans


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_sites_reassurance_is_the_guides_own_words(client, loaded, language):
    """Advice and reassurance come from the booklet (issue #21): the footer quotes the
    incident plan word for word, and no template adds its own comfort."""
    from handreiking.models import StepPlan

    home = client.get(f"/{language}/").content.decode()
    footer = home.split('class="app-footer__lead"', 1)[1].split("</p>", 1)[0]
    quote = re.search(r'<a href="[^"]+">(.*?)</a>', footer)[1]
    plan = StepPlan.objects.get(slug="bij-een-incident")
    steps = " ".join(getattr(step, f"body_{language}") for step in plan.steps.all())
    assert quote in steps
    with translation.override(language):
        tips = client.get(StepPlan.objects.get(kind="child-tips").get_absolute_url())
    assert "dapper" not in tips.content.decode() and "brave" not in tips.content.decode()
