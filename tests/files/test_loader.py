"""load_content(): validate everything first, then write everything in one transaction."""

import re
import shutil

import pytest

from handreiking.files.loader import ContentConflictError, load_content
from handreiking.files.records import ContentValidationError
from handreiking.models import (
    AgeGroup,
    Case,
    Chapter,
    GlossaryTerm,
    HelpOrganisation,
    QuestionList,
    Section,
    Step,
    StepPlan,
    Synonym,
)

from ..conftest import dump_database, write

pytestmark = pytest.mark.django_db


def set_key(path, key, line):
    """Replace the front-matter line `key: …` with `line` (None removes it; adds if absent)."""
    lines = path.read_text(encoding="utf-8").split("\n")
    index = next((i for i, text in enumerate(lines) if text.startswith(f"{key}:")), None)
    if index is None:
        lines.insert(1, line)
    elif line is None:
        del lines[index]
    else:
        lines[index] = line
    path.write_text("\n".join(lines), encoding="utf-8")


def replace_in(path, old, new, count=1):
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, count), encoding="utf-8")


def test_loads_every_kind_with_counts(content_dir):
    report = load_content(root=content_dir)
    created = {kind: counts.created for kind, counts in report.counts.items()}
    assert created == {
        "age-groups": AgeGroup.objects.count(),
        "themes": 10,
        "glossary": 19,
        "organisations": HelpOrganisation.objects.count(),
        "chapters": 7,
        "sections": Section.objects.count(),
        "cases": 5,
        "questions": QuestionList.objects.count(),
        "step-plans": StepPlan.objects.count(),
        "synonyms": Synonym.objects.count(),
    }
    assert report.changes == sum(created.values())
    assert Chapter.objects.get(number=3).cases.count() == 5


def test_second_run_changes_nothing(content_dir):
    load_content(root=content_dir)
    before = dump_database()
    report = load_content(root=content_dir)
    assert report.changes == 0
    assert report.rerendered == 0
    assert all(c.unchanged == c.total for c in report.counts.values())
    assert dump_database() == before


def test_html_is_rendered_when_loading(content_dir):
    load_content(root=content_dir)
    tess = Case.objects.get(slug="tess")
    assert 'data-term="grooming"' in tess.advice_html_nl
    assert tess.story_html_nl.startswith("<p>")


def test_an_edited_file_updates_its_row(content_dir):
    load_content(root=content_dir)
    replace_in(content_dir / "glossary/doxing.md", "Het openbaar maken", "Het publiek maken")
    report = load_content(root=content_dir)
    assert report.counts["glossary"].updated == 1
    assert report.changes == 1
    assert GlossaryTerm.objects.get(slug="doxing").body_nl.startswith("Het publiek maken")


def test_a_removed_file_deletes_its_row_and_is_reported(content_dir):
    load_content(root=content_dir)
    (content_dir / "cases/05-ezra.md").unlink()
    (content_dir / "en/cases/05-ezra.md").unlink()
    report = load_content(root=content_dir)
    assert report.counts["cases"].deleted == 1
    assert any("cases/ezra" in line for line in report.deleted)
    assert not Case.objects.filter(slug="ezra").exists()


def test_a_removed_chapter_takes_its_sections_along(content_dir):
    load_content(root=content_dir)
    shutil.rmtree(content_dir / "chapters/07-vragen-van-leerkrachten")
    shutil.rmtree(content_dir / "en/chapters/07-vragen-van-leerkrachten")
    load_content(root=content_dir)
    assert not Chapter.objects.filter(number=7).exists()
    assert not Section.objects.filter(chapter__number=7).exists()


def test_dry_run_reports_but_writes_nothing(content_dir):
    report = load_content(root=content_dir, dry_run=True)
    assert report.changes > 0
    assert Chapter.objects.count() == 0


def test_steps_and_questions_keep_their_order(content_dir):
    load_content(root=content_dir)
    victim = StepPlan.objects.get(kind="victim")
    orders = list(victim.steps.values_list("order", flat=True))
    assert orders == list(range(1, 11))
    first = victim.steps.first()
    assert "niet jouw schuld" in first.title + first.body_nl
    assert all(ql.questions.exists() for ql in QuestionList.objects.all())


