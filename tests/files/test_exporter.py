"""exportcontent (issue #19): the database back into the files, byte for byte where unchanged."""

import difflib
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from handreiking.files.exporter import ExportConflictError, export_content
from handreiking.files.loader import load_content
from handreiking.models import (
    Case,
    GlossaryTerm,
    QuestionList,
    StepPlan,
    Synonym,
    Theme,
)

pytestmark = pytest.mark.django_db


def tree(root: Path) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*"))
            if p.is_file()}


def changed_lines(before: bytes, after: bytes) -> list[str]:
    diff = difflib.unified_diff(before.decode().splitlines(), after.decode().splitlines(),
                                lineterm="", n=0)
    return [line for line in diff if line[:1] in "+-" and line[:3] not in ("---", "+++")]


@pytest.fixture
def loaded_copy(content_dir, db):
    """The shipped tree copied and loaded: rows and files in step, as after `make run`."""
    load_content(root=content_dir)
    return content_dir


def test_load_then_export_changes_no_file(loaded_copy):
    before = tree(loaded_copy)
    report = export_content(root=loaded_copy)
    assert report.changes == 0
    assert report.unchanged > 100
    assert tree(loaded_copy) == before


def test_an_edit_rewrites_only_the_changed_lines_and_loads_without_force(loaded_copy):
    before = tree(loaded_copy)
    term = GlossaryTerm.objects.get(slug="doxing")
    term.body_nl = "Het openbaar maken van iemands adres, zonder toestemming."
    term.save()
    case = Case.objects.get(slug="xavi")
    case.title_en = "Xavi (six years old)"
    case.save()

    report = export_content(root=loaded_copy)

    assert sorted(report.written) == ["content/en/cases/01-xavi.md", "content/glossary/doxing.md"]
    after = tree(loaded_copy)
    assert {name for name in after if after[name] != before.get(name)} == {
        "en/cases/01-xavi.md", "glossary/doxing.md"}
    assert changed_lines(before["glossary/doxing.md"], after["glossary/doxing.md"]) == [
        f"-{before['glossary/doxing.md'].decode().split('---', 2)[2].strip()}",
        "+Het openbaar maken van iemands adres, zonder toestemming."]
    assert changed_lines(before["en/cases/01-xavi.md"], after["en/cases/01-xavi.md"])[1] == \
        '+title: "Xavi (six years old)"'
    assert load_content(root=loaded_copy).changes == 0  # no conflict, nothing to do


def test_step_plans_question_lists_and_links_round_trip(loaded_copy):
    plan = StepPlan.objects.get(slug="bij-een-incident")
    step = plan.steps.order_by("order").first()
    step.title_en = "First, stay calm"
    step.save()
    questions = QuestionList.objects.order_by("order").first()
    question = questions.questions.order_by("order").last()
    question.text_nl = "Wat zou jij doen als iemand jou een gemeen bericht stuurt?"
    question.save()
    case = Case.objects.get(slug="tess")
    case.themes.add(Theme.objects.get(slug="privacy"))

    report = export_content(root=loaded_copy)

    assert len(report.written) == 3
    text = (loaded_copy / "en/step-plans/03-bij-een-incident.md").read_text()
    assert "## First, stay calm" in text
    assert "privacy" in (loaded_copy / "cases/02-tess.md").read_text()
    assert load_content(root=loaded_copy).changes == 0


def test_an_item_made_in_the_admin_gets_a_file_the_loader_reads(loaded_copy):
    GlossaryTerm.objects.create(
        slug="zebrapadlek", title_nl="Zebrapadlek", title_en="Zebra leak",
        body_nl="Een nieuw begrip: het lekken van een adres.", body_en="A new term.")
    chapter = Case.objects.get(slug="xavi").chapter
    Case.objects.create(slug="noor", order=6, title_nl="Noor (9 jaar)", name="Noor", age=9,
                        summary_nl="Noor krijgt een bericht.", story_nl="Een verhaal.",
                        advice_nl="Een advies.", chapter=chapter)

    report = export_content(root=loaded_copy)

    assert sorted(report.written) == ["content/cases/06-noor.md",
                                      "content/en/glossary/zebrapadlek.md",
                                      "content/glossary/zebrapadlek.md"]
    assert (loaded_copy / "glossary/zebrapadlek.md").read_text() == (
        '---\ntitle: "Zebrapadlek"\n---\n\nEen nieuw begrip: het lekken van een adres.\n')
    assert GlossaryTerm.objects.get(slug="zebrapadlek").source_path == \
        "content/glossary/zebrapadlek.md"
    assert load_content(root=loaded_copy).changes == 0


def test_a_deleted_item_loses_both_its_files(loaded_copy):
    GlossaryTerm.objects.get(slug="griefing").delete()
    report = export_content(root=loaded_copy)
    assert sorted(report.removed) == ["content/en/glossary/griefing.md",
                                      "content/glossary/griefing.md"]
    assert not (loaded_copy / "glossary/griefing.md").exists()
    assert load_content(root=loaded_copy).changes == 0


def test_synonyms_keep_their_comments_and_order(loaded_copy):
    before = (loaded_copy / "synonyms.yml").read_bytes()
    Synonym.objects.filter(language="nl", word="dox").delete()
    Synonym.objects.create(language="nl", word="adreslek", means="doxing")
    export_content(root=loaded_copy)
    after = (loaded_copy / "synonyms.yml").read_bytes()
    assert changed_lines(before, after) == [
        "-doxing: [doxen, doxxen, doxxing, gedoxt, gedoxxt, dox]",
        "+doxing: [doxen, doxxen, doxxing, gedoxt, gedoxxt, adreslek]"]
    assert load_content(root=loaded_copy).changes == 0


def test_dry_run_lists_what_would_change_and_writes_nothing(loaded_copy, capsys):
    GlossaryTerm.objects.filter(slug="doxing").update(body_nl="Anders.")
    before = tree(loaded_copy)
    call_command("exportcontent", str(loaded_copy), "--dry-run")
    out = capsys.readouterr().out
    assert "would write: content/glossary/doxing.md" in out
    assert "Dry run: would change 1 file(s)" in out
    assert tree(loaded_copy) == before


def test_a_file_changed_since_the_last_load_is_not_overwritten(loaded_copy, capsys):
    path = loaded_copy / "glossary/doxing.md"
    path.write_text(path.read_text().replace("adres", "woonadres"))
    GlossaryTerm.objects.filter(slug="doxing").update(body_nl="Een admin-tekst.")
    edited = path.read_bytes()
    with pytest.raises(ExportConflictError, match="glossary/doxing.md"):
        export_content(root=loaded_copy)
    with pytest.raises(CommandError, match="changed on disk since the last load"):
        call_command("exportcontent", str(loaded_copy))
    assert path.read_bytes() == edited
    export_content(root=loaded_copy, force=True)
    assert "Een admin-tekst." in path.read_text()


def test_an_export_into_an_empty_folder_loads_back_as_the_same_database(loaded, tmp_path):
    target = tmp_path / "content"
    report = export_content(root=target)
    assert len(report.written) > 200
    assert load_content(root=target, dry_run=True).changes == 0
