"""The index follows content: loads, admin edits and deletions."""

import pytest

from handreiking.files.loader import load_content
from handreiking.models import Case, SearchDocument, SearchTerm
from handreiking.search import rebuild_index, search

pytestmark = pytest.mark.django_db


def test_loading_indexes_every_kind(loaded):
    kinds = set(SearchDocument.objects.values_list("kind", flat=True))
    assert kinds == {"chapter", "section", "case", "term", "organisation", "stepplan", "step",
                     "questions"}
    assert SearchTerm.objects.filter(word="grooming").exists()


def test_rebuild_is_repeatable(loaded):
    first = SearchDocument.objects.count()
    assert rebuild_index() == first
    assert SearchDocument.objects.count() == first


def test_changed_file_is_found_by_its_new_words(content_dir):
    load_content(root=content_dir)
    path = content_dir / "glossary/doxing.md"
    path.write_text(path.read_text().replace("Het openbaar maken", "Het kwaadwillig onthullen"))
    load_content(root=content_dir)
    assert [h.title for h in search("kwaadwillig", language="nl").hits] == ["Doxing"]


def test_removed_file_is_gone_from_search(content_dir):
    load_content(root=content_dir)
    assert any(h.title.startswith("Ezra") for h in search("Zayn", language="nl").hits)
    (content_dir / "cases/05-ezra.md").unlink()
    (content_dir / "en/cases/05-ezra.md").unlink()
    load_content(root=content_dir)
    assert not any(h.title.startswith("Ezra") for h in search("Zayn", language="nl").hits)


def test_model_deletion_through_rebuild(loaded):
    Case.objects.filter(slug="tess").delete()
    rebuild_index()
    assert not any(h.title.startswith("Tess") for h in search("videochat", language="nl").hits)


def test_indexed_text_keeps_punctuation_next_to_linked_terms():
    from handreiking.search.indexing import html_to_text

    html = ('<p>Dit heet ‘<span class="app-term"><a href="/x">sextortion</a>'
            '<span class="app-term__definition" role="tooltip">Afpersing.</span></span>’.</p>'
            "<ul><li>een</li><li>twee</li></ul>")
    assert html_to_text(html) == "Dit heet ‘sextortion’. een twee"


def test_indexed_text_is_composed_so_snippets_see_whole_words():
    from handreiking.search.analysis import stem
    from handreiking.search.indexing import html_to_text
    from handreiking.search.snippets import make_snippet

    text = html_to_text("<p>Kinderen cre\u0065\u0308ren iets.</p>")  # e + combining diaeresis
    assert text == "Kinderen creëren iets."
    assert "<mark>creëren</mark>" in make_snippet(text, {stem("creeren", "nl")}, "nl")