def test_english_translation_file_fills_english_fields(content_dir):
    write(content_dir / "en/glossary/doxing.md",
          "---\ntitle: Doxing\naliases: [doxxing]\n---\nPublishing someone's private data.\n")
    load_content(root=content_dir)
    term = GlossaryTerm.objects.get(slug="doxing")
    assert term.title_en == "Doxing"
    assert term.aliases_en == "doxxing"
    assert term.body_html_en == "<p>Publishing someone's private data.</p>"
    assert term.body_nl.startswith("Het openbaar maken")


# --- Bad input: every case names file and field, and leaves the database as it was -------------

BAD_INPUT = {
    "missing required field": (
        lambda d: set_key(d / "glossary/grooming.md", "title", None),
        "content/glossary/grooming.md: title: is required",
    ),
    "wrong type": (
        lambda d: replace_in(d / "cases/01-xavi.md", "age: 6", "age: zes"),
        "content/cases/01-xavi.md: age: must be a whole number",
    ),
    "unknown age group": (
        lambda d: replace_in(d / "cases/01-xavi.md", "age_groups: [kleuters]",
                             "age_groups: [peuters]"),
        "content/cases/01-xavi.md: age_groups: unknown age-groups slug 'peuters'",
    ),
    "unknown theme": (
        lambda d: write(d / "themes/99-x.md", "---\ntitle: X\n---\n") and replace_in(
            d / "cases/01-xavi.md", "themes: [", "themes: [onbekend-thema, "),
        "content/cases/01-xavi.md: themes: unknown themes slug 'onbekend-thema'",
    ),
    "duplicate slug": (
        lambda d: shutil.copy(d / "glossary/grooming.md", d / "glossary/01-grooming.md"),
        "duplicate slug 'grooming'",
    ),
    "unknown glossary term": (
        lambda d: replace_in(d / "cases/02-tess.md", "terms: [grooming]", "terms: [groming]"),
        "content/cases/02-tess.md: terms: unknown glossary slug 'groming'",
    ),
    "unknown organisation": (
        lambda d: replace_in(d / "step-plans/03-bij-een-incident.md", "offlimits",
                             "ofllimits"),
        "content/step-plans/03-bij-een-incident.md: organisations: unknown organisations slug",
    ),
    "unknown chapter": (
        lambda d: replace_in(d / "cases/01-xavi.md", "chapter: wat-kinderen-online-tegenkomen",
                             "chapter: hoofdstuk-drie"),
        "content/cases/01-xavi.md: chapter: unknown chapters slug 'hoofdstuk-drie'",
    ),
    "unknown section": (
        lambda d: replace_in(d / "step-plans/01-wat-kan-een-slachtoffer-doen.md",
                             "section: ", "section: bestaat-niet-"),
        "content/step-plans/01-wat-kan-een-slachtoffer-doen.md: section: no section",
    ),
    "invalid yaml": (
        lambda d: set_key(d / "glossary/doxing.md", "title", "title: [Doxing"),
        "content/glossary/doxing.md: front matter: invalid YAML",
    ),
    "unknown key": (
        lambda d: set_key(d / "glossary/doxing.md", "titel", "titel: Doxing"),
        "content/glossary/doxing.md: titel: unknown key",
    ),
    "unknown choice": (
        lambda d: replace_in(d / "organisations/01-113.md", "category: acute",
                             "category: urgent"),
        "content/organisations/01-113.md: category: Value 'urgent' is not a valid choice",
    ),
    "case without advice": (
        lambda d: replace_in(d / "cases/01-xavi.md", "<!-- advice -->", ""),
        "content/cases/01-xavi.md: body: needs exactly one line '<!-- advice -->'",
    ),
    "step plan without steps": (
        lambda d: write(d / "step-plans/09-leeg.md",
                        "---\ntitle: Leeg\nkind: victim\n---\nGeen stappen.\n"),
        "content/step-plans/09-leeg.md: body: a step plan needs at least one",
    ),
    "contact detail without source": (
        lambda d: set_key(d / "organisations/ggd.md", "phone", "phone: 0800-1234"),
        "content/organisations/ggd.md: sources: Say where the phone comes from",
    ),
    "bad website": (
        lambda d: set_key(d / "organisations/ggd.md", "website", "website: javascript:alert(1)"),
        "content/organisations/ggd.md: website: Enter a valid URL",
    ),
    "pdf artefact": (
        lambda d: replace_in(d / "glossary/doxing.md", "Het openbaar", "•\t� Het openbaar"),
        "content/glossary/doxing.md: body: line",
    ),
    "translation of a fixed key": (
        lambda d: write(d / "en/cases/01-xavi.md", "---\nage: 7\n---\nStory\n<!-- advice -->\nA"),
        "content/en/cases/01-xavi.md: age: cannot be translated",
    ),
    "translation without dutch file": (
        lambda d: write(d / "en/glossary/bestaat-niet.md", "---\ntitle: X\n---\nY"),
        "content/en/glossary/bestaat-niet.md: (file): translation without a Dutch file",
    ),
    "unknown folder": (
        lambda d: write(d / "glosary/doxing.md", "---\ntitle: X\n---\nY"),
        "content/glosary: (file): unknown folder",
    ),
    "duplicate chapter number": (
        lambda d: replace_in(d / "chapters/07-vragen-van-leerkrachten/_index.md",
                             "number: 7", "number: 6"),
        "number: duplicate chapter number 6",
    ),
    "min age above max age": (
        lambda d: replace_in(d / "age-groups/01-kleuters.md", "min_age: 0", "min_age: 9"),
        "content/age-groups/01-kleuters.md: min_age: min_age must not be above max_age",
    ),
}


