"""Synonyms in the admin (issue #19): edited by a Redacteur, found by search at once,
guarded against the loader like content, and written back by exportcontent."""

from http import HTTPStatus

import pytest
from django.urls import reverse

from handreiking.files.exporter import export_content
from handreiking.files.loader import ContentConflictError, load_content
from handreiking.models import Synonym
from handreiking.search import search

pytestmark = pytest.mark.django_db


@pytest.fixture
def loaded_copy(content_dir, db):
    load_content(root=content_dir)
    return content_dir


def add_form(browser):
    return browser.get(reverse("admin:handreiking_synonym_add")).forms["synonym_form"]


def test_a_new_synonym_is_searchable_at_once_guarded_and_exported(redacteur, loaded_copy):
    assert search("vrumsel", language="nl").hits == []
    form = add_form(redacteur)
    form["language"] = "nl"
    form["word"] = "vrumsel"
    form["means"] = "doxing"
    assert form.submit("_save").status_code == HTTPStatus.FOUND
    assert any(hit.title == "Doxing" for hit in search("vrumsel", language="nl").hits)

    with pytest.raises(ContentConflictError, match="synonyms/nl/vrumsel"):
        load_content(root=loaded_copy)
    export_content(root=loaded_copy)
    assert "doxing: [doxen, doxxen, doxxing, gedoxt, gedoxxt, dox, vrumsel]" in \
        (loaded_copy / "synonyms.yml").read_text()
    assert load_content(root=loaded_copy).changes == 0


def test_an_edited_synonym_is_not_overwritten_by_a_load_without_force(redacteur, loaded_copy):
    row = Synonym.objects.get(language="nl", word="nudes")
    page = redacteur.get(reverse("admin:handreiking_synonym_change", args=[row.pk]))
    form = page.forms["synonym_form"]
    form["means"] = "sexting"
    assert form.submit("_save").status_code == HTTPStatus.FOUND
    with pytest.raises(ContentConflictError, match="synonyms/nl/nudes"):
        load_content(root=loaded_copy)
    assert Synonym.objects.get(pk=row.pk).means == "sexting"
    history = redacteur.get(reverse("admin:handreiking_synonym_history", args=[row.pk]))
    assert "redacteur" in history.text
    load_content(root=loaded_copy, force=True)
    assert Synonym.objects.get(language="nl", word="nudes").means == "naaktbeelden"


@pytest.mark.parametrize(("word", "means"), [("twee woorden", "doxing"),
                                             ("Adreslek", "doxing"),
                                             ("doxing", "doxing"),
                                             ("adreslek", "een twee drie vier vijf")])
def test_a_synonym_that_breaks_the_files_rules_is_refused(redacteur, loaded, word, means):
    before = Synonym.objects.count()
    form = add_form(redacteur)
    form["language"], form["word"], form["means"] = "nl", word, means
    response = form.submit("_save")
    assert response.status_code == HTTPStatus.OK
    assert "errorlist" in response.text
    assert Synonym.objects.count() == before
