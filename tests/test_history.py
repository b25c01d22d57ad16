"""History in the admin (issue #19): who changed what, the diff, and restoring any version.

Driven with WebTest, as an editor's browser would: the history page's links and the
compare form are followed and submitted as Django renders them.
"""

import json
from http import HTTPStatus

import pytest
from django.urls import reverse
from reversion.models import Version

from handreiking.files.loader import load_content
from handreiking.models import Chapter, GlossaryTerm, Section
from handreiking.schema import fingerprint, kind_for
from handreiking.search import search

from .conftest import REAL_CONTENT
from .test_admin import admin_url, change_form

pytestmark = pytest.mark.django_db
NEW_TEXT = "Een nieuwe uitleg van doxing, met het woord zebrapadlek erin."


def history_url(obj) -> str:
    meta = obj._meta
    return reverse(f"admin:{meta.app_label}_{meta.model_name}_history", args=[obj.pk])


def history_page(browser, obj):
    return browser.get(history_url(obj))


def version_url(obj, version) -> str:
    return history_url(obj) + f"{version.pk}/"


def edit_doxing(browser) -> GlossaryTerm:
    term = GlossaryTerm.objects.get(slug="doxing")
    form = change_form(browser, term)
    form["body_nl"] = NEW_TEXT
    assert form.submit("_save").status_code == HTTPStatus.FOUND
    return term


def test_a_load_keeps_one_version_per_item_without_rendered_html(loaded):
    term = GlossaryTerm.objects.get(slug="doxing")
    versions = Version.objects.get_for_object(term)
    assert versions.count() == 1
    assert versions[0].revision.get_comment() == "Loaded from content/glossary/doxing.md"
    fields = json.loads(versions[0].serialized_data)[0]["fields"]
    assert fields["body_nl"] == term.body_nl
    assert not {"body_html", "body_html_nl", "body_html_en"} & set(fields)


def test_a_chapter_version_holds_its_sections(loaded):
    chapter = Chapter.objects.get(number=1)
    version = Version.objects.get_for_object(chapter)[0]
    kept = {v.object_id for v in version.revision.version_set.all()
            if v.content_type.model == "section"}
    assert kept == {str(pk) for pk in chapter.sections.values_list("pk", flat=True)}
    assert kept


def test_history_lists_who_changed_what_and_shows_the_diff(redacteur, loaded):
    term = edit_doxing(redacteur)
    page = history_page(redacteur, term)
    assert "redacteur" in page.text
    assert "Loaded from content/glossary/doxing.md" in page.text
    compare = next(form for form in page.forms.values() if "version_id1" in form.fields)
    diff = compare.submit()  # the two newest versions are chosen already
    assert diff.status_code == HTTPStatus.OK
    assert "zebrapadlek" in diff.text
    assert "<del>" in diff.text or "<del " in diff.text


def test_restoring_the_loaded_version_brings_back_the_page_search_and_files(
        redacteur, loaded, client):
    term = edit_doxing(redacteur)
    public = term.get_absolute_url()
    assert NEW_TEXT in client.get(public).content.decode()
    loaded_version = Version.objects.get_for_object(term).order_by("pk").first()
    page = history_page(redacteur, term).click(href=version_url(term, loaded_version))
    assert NEW_TEXT not in page.forms["glossaryterm_form"]["body_nl"].value
    response = page.forms["glossaryterm_form"].submit("_save")
    assert response.status_code == HTTPStatus.FOUND
    term.refresh_from_db()
    assert NEW_TEXT not in client.get(public).content.decode()
    assert "zebrapadlek" not in term.body_html_nl
    assert not any(hit.title == "Doxing" for hit in search("zebrapadlek", language="nl").hits)
    # The restored item is the loaded one again: the next load sees no admin edit.
    assert fingerprint(kind_for(term).snapshot(term)) == term.loaded_hash
    assert load_content(root=REAL_CONTENT).changes == 0
    assert "is teruggeplaatst" in history_page(redacteur, term).text  # "Reverted to …"


def test_looking_at_an_old_version_changes_nothing(redacteur, loaded, client):
    term = edit_doxing(redacteur)
    loaded_version = Version.objects.get_for_object(term).order_by("pk").first()
    redacteur.get(version_url(term, loaded_version))
    term.refresh_from_db()
    assert term.body_nl == NEW_TEXT
    assert NEW_TEXT in client.get(term.get_absolute_url()).content.decode()


def test_a_restore_is_refused_when_someone_saved_after_it_was_opened(redacteur, loaded):
    term = edit_doxing(redacteur)
    loaded_version = Version.objects.get_for_object(term).order_by("pk").first()
    restore = redacteur.get(version_url(term, loaded_version))
    other = change_form(redacteur, term)
    other["body_nl"] = "Een derde tekst."
    assert other.submit("_save").status_code == HTTPStatus.FOUND
    response = restore.forms["glossaryterm_form"].submit("_save")
    assert response.status_code == HTTPStatus.OK
    assert "Someone else saved this item" in response.text or "Iemand anders" in response.text
    term.refresh_from_db()
    assert term.body_nl == "Een derde tekst."


def test_restoring_a_chapter_brings_back_its_sections(redacteur, loaded, client):
    chapter = Chapter.objects.get(number=1)
    section = chapter.sections.order_by("order").first()
    original = section.body_nl
    form = change_form(redacteur, chapter)
    form["sections-0-body_nl"] = "Een redacteur schreef deze alinea opnieuw."
    assert form.submit("_save").status_code == HTTPStatus.FOUND
    section.refresh_from_db()
    assert section.body_nl != original
    loaded_version = Version.objects.get_for_object(chapter).order_by("pk").first()
    page = redacteur.get(version_url(chapter, loaded_version))
    assert page.forms["chapter_form"].submit("_save").status_code == HTTPStatus.FOUND
    section.refresh_from_db()
    assert section.body_nl == original
    assert "Een redacteur schreef" not in client.get(chapter.get_absolute_url()).content.decode()


def test_a_deleted_term_can_be_recovered_and_is_published_again(redacteur, loaded, client):
    term = GlossaryTerm.objects.get(slug="grooming")
    public = term.get_absolute_url()
    page = redacteur.get(admin_url(term, "delete"))
    assert page.forms[1].submit().status_code == HTTPStatus.FOUND
    assert client.get(public).status_code == HTTPStatus.NOT_FOUND
    recover_list = redacteur.get(admin_url(GlossaryTerm) + "recover/")
    assert "Grooming" in recover_list.text
    form_page = recover_list.click(href="/recover/[0-9]+/")
    assert form_page.forms["glossaryterm_form"].submit("_save").status_code == HTTPStatus.FOUND
    assert client.get(public).status_code == HTTPStatus.OK
    assert any(hit.title == "Grooming" for hit in search("grooming", language="nl").hits)
    assert Section.objects.filter(body_html_nl__contains='data-term="grooming"').exists()