@pytest.mark.parametrize("case", list(BAD_INPUT), ids=list(BAD_INPUT))
def test_bad_input_is_reported_and_changes_nothing(content_dir, case):
    load_content(root=content_dir)
    break_content, expected = BAD_INPUT[case]
    break_content(content_dir)
    before = dump_database()
    with pytest.raises(ContentValidationError) as info:
        load_content(root=content_dir)
    messages = [str(error) for error in info.value.errors]
    assert any(expected in message for message in messages), messages
    assert all(re.match(r"^\S+: \S.*: ", m) for m in messages), messages
    assert dump_database() == before


def test_every_problem_is_reported_at_once(content_dir):
    set_key(content_dir / "glossary/doxing.md", "title", "title: [Doxing")
    replace_in(content_dir / "cases/01-xavi.md", "age: 6", "age: zes")
    replace_in(content_dir / "cases/02-tess.md", "terms: [grooming]", "terms: [groming]")
    with pytest.raises(ContentValidationError) as info:
        load_content(root=content_dir)
    assert len(info.value.errors) == 3
    assert Chapter.objects.count() == 0


def test_missing_content_folder_is_an_error(tmp_path):
    with pytest.raises(ContentValidationError, match="problem"):
        load_content(root=tmp_path / "nothing-here")


# --- Admin edits are never silently overwritten ------------------------------------------------


def test_refuses_to_overwrite_an_admin_edit(content_dir):
    load_content(root=content_dir)
    term = GlossaryTerm.objects.get(slug="grooming")
    term.body_nl = "Door een redacteur aangepast."
    term.save()
    replace_in(content_dir / "glossary/doxing.md", "Het openbaar maken", "Het publiek maken")
    before = dump_database()
    with pytest.raises(ContentConflictError) as info:
        load_content(root=content_dir)
    assert any("glossary/grooming" in c for c in info.value.conflicts)
    assert len(info.value.conflicts) == 1
    assert dump_database() == before


def test_an_admin_edit_is_detected_even_without_file_changes(content_dir):
    load_content(root=content_dir)
    step = Step.objects.get(plan__kind="incident", order=1)
    step.body_nl += " Extra zin."
    step.save()
    with pytest.raises(ContentConflictError, match="changed in the admin"):
        load_content(root=content_dir)


