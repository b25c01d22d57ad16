"""Reading by age without losing the thread (issue 12).

The chapter outline keeps the source's order under every age filter and never filters
general text away; the age groups follow the guide's words; only the victim's steps are
"Stap"s; no heading is left empty; every reference the reader is asked to follow is a
link; glossary terms are linked only where the text means them.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser
from http import HTTPStatus

import pytest
from django.conf import settings
from django.utils import translation

from handreiking.files.loader import load_content
from handreiking.models import (
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
)
from handreiking.selectors import chapter_outline

pytestmark = pytest.mark.django_db

AGES = [None, "kleuters", "middenbouw", "bovenbouw"]
CHAPTER_URL = {"nl": "/nl/hoofdstukken/{}/", "en": "/en/chapters/{}/"}
CASE_URL = {"nl": "/nl/casussen/{}/", "en": "/en/cases/{}/"}


def _main(html: str) -> str:
    return html.split('id="main-content"', 1)[1].split("</main>", 1)[0]


def _without_tooltips(html: str) -> str:
    return re.sub(r'<span class="app-term__definition"[^>]*>.*?</span>', " ", html, flags=re.S)


def _text(html: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def _group(slug):
    return AgeGroup.objects.get(slug=slug) if slug else None


def _fits(age, item) -> bool:
    slugs = {group.slug for group in item.age_groups.all()}
    return age is None or not slugs or age.slug in slugs


# --- 1. The outline keeps every item in its place -------------------------------------------------


def _flatten(outline) -> list[tuple[str, str]]:
    parts = []
    for block in outline.blocks:
        if block.section:
            parts.append(("section", block.section.slug))
        parts += [(attachment.kind, attachment.item.slug) for attachment in block.items]
    return parts


def _source_order(chapter) -> list[tuple[str, str]]:
    """The chapter as the source has it, built without the selector: each section, then
    the lists and the plans placed after it; lists and plans after no section last."""
    sections = list(chapter.sections.order_by("order", "title"))
    after: dict[int | None, list] = {}
    for question_list in chapter.question_lists.order_by("order", "title"):
        after.setdefault(question_list.section_id, []).append(("questions", question_list.slug))
    for plan in chapter.step_plans.order_by("order", "title"):
        after.setdefault(plan.section_id, []).append(("plan", plan.slug))
    parts = []
    for section in sections:
        parts.append(("section", section.slug))
        parts += after.pop(section.pk, [])
    for rest in after.values():
        parts += rest
    return parts


def _items(chapter) -> dict[tuple[str, str], object]:
    items = {("section", s.slug): s for s in chapter.sections.all()}
    items |= {("questions", q.slug): q for q in chapter.question_lists.all()}
    items |= {("plan", p.slug): p for p in chapter.step_plans.all()}
    return items


def _check_outline(chapter, age) -> None:
    source = _source_order(chapter)
    items = _items(chapter)
    shown = _flatten(chapter_outline(chapter, age))
    # Exactly the parts for this age, in the source's relative order.
    assert set(shown) == {part for part in source if _fits(age, items[part])}, chapter
    assert shown == [part for part in source if part in set(shown)], (chapter, age)
    # An attached list or plan follows the nearest visible section at or before its own,
    # and no later section: it never jumps past a section that comes after it.
    for index, part in enumerate(shown):
        if part[0] == "section":
            continue
        item = items[part]
        if item.section_id is None:
            continue
        own = source.index(("section", item.section.slug))
        expected = next((s for s in reversed(source[: own + 1])
                         if s[0] == "section" and s in shown), None)
        before = next((s for s in reversed(shown[:index]) if s[0] == "section"), None)
        assert before == expected, (chapter.slug, age and age.slug, part)


@pytest.mark.parametrize("age", AGES)
def test_every_chapter_keeps_the_source_order_under_every_filter(loaded, age):
    group = _group(age)
    for chapter in Chapter.objects.all():
        _check_outline(chapter, group)


def test_unfiltered_outline_is_the_source_order(loaded):
    for chapter in Chapter.objects.all():
        assert _flatten(chapter_outline(chapter, None)) == _source_order(chapter), chapter


def test_a_list_for_an_age_group_follows_a_section_shown_for_that_age(loaded):
    """The attachment is right in the content: no list hangs off a section it outlives."""
    for item in [*QuestionList.objects.all(), *StepPlan.objects.all()]:
        if item.section is None:
            continue
        for age in AgeGroup.objects.all():
            if _fits(age, item):
                assert _fits(age, item.section), (item.slug, item.section.slug, age.slug)


def test_bovenbouw_situations_stay_between_young_children_and_emojis(loaded):
    chapter = Chapter.objects.get(slug="themas-in-de-klas")
    shown = _flatten(chapter_outline(chapter, _group("bovenbouw")))
    situations = shown.index(("questions", "situaties-respectvolle-omgangsvormen-bovenbouw"))
    assert shown.index(("section", "respectvolle-omgangsvormen")) < situations
    assert situations < shown.index(("section", "emojis-en-respectvolle-omgangsvormen"))
    everything = _flatten(chapter_outline(chapter, None))
    situations = everything.index(("questions", "situaties-respectvolle-omgangsvormen-bovenbouw"))
    assert everything.index(("section", "respectvolle-omgangsvormen-jonge-kinderen")) < situations


def _replace(path, old, new):
    text = path.read_text(encoding="utf-8")
    assert old in text, (path, old)
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_lists_and_plans_moved_up_keep_their_order_and_never_fall_to_the_end(content_dir):
    """A list after a hidden section moves up behind the visible section's own plan; one
    after a hidden first section goes before the first visible section."""
    chapter_four = "chapters/04-themas-in-de-klas/"
    _replace(content_dir / "step-plans/01-wat-kan-een-slachtoffer-doen.md",
             "section: vormen-en-gevolgen-van-online-grensoverschrijdend-gedrag",
             "section: naaktbeelden-onderbouw")
    _replace(content_dir / "questions/05-vragen-sexting-bovenbouw.md",
             "age_groups: [bovenbouw]\n", "")
    _replace(content_dir / "questions/03-vragen-online-grensoverschrijdend-gedrag.md",
             "chapter: themas-in-de-klas\nsection: online-grensoverschrijdend-gedrag",
             "chapter: online-leven-van-een-kind\nsection: 0-6-jaar")
    assert (content_dir / chapter_four / "14-sexting-bovenbouw.md").exists()
    load_content(root=content_dir)

    four = Chapter.objects.get(slug="themas-in-de-klas")
    shown = _flatten(chapter_outline(four, _group("kleuters")))
    onderbouw = shown.index(("section", "naaktbeelden-onderbouw"))
    assert shown[onderbouw + 1:onderbouw + 3] == [("plan", "wat-kan-een-slachtoffer-doen"),
                                                  ("questions", "vragen-sexting-bovenbouw")]
    assert shown[-1] == ("section", "positief-zelfbeeld-en-lichaamsbeeld")

    two = Chapter.objects.get(slug="online-leven-van-een-kind")
    assert _flatten(chapter_outline(two, _group("bovenbouw"))) == [
        ("questions", "vragen-online-grensoverschrijdend-gedrag"), ("section", "7-12-jaar")]
    for chapter in (four, two):
        for age in AGES:
            _check_outline(chapter, _group(age))


# --- General text is never filtered away; hidden parts are counted --------------------------------


@pytest.mark.parametrize("language", ["nl", "en"])
@pytest.mark.parametrize("age", AGES)
def test_general_text_shows_under_every_filter(client, loaded, age, language):
    for chapter in Chapter.objects.all():
        response = client.get(CHAPTER_URL[language].format(chapter.slug),
                              {"age": age} if age else {})
        assert response.status_code == HTTPStatus.OK
        html = _main(response.content.decode())
        intro = getattr(chapter, f"body_html_{language}")
        if intro:
            assert intro in html, chapter
        for section in chapter.sections.filter(age_groups=None):
            assert f'id="{section.slug}"' in html, (chapter, section)
            assert getattr(section, f"body_html_{language}") in html
        for case in chapter.cases.all():
            assert f'id="casus-{case.slug}"' in html, (age, case)
            assert getattr(case, f"advice_html_{language}") in html


def test_chapter_three_keeps_the_general_advice_and_labels_each_case(client, loaded):
    html = _main(client.get(CHAPTER_URL["nl"].format("wat-kinderen-online-tegenkomen"),
                            {"age": "bovenbouw"}).content.decode())
    assert "Beelden kunnen grote gevolgen hebben voor kinderen" in html  # Xavi's advice
    xavi = html.split('id="casus-xavi"', 1)[1].split("</article>", 1)[0]
    assert "Kleuters · groep 1–2" in xavi
    middenbouw = client.get(CHAPTER_URL["nl"].format("wat-kinderen-online-tegenkomen"),
                            {"age": "middenbouw"})
    assert middenbouw.context["hidden_count"] == 0
    assert middenbouw.content.decode().count('class="app-case"') == 5
    assert "app-filter__notice" not in middenbouw.content.decode()


def test_the_case_library_still_filters(client, loaded):
    cases = client.get("/nl/casussen/", {"age": "middenbouw"}).context["cases"]
    assert cases == []


@pytest.mark.parametrize("age", AGES[1:])
def test_hidden_parts_are_counted_and_show_all_is_offered(client, loaded, age):
    group = _group(age)
    for chapter in Chapter.objects.all():
        items = _items(chapter)
        hidden = sum(1 for item in items.values() if not _fits(group, item))
        response = client.get(CHAPTER_URL["nl"].format(chapter.slug), {"age": age})
        html = response.content.decode()
        assert response.context["hidden_count"] == hidden, (chapter, age)
        if hidden:
            notice = html.split('class="app-filter__notice">', 1)[1].split("</p>", 1)[0]
            assert re.match(rf"{hidden} (deel|delen) van dit hoofdstuk", notice), notice
            assert '<a href="?">Alle leeftijden tonen</a>' in notice
        else:
            assert "app-filter__notice" not in html


# --- 2. Age groups that match the guide's words ---------------------------------------------------

# The map documented in content/README.md: the guide's words -> the groups they mean.
GUIDE_WORDS = [
    ("0–6 jaar", {"kleuters"}),
    ("7–12 jaar", {"middenbouw", "bovenbouw"}),
    ("bovenbouw", {"bovenbouw"}),
    ("onderbouw", {"kleuters", "middenbouw"}),
    ("jonge kinderen", {"kleuters", "middenbouw"}),
]


def _groups_named_in(title: str) -> set[str] | None:
    for words, groups in GUIDE_WORDS:
        if words in title.lower():
            return groups
    return None


def test_tags_follow_the_guide_words_in_each_title(loaded):
    for item in [*Section.objects.all(), *QuestionList.objects.all(), *StepPlan.objects.all()]:
        tags = {group.slug for group in item.age_groups.all()}
        named = _groups_named_in(item.title_nl)
        if named is None:
            assert not tags, f"{item.slug} is tagged {tags} but its title names no age"
        else:
            assert tags == named, (item.slug, tags, named)


def test_age_ranges_are_ordered_and_each_case_fits_its_group(loaded):
    groups = list(AgeGroup.objects.order_by("min_age"))
    assert [g.slug for g in groups] == ["kleuters", "middenbouw", "bovenbouw"]
    for lower, upper in zip(groups, groups[1:], strict=False):
        assert lower.max_age + 1 == upper.min_age, (lower, upper)
    for case in Case.objects.all():
        for group in case.age_groups.all():
            assert group.min_age <= case.age <= group.max_age, (case, group)


@pytest.mark.parametrize(("language", "years"), [("nl", "jaar"), ("en", "years")])
def test_the_filter_shows_the_groups_and_ages_of_each_option(client, loaded, language, years):
    html = client.get(CHAPTER_URL[language].format("themas-in-de-klas"),
                      {"age": "middenbouw"}).content.decode()
    for group in AgeGroup.objects.all():
        with translation.override(language):
            label = (f"{group.title} ({group.school_groups}, "
                     f"{group.min_age}–{group.max_age} {years})")
        assert f'value="{group.slug}"' in html
        assert re.search(rf'value="{group.slug}"( selected)?>{re.escape(label)}</option>', html)
    with translation.override(language):
        description = AgeGroup.objects.get(slug="middenbouw").description
    assert description and description in html
    assert 'aria-describedby="age-filter-description"' in html


# --- 3. No "Stap" numbering the source doesn't have -----------------------------------------------


@pytest.mark.parametrize(("language", "step"), [("nl", "Stap"), ("en", "Step")])
def test_only_the_victim_steps_are_numbered_steps(client, loaded, language, step):
    for plan in StepPlan.objects.exclude(kind="child-tips"):
        with translation.override(language):
            url = plan.get_absolute_url()
        html = _main(client.get(url).content.decode())
        steps = plan.steps.count()
        if plan.kind == "victim":
            assert '<ol class="app-step-nav">' in html
            for number in range(1, steps + 1):
                assert (f'<span class="app-visually-hidden">{step} </span>{number}'
                        in html), (plan.slug, number)
        else:  # the school plans: headed policy points, unnumbered in the source
            assert '<ul class="app-step-nav">' in html and "<ol class=\"app-step-nav\"" not in html
            assert "app-step-nav__number" not in html, plan.slug
            assert f">{step} <" not in html and f"{step} 1" not in html, plan.slug
            assert html.count('class="app-step-nav__step"') == steps


@pytest.mark.parametrize(("language", "path", "step"),
                         [("nl", "/nl/tips-voor-kinderen/", "Stap"),
                          ("en", "/en/tips-for-children/", "Step")])
def test_the_tips_for_children_are_numbered_tips_not_steps(client, loaded, language, path,
                                                           step):
    html = _main(client.get(path).content.decode())
    assert f"{step} " not in _text(html).replace("Step plans", "")
    numbers = re.findall(r'<span class="app-step-nav__number">(\d+)<', html)
    assert numbers == [str(n) for n in range(1, 7)]


@pytest.mark.parametrize("language", ["nl", "en"])
@pytest.mark.parametrize("slug", ["incidenten-voorkomen", "bij-een-incident"])
def test_a_plan_that_is_the_whole_chapter_is_titled_once(client, loaded, language, slug):
    chapter = Chapter.objects.get(slug=slug)
    plan = chapter.step_plans.get()
    with translation.override(language):
        title = chapter.title
        assert plan.title == title
        points = [step.title for step in plan.steps.all()]
    html = _main(client.get(CHAPTER_URL[language].format(slug)).content.decode())
    assert html.count(title) == 1  # the page heading only: not in the contents, no h2
    contents = html.split('class="app-contents__list"', 1)[1].split("</ol>", 1)[0]
    assert re.findall(r'class="app-contents__link" href="#[^"]+">([^<]+)<', contents) == points
    for step in plan.steps.all():
        assert f'href="#{plan.slug}-stap-{step.order}"' in contents
        assert f'id="{plan.slug}-stap-{step.order}"' in html
    assert re.findall(r'<h2 class="app-step-nav__title">([^<]+)</h2>', html) == points
    assert "app-step-nav__number" not in html


# --- 5. No empty headings -------------------------------------------------------------------------


class _Outline(HTMLParser):
    """Headings with the text that follows each until the next heading of its level.

    A step's title is the step itself (some steps are one sentence), so it is not a
    heading that needs text under it.
    """

    def __init__(self):
        super().__init__()
        self.headings: list[list] = []  # [level, title, text after]
        self.in_heading = None

    def handle_starttag(self, tag, attrs):
        if re.fullmatch(r"h[1-6]", tag):
            self.in_heading = [int(tag[1]), "", ""]
            if dict(attrs).get("class") != "app-step-nav__title":
                self.headings.append(self.in_heading)

    def handle_endtag(self, tag):
        if re.fullmatch(r"h[1-6]", tag):
            self.in_heading = None

    def handle_data(self, data):
        if self.in_heading is not None:
            self.in_heading[1] += data
        elif self.headings:
            self.headings[-1][2] += data


def empty_headings(html: str) -> list[str]:
    parser = _Outline()
    parser.feed(_main(html))
    empty = []
    for index, (level, title, text) in enumerate(parser.headings):
        following = [text]
        for next_level, _title, next_text in parser.headings[index + 1:]:
            if next_level <= level:
                break
            following.append(next_text)
        if not "".join(following).strip():
            empty.append(title.strip())
    return empty


def test_the_empty_heading_check_finds_an_empty_heading():
    html = ('<main id="main-content"><h2>Wie kan helpen?</h2><p><a>Alle</a></p>'
            "<h2>Leeg</h2>\n<h2>Vol</h2><h3>Sub</h3><p>x</p></main>")
    assert empty_headings(html) == ["Leeg"]


@pytest.mark.parametrize("language", ["nl", "en"])
def test_no_page_of_a_case_chapter_or_plan_has_an_empty_heading(client, loaded, language):
    paths = [CASE_URL[language].format(case.slug) for case in Case.objects.all()]
    paths += [CHAPTER_URL[language].format(chapter.slug) for chapter in Chapter.objects.all()]
    with translation.override(language):
        paths += [plan.get_absolute_url() for plan in StepPlan.objects.all()]
    for path in paths:
        for age in AGES:
            html = client.get(path, {"age": age} if age else {}).content.decode()
            assert empty_headings(html) == [], path


@pytest.mark.parametrize(("language", "heading"), [("nl", "Wie kan helpen?"),
                                                    ("en", "Who can help?")])
def test_who_can_help_lists_the_organisations_the_guide_names(client, loaded, language,
                                                              heading):
    for case in Case.objects.prefetch_related("organisations"):
        html = _main(client.get(CASE_URL[language].format(case.slug)).content.decode())
        organisations = list(case.organisations.all())
        if organisations:
            help_part = html.split(f">{heading}</h2>", 1)[1]
            assert help_part.count('class="app-card app-card--organisation') == len(organisations)
        else:
            assert heading not in html, case
    named = {case.slug: {o.slug for o in case.organisations.all()} for case in Case.objects.all()}
    assert "offlimits" in named["tess"]  # grooming: Offlimits, as the guide says
    assert "offlimits" in named["ezra"]  # removing an account or images: Offlimits
    assert "offlimits" in named["janna"]
    assert named["xavi"] == set()  # the guide names no organisation for Xavi's situation


# --- 4. Every reference the reader is asked to follow is a link -----------------------------------

DANGLING = {
    "nl": [r"\blees\b[^.]{0,40}\bhier\b", r"\bhier meer\b", r"\blees meer\b", r"\bklik hier\b",
           r"\bdeze (tips|aflevering|video|filmpje|link|pagina|website|brochure)\b",
           r"\bdit (filmpje|stappenplan|artikel|overzicht)\b",
           r"\bhoofdstuk (een|twee|drie|vier|vijf|zes|zeven|\d)\b",
           r"\bmeer tips voor ouders:"],
    "en": [r"\bread more\b", r"\b(read|look|click|find)\b[^.]{0,20}\bhere\b",
           r"\bthese tips\b", r"\bthis (episode|video|step-by-step plan|page|brochure)\b",
           r"\bchapter (one|two|three|four|five|six|seven|\d)\b",
           r"\bmore tips for parents:"],
}


def _rendered_texts(language: str):
    fields = [
        (Chapter, "body_html"), (Section, "body_html"), (Case, "story_html"),
        (Case, "advice_html"), (QuestionList, "body_html"), (Question, "text_html"),
        (StepPlan, "body_html"), (Step, "body_html"), (GlossaryTerm, "body_html"),
        (HelpOrganisation, "body_html"),
    ]
    for model, name in fields:
        for obj in model.objects.all():
            yield f"{model.__name__} {obj.pk} {name}", getattr(obj, f"{name}_{language}") or ""


def dangling_references(html: str, language: str) -> list[str]:
    """Pointer phrases left in the text once every link (and its words) is removed."""
    text = _text(re.sub(r"<a\b[^>]*>.*?</a>", " [link] ", _without_tooltips(html), flags=re.S))
    return [m.group(0) for pattern in DANGLING[language]
            for m in re.finditer(pattern, text, re.IGNORECASE)]


def test_the_dangling_reference_check_finds_one():
    assert dangling_references("<p>Lees hier meer informatie.</p>", "nl") == [
        "Lees hier", "hier meer"]
    assert dangling_references('<p>Lees <a href="/x">hier</a> meer.</p>', "nl") == []
    assert dangling_references("<p>Take the steps in chapter six.</p>", "en") == ["chapter six"]


@pytest.mark.parametrize("language", ["nl", "en"])
def test_no_reference_promises_a_link_it_does_not_have(loaded, language):
    found = {where: hits for where, html in _rendered_texts(language)
             if (hits := dangling_references(html, language))}
    assert found == {}


@pytest.mark.parametrize("language", ["nl", "en"])
def test_links_to_this_site_in_the_text_work_and_stay_in_their_language(client, loaded,
                                                                        language):
    internal = set()
    for _where, html in _rendered_texts(language):
        for href in re.findall(r'href="(/[^"]*)"', html):
            internal.add(href)
    assert "/nl/hoofdstukken/bij-een-incident/" in internal or language == "en"
    assert "/en/chapters/bij-een-incident/" in internal or language == "nl"
    for href in internal:
        assert href.startswith(f"/{language}/"), href
        assert client.get(href).status_code == HTTPStatus.OK, href


def test_chapter_six_is_linked_from_chapter_seven(loaded):
    section = Section.objects.get(slug="reageren-als-een-leerling-iets-naars-meemaakte")
    assert '<a href="/nl/hoofdstukken/bij-een-incident/">hoofdstuk zes</a>' in section.body_html_nl
    assert '<a href="/en/chapters/bij-een-incident/">chapter six</a>' in section.body_html_en


# --- 6. Glossary links only where the text means the term -----------------------------------------


def _links(html: str, term: str) -> list[str]:
    return re.findall(rf'data-term="{term}"[^>]*>([^<]+)</a>', html)


def test_hate_speech_is_not_linked_to_incitement_to_hatred(loaded):
    assert "haatspraak" not in GlossaryTerm.objects.get(slug="haatzaaien").alias_list
    risks = Section.objects.get(slug="online-risicos")
    assert "haatspraak" in risks.body_html_nl
    assert 'data-term="haatzaaien"' not in risks.body_html_nl
    assert 'data-term="haatzaaien"' not in risks.body_html_en
    # Where the guide does say haatzaaien, it is still linked.
    assert _links(Section.objects.get(slug="gendergelijkheid").body_html_nl,
                  "haatzaaien") == ["haatzaaien"]


def test_sexting_abuse_is_not_linked_to_consensual_sexting(loaded):
    for slug in ("vormen-en-gevolgen-van-online-grensoverschrijdend-gedrag",
                 "sexting-consent-en-schuld-bovenbouw"):
        section = Section.objects.get(slug=slug)
        assert "sexting-misbruik" in section.body_html_nl
        assert "sexting abuse" in section.body_html_en
        for language in ("nl", "en"):
            assert _links(getattr(section, f"body_html_{language}"), "sexting") == [], slug
    # Where the text is about sexting itself, the term is linked.
    assert _links(Section.objects.get(slug="sexting-bovenbouw").body_html_nl,
                  "sexting") == ["sexting"]


def test_janna_story_defines_deepfake_itself_so_it_is_not_linked(loaded):
    janna = Case.objects.get(slug="janna")
    for language in ("nl", "en"):
        story = getattr(janna, f"story_html_{language}")
        assert "‘deepfake’" in story
        assert "data-term" not in story
        assert _links(getattr(janna, f"advice_html_{language}"), "deepfakes") == ["Deepfakes"]


def test_no_escape_mark_reaches_a_page(loaded):
    for language in ("nl", "en"):
        for where, html in _rendered_texts(language):
            assert "nolink" not in html and "{." not in html, where


# --- 7. Categories --------------------------------------------------------------------------------


def test_mind_korrelatie_is_advice_not_victim_support(client, loaded):
    mind = HelpOrganisation.objects.get(slug="mind-korrelatie")
    assert mind.category == HelpOrganisation.Category.INFORMATION
    groups = {g["slug"]: [o.slug for o in g["organisations"]]
              for g in client.get("/nl/hulp/").context["groups"]}
    assert "mind-korrelatie" in groups["information"]
    assert "mind-korrelatie" not in groups.get("victim-support", [])


@pytest.mark.parametrize(("language", "step"), [("nl", "Stap"), ("en", "Step")])
def test_search_calls_no_point_or_tip_a_step(client, loaded, language, step):
    """A school plan's points and the children's tips are not steps (issue #21), in search
    results and in its type filter; a school plan's checklist speaks of points."""
    path = "/nl/zoeken/" if language == "nl" else "/en/search/"
    for query in ("beleid evalueren", "tips voor kinderen", "bewijs bewaren"):
        html = _main(client.get(path, {"q": query}).content.decode())
        assert f">{step} ·" not in html and f"{step} · " not in _text(html), query
        assert f'<option value="step">{step}</option>' not in html
    with translation.override(language):
        plan = StepPlan.objects.get(slug="bij-een-incident")
        checklist = _main(client.get(plan.get_absolute_url()).content.decode())
    assert ("punten" if language == "nl" else "points") in checklist


@pytest.mark.parametrize("language", ["nl", "en"])
def test_without_a_filter_an_age_part_is_a_bordered_labelled_region(client, loaded, language):
    """Where an age-labelled part ends is visible and announced (issue #21)."""
    from handreiking.models import Section

    aged = [s for s in Section.objects.select_related("chapter").prefetch_related("age_groups")
            if s.age_groups.exists()]
    assert aged
    for section in aged:
        with translation.override(language):
            html = client.get(section.chapter.get_absolute_url()).content.decode()
        opening = re.search(rf'<section class="([^"]*)" id="{section.slug}"([^>]*)>', html)
        assert opening, section.slug
        assert "app-section--aged" in opening[1]
        assert "aria-labelledby=" in opening[2] or "aria-label=" in opening[2], section.slug
    general = Section.objects.filter(age_groups__isnull=True).first()
    html = client.get(general.chapter.get_absolute_url()).content.decode()
    assert re.search(rf'<section class="app-section" id="{general.slug}"', html)
    print_css = (settings.BASE_DIR / "static/css/print.css").read_text()
    assert ".app-section--aged" in print_css
