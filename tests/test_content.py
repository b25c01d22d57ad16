"""The shipped guide is complete and clean: counts, required texts, no PDF artefacts."""

import re

import pytest

from handreiking.models import (
    AgeGroup,
    Case,
    Chapter,
    GlossaryTerm,
    HelpOrganisation,
    Section,
    StepPlan,
    Theme,
)

from .conftest import REAL_CONTENT

pytestmark = pytest.mark.django_db

ARTEFACTS = {
    "\u2022": "PDF bullet",
    "\ufffd": "replacement character",
    "\u00ad": "soft hyphen",
    "\u2028": "line separator",
    "| Handreiking voor leerkrachten": "page footer",
    "http://\n": "stray URL fragment",
}


def test_counts_per_type(loaded):
    assert Chapter.objects.count() == 7
    assert list(Case.objects.order_by("age", "name").values_list("name", "age")) == [
        ("Xavi", 6), ("Tess", 10), ("Janna", 11), ("Ezra", 12), ("Jasmijn", 12)]
    assert GlossaryTerm.objects.count() == 19
    assert HelpOrganisation.objects.filter(in_appendix=True).count() == 16
    assert HelpOrganisation.objects.count() >= 16
    assert StepPlan.objects.get(kind="victim").steps.count() == 10
    incident = StepPlan.objects.get(kind="incident")
    assert [s.title for s in incident.steps.all()][0] == "Bepaal omvang en impact"
    assert [s.title for s in incident.steps.all()][-1] == "Evalueer"
    assert incident.steps.count() == 8
    assert StepPlan.objects.get(kind="prevention").steps.count() == 3
    assert StepPlan.objects.get(kind="child-tips").steps.count() == 6
    assert Section.objects.filter(chapter__number=7).count() == 4


def test_every_case_has_story_and_advice(loaded):
    for case in Case.objects.all():
        assert len(case.story_nl) > 200, case
        assert len(case.advice_nl) > 200, case
        assert case.summary_nl


@pytest.mark.parametrize(("case", "advice_start"), [
    ("xavi", "Beelden kunnen grote gevolgen"),
    ("tess", "Deze man maakt duidelijk misbruik"),
    ("janna", "Deepfakes hebben een grote impact"),
    ("jasmijn", "Het gebruiken van persoonlijke foto"),
    ("ezra", "‘Gossip girl’ is een 15 jaar oude"),
])
def test_advice_matches_its_case(loaded, case, advice_start):
    assert Case.objects.get(slug=case).advice_nl.startswith(advice_start)


def test_every_term_and_organisation_is_described(loaded):
    assert all(len(t.body_nl) > 30 for t in GlossaryTerm.objects.all())
    assert all(len(o.body_nl) > 20 for o in HelpOrganisation.objects.all())
    aliases = GlossaryTerm.objects.get(slug="cyberbullying").alias_list
    assert "cyberpesten" in aliases


def test_acute_lines_have_their_known_numbers(loaded):
    assert HelpOrganisation.objects.get(slug="113").phone == "0800-0113"
    assert HelpOrganisation.objects.get(slug="kindertelefoon").phone == "0800-0432"
    for organisation in HelpOrganisation.objects.all():
        for contact in ("website", "phone"):
            if getattr(organisation, contact):
                assert organisation.sources.get(contact), (organisation.slug, contact)


def test_every_age_group_and_theme_is_used(loaded):
    for group in AgeGroup.objects.all():
        used = (group.section_set.exists() or group.case_set.exists()
                or group.questionlist_set.exists() or group.stepplan_set.exists())
        assert used, group
    for theme in Theme.objects.all():
        used = (theme.section_set.exists() or theme.case_set.exists()
                or theme.questionlist_set.exists() or theme.stepplan_set.exists())
        assert used, theme


def test_chapter_two_and_four_are_tagged_by_age(loaded):
    chapter_two = {s.slug: {g.slug for g in s.age_groups.all()}
                   for s in Section.objects.filter(chapter__number=2)}
    assert {"kleuters"} in chapter_two.values()
    assert {"middenbouw", "bovenbouw"} in chapter_two.values()
    four = Section.objects.filter(chapter__number=4)
    assert four.filter(age_groups__slug="bovenbouw").exists()
    assert four.filter(age_groups__slug="kleuters").exists()


@pytest.mark.parametrize("path", sorted(REAL_CONTENT.rglob("*.md")),
                         ids=lambda p: str(p.relative_to(REAL_CONTENT)))
def test_no_pdf_artefacts_or_footnote_digits(path):
    text = path.read_text(encoding="utf-8")
    for artefact, name in ARTEFACTS.items():
        assert artefact not in text, f"{name} in {path}"
    # A footnote number glued to a word or sentence end, e.g. "onderhouden.1" or "20222".
    assert not re.search(r"[a-zà-ÿ’”)][.,]?\d{1,2}(\s|$)", text.split("---", 2)[-1]), path
    assert "20222" not in text


def test_source_typos_are_corrected():
    everything = "\n".join(p.read_text(encoding="utf-8") for p in REAL_CONTENT.rglob("*.md"))
    for typo in ("oorlogspropoganda", "voestemming", "betrouwbare bonnen", "Waarom ?"):
        assert typo not in everything