def test_force_overwrites_admin_edits_and_says_so(content_dir):
    load_content(root=content_dir)
    GlossaryTerm.objects.filter(slug="grooming").update(body_nl="Aangepast.")
    report = load_content(root=content_dir, force=True)
    assert report.overwritten == ["glossary/grooming"]
    assert GlossaryTerm.objects.get(slug="grooming").body_nl.startswith("Een proces")
    assert load_content(root=content_dir).changes == 0


def test_rows_created_in_the_admin_are_not_deleted_silently(content_dir):
    load_content(root=content_dir)
    GlossaryTerm.objects.create(slug="nieuw", title_nl="Nieuw", body_nl="Nieuw begrip.")
    with pytest.raises(ContentConflictError, match="created in the admin"):
        load_content(root=content_dir)
    assert GlossaryTerm.objects.filter(slug="nieuw").exists()
    load_content(root=content_dir, force=True)
    assert not GlossaryTerm.objects.filter(slug="nieuw").exists()


def test_m2m_edit_in_admin_counts_as_an_edit(content_dir):
    load_content(root=content_dir)
    case = Case.objects.get(slug="xavi")
    case.age_groups.add(AgeGroup.objects.get(slug="bovenbouw"))
    with pytest.raises(ContentConflictError, match="cases/xavi"):
        load_content(root=content_dir)


# --- Renames, renumbering and reordering load cleanly -------------------------------------------


def _chapter_dirs(root, name):
    return [root / "chapters" / name, root / "en/chapters" / name]


def test_renaming_a_chapter_folder_loads(content_dir):
    load_content(root=content_dir)
    for old in _chapter_dirs(content_dir, "07-vragen-van-leerkrachten"):
        old.rename(old.with_name("07-vragen-uit-de-klas"))
    for path in content_dir.rglob("*.md"):
        text = path.read_text(encoding="utf-8")
        if "chapter: vragen-van-leerkrachten" in text:
            path.write_text(text.replace("chapter: vragen-van-leerkrachten",
                                         "chapter: vragen-uit-de-klas"), encoding="utf-8")
    report = load_content(root=content_dir)
    assert report.counts["chapters"].created == 1 and report.counts["chapters"].deleted == 1
    chapter = Chapter.objects.get(number=7)
    assert chapter.slug == "vragen-uit-de-klas"
    assert chapter.sections.count() == 4
    assert not Chapter.objects.filter(slug="vragen-van-leerkrachten").exists()


def test_swapping_two_chapter_numbers_loads(content_dir):
    load_content(root=content_dir)
    replace_in(content_dir / "chapters/05-incidenten-voorkomen/_index.md", "number: 5",
               "number: 6")
    replace_in(content_dir / "chapters/06-bij-een-incident/_index.md", "number: 6", "number: 5")
    report = load_content(root=content_dir)
    assert report.counts["chapters"].updated == 2
    assert Chapter.objects.get(slug="incidenten-voorkomen").number == 6
    assert Chapter.objects.get(slug="bij-een-incident").number == 5


def test_inserting_a_chapter_in_the_middle_loads(content_dir):
    load_content(root=content_dir)
    for number in range(7, 2, -1):  # 3…7 become 4…8
        index = next(content_dir.glob(f"chapters/0{number}-*/_index.md"))
        replace_in(index, f"number: {number}", f"number: {number + 1}")
    write(content_dir / "chapters/03-nieuw-hoofdstuk/_index.md",
          "---\ntitle: Een nieuw hoofdstuk\nnumber: 3\n---\nTekst.\n")
    report = load_content(root=content_dir)
    assert report.counts["chapters"].created == 1
    assert report.counts["chapters"].updated == 5
    assert list(Chapter.objects.values_list("number", flat=True)) == list(range(1, 9))
    assert Chapter.objects.get(number=3).slug == "nieuw-hoofdstuk"


