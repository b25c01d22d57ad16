"""The synonyms files: loaded with the content, validated, and used by search."""

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from handreiking.files.loader import load_content
from handreiking.files.records import ContentValidationError
from handreiking.models import SearchTerm, Synonym
from handreiking.search import search

pytestmark = pytest.mark.django_db


def test_the_shipped_files_load_in_both_languages(content_dir):
    report = load_content(root=content_dir)
    assert report.counts["synonyms"].created == Synonym.objects.count()
    assert Synonym.objects.filter(language="nl", word="nudes").exists()
    assert Synonym.objects.filter(language="en").exists()
    assert report.warnings == []


def test_an_everyday_word_finds_the_guides_word(content_dir):
    load_content(root=content_dir)
    nudes = Synonym.objects.get(language="nl", word="nudes")
    assert search("nudes", language="nl").hits
    term = SearchTerm.objects.get(language="nl", word="nudes")
    assert term.frequency == 0 and term.is_concept
    assert nudes.means in term.synonyms.splitlines()
    assert nudes.get_absolute_url() == "/nl/zoeken/?q=nudes"


def test_a_changed_file_updates_and_deletes_rows(content_dir):
    load_content(root=content_dir)
    (content_dir / "synonyms.yml").write_text("naaktbeelden: [nudes, naaktselfie]\n",
                                               encoding="utf-8")
    report = load_content(root=content_dir)
    english = Synonym.objects.filter(language="en").count()
    assert report.counts["synonyms"].unchanged == 2 + english
    assert report.counts["synonyms"].deleted > 0
    assert set(Synonym.objects.filter(language="nl").values_list("word", flat=True)) == \
        {"nudes", "naaktselfie"}
    assert "synonyms/nl/groepsapp" in report.deleted
    again = load_content(root=content_dir)
    assert again.changes == 0


@pytest.mark.parametrize(("text", "message"), [
    ("naaktbeelden: [nudes, nudes]\n", "'nudes' is listed twice"),
    ("naaktbeelden: [nudes]\nappgroep: [nudes]\n", "'nudes' is listed twice (also under"),
    ("naaktbeelden: [naakt foto]\n", "is not one plain word"),
    ("naaktbeelden: [Nudes]\n", "is not one plain word"),
    ("naaktbeelden: nudes\n", "needs a list of everyday words"),
    ("naaktbeelden: [naaktbeelden]\n", "is the key itself"),
    ("- nudes\n", "must map the guide's words"),
    ("naaktbeelden: [nudes\n", "is not valid YAML"),
])
def test_bad_files_give_a_clear_error_and_change_nothing(content_dir, text, message):
    load_content(root=content_dir)
    before = list(Synonym.objects.values_list("language", "word", "means"))
    (content_dir / "synonyms.yml").write_text(text, encoding="utf-8")
    with pytest.raises(ContentValidationError) as caught:
        load_content(root=content_dir)
    assert any(message in str(error) and "content/synonyms.yml" in str(error)
               for error in caught.value.errors), caught.value.errors
    assert list(Synonym.objects.values_list("language", "word", "means")) == before


def test_a_key_the_guide_does_not_use_is_a_warning(content_dir, capsys):
    (content_dir / "en/synonyms.yml").write_text("nude imagez: [nudes]\n", encoding="utf-8")
    report = load_content(root=content_dir)
    assert any("content/en/synonyms.yml: nude imagez:" in w and "'imagez'" in w
               for w in report.warnings)
    assert Synonym.objects.filter(language="en", word="nudes").exists()
    call_command("loadcontent", str(content_dir), "--force")
    assert "warning: content/en/synonyms.yml: nude imagez" in capsys.readouterr().out


def test_the_command_reports_a_bad_file_and_exits_non_zero(content_dir):
    (content_dir / "synonyms.yml").write_text("naaktbeelden: [two words]\n", encoding="utf-8")
    with pytest.raises(CommandError, match="nothing was loaded"):
        call_command("loadcontent", str(content_dir))
    assert not Synonym.objects.exists()
