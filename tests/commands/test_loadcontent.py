"""The loadcontent command: counts on success, every problem and a non-zero exit on failure."""

import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from handreiking.models import Chapter, GlossaryTerm

from ..conftest import dump_database

pytestmark = pytest.mark.django_db


def run(*args):
    out, err = io.StringIO(), io.StringIO()
    call_command("loadcontent", *map(str, args), stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_reports_counts_per_type_and_then_no_changes(content_dir):
    out, _err = run(content_dir)
    assert "glossary         19 in files: 19 created" in out
    assert "cases             5 in files: 5 created" in out
    assert "Loaded with" in out
    out, _err = run(content_dir)
    assert "No changes: the database already matches the content files." in out
    assert "0 created, 0 updated, 0 deleted" in out


def test_an_index_made_by_an_older_analysis_is_rebuilt_on_the_next_load(content_dir):
    """A deploy that changes how words are analysed (search.analysis.VERSION) re-indexes
    on its next load, though no content changed; the load after that changes nothing."""
    from handreiking.models import SearchDocument, SearchIndexState

    run(content_dir)
    SearchIndexState.objects.update(analysis=1)
    SearchDocument.objects.update(body_terms="")  # what an older analysis might have made
    out, _err = run(content_dir)
    assert "re-indexed" in out
    assert not SearchDocument.objects.filter(body_terms="").exclude(body="").exists()
    out, _err = run(content_dir)
    assert "No changes: the database already matches the content files." in out


def test_default_path_is_the_content_folder():
    out, _err = run()
    assert "chapters          7 in files" in out


def test_invalid_content_exits_non_zero_naming_file_and_field(content_dir):
    run(content_dir)
    before = dump_database()
    case = content_dir / "cases/01-xavi.md"
    case.write_text(case.read_text().replace("age: 6", "age: zes"))
    with pytest.raises(CommandError, match="1 problem"):
        err = io.StringIO()
        call_command("loadcontent", str(content_dir), stdout=io.StringIO(), stderr=err)
    assert dump_database() == before


def test_problems_are_written_to_stderr(content_dir, capsys):
    case = content_dir / "cases/01-xavi.md"
    case.write_text(case.read_text().replace("age: 6", "age: zes"))
    err = io.StringIO()
    with pytest.raises(CommandError):
        call_command("loadcontent", str(content_dir), stdout=io.StringIO(), stderr=err)
    assert "content/cases/01-xavi.md: age: must be a whole number" in err.getvalue()
    assert Chapter.objects.count() == 0


def test_dry_run_writes_nothing(content_dir):
    out, _err = run(content_dir, "--dry-run")
    assert "Dry run: would make" in out
    assert Chapter.objects.count() == 0


def test_admin_edit_blocks_until_force(content_dir):
    run(content_dir)
    GlossaryTerm.objects.filter(slug="doxing").update(body_nl="Aangepast in de admin.")
    err = io.StringIO()
    with pytest.raises(CommandError, match="--force"):
        call_command("loadcontent", str(content_dir), stdout=io.StringIO(), stderr=err)
    assert "glossary/doxing" in err.getvalue()
    out, _err = run(content_dir, "--force")
    assert "overwrote admin edit: glossary/doxing" in out
    assert GlossaryTerm.objects.get(slug="doxing").body_nl != "Aangepast in de admin."


def test_missing_folder_is_a_clear_error(tmp_path):
    err = io.StringIO()
    with pytest.raises(CommandError):
        call_command("loadcontent", str(tmp_path / "nope"), stdout=io.StringIO(), stderr=err)
    assert "is not a folder" in err.getvalue()


def test_publish_command(loaded):
    from handreiking.models import SearchDocument

    SearchDocument.objects.all().delete()
    out = io.StringIO()
    call_command("publish", stdout=out)
    assert "indexed" in out.getvalue()
    assert SearchDocument.objects.filter(kind="term", language="nl").count() == 19