def test_reordering_steps_loads(content_dir):
    load_content(root=content_dir)
    plan_path = content_dir / "step-plans/02-incidenten-voorkomen.md"
    en_path = content_dir / "en/step-plans/02-incidenten-voorkomen.md"
    for path in (plan_path, en_path):
        head, body = path.read_text(encoding="utf-8").split("\n---\n", 1)
        parts = body.split("\n## ")
        intro, steps = parts[0], parts[1:]
        path.write_text(head + "\n---\n" + "\n## ".join([intro, *reversed(steps)]) + "\n",
                        encoding="utf-8")
    first_before = Step.objects.get(plan__slug="incidenten-voorkomen", order=1).title_nl
    report = load_content(root=content_dir)
    assert report.counts["step-plans"].updated == 1
    steps = list(Step.objects.filter(plan__slug="incidenten-voorkomen").order_by("order"))
    assert steps[-1].title_nl == first_before
    assert [s.order for s in steps] == list(range(1, len(steps) + 1))


OVER_LONG = {
    "title": (lambda d: set_key(d / "themes/02-consent.md", "title", "title: " + "x" * 301),
              "content/themes/02-consent.md: title: Ensure this value has at most 300"),
    "english title": (
        lambda d: set_key(d / "en/themes/02-consent.md", "title", "title: " + "x" * 301),
        "content/en/themes/02-consent.md: title: Ensure this value has at most 300"),
    "phone": (lambda d: set_key(d / "organisations/01-113.md", "phone", "phone: " + "1" * 41),
              "content/organisations/01-113.md: phone: Ensure this value has at most 40"),
    "summary": (
        lambda d: replace_in(d / "cases/01-xavi.md", "summary: \"", "summary: \"" + "x" * 400),
        "content/cases/01-xavi.md: summary: Ensure this value has at most 400"),
    "slug": (lambda d: set_key(d / "glossary/doxing.md", "slug", "slug: " + "d" * 121),
             "content/glossary/doxing.md: slug: Ensure this value has at most 120"),
}


@pytest.mark.parametrize("case", list(OVER_LONG), ids=list(OVER_LONG))
def test_over_long_values_are_reported_on_every_database(content_dir, case):
    load_content(root=content_dir)
    break_content, expected = OVER_LONG[case]
    break_content(content_dir)
    before = dump_database()
    with pytest.raises(ContentValidationError) as info:
        load_content(root=content_dir)
    messages = [str(error) for error in info.value.errors]
    assert any(expected in message for message in messages), messages
    assert dump_database() == before


def test_a_database_refusal_is_a_report_not_a_traceback(content_dir, monkeypatch):
    from django.db import IntegrityError

    from handreiking.models import Theme

    load_content(root=content_dir)
    replace_in(content_dir / "themes/02-consent.md", "title: Consent", "title: Toestemming")
    before = dump_database()

    def refuse(self, *args, **kwargs):
        raise IntegrityError("UNIQUE constraint failed: handreiking_theme.slug")

    monkeypatch.setattr(Theme, "save", refuse)
    with pytest.raises(ContentValidationError) as info:
        load_content(root=content_dir)
    assert str(info.value.errors[0]).startswith(
        "content/themes/02-consent.md: (item): the database refused it: UNIQUE")
    assert dump_database() == before


def test_a_rerender_without_file_changes_is_reported(content_dir):
    load_content(root=content_dir)
    Section.objects.filter(slug="online-risicos").update(body_html_nl="<p>oud</p>")
    report = load_content(root=content_dir)
    assert report.changes == 0
    assert report.rerendered == 1
    assert "<p>oud</p>" not in Section.objects.get(slug="online-risicos").body_html_nl


def test_round_trip_text_is_byte_identical(content_dir):
    """Every body stored from a file equals the file's text byte for byte."""
    from handreiking.files.frontmatter import parse_file
    from handreiking.schema import KINDS

    load_content(root=content_dir)
    checked = 0
    for kind in KINDS:
        if kind.children or len(kind.body.fields) != 1:
            continue
        for obj in kind.model.objects.all():
            body = parse_file(content_dir.parent / obj.source_path).body
            assert getattr(obj, f"{kind.body.fields[0]}_nl") == body, obj.source_path
            checked += 1
    assert checked > 90


def test_reports_missing_english_fields(content_dir):
    report = load_content(root=content_dir)
    assert report.missing_translations == {"en": 0}
    (content_dir / "en/glossary/doxing.md").unlink()
    report = load_content(root=content_dir)
    assert report.missing_translations == {"en": 2}  # title and definition
