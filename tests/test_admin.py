"""The admin, used as an editor uses it: forms submitted as the browser receives them (WebTest).

WebTest parses the HTML Django sends — hidden fields, inlines, textareas and all —
and submits exactly that, so a field the template forgets to render (the section
inline's edit token once) fails here as it fails in a browser.
"""

from http import HTTPStatus

import pytest
from django.urls import reverse

from handreiking.files.loader import ContentConflictError, load_content
from handreiking.models import (
    Case,
    Chapter,
    GlossaryTerm,
    HelpOrganisation,
    SearchDocument,
    Section,
    StepPlan,
    Theme,
)
from handreiking.schema import KINDS, fingerprint, kind_for
from handreiking.search import search

from .conftest import REAL_CONTENT

pytestmark = pytest.mark.django_db
MODELS = [kind.model for kind in KINDS]


def admin_url(obj_or_model, action="changelist"):
    meta = obj_or_model._meta
    if action in {"change", "delete"}:
        return reverse(f"admin:{meta.app_label}_{meta.model_name}_{action}",
                       args=[obj_or_model.pk])
    return reverse(f"admin:{meta.app_label}_{meta.model_name}_{action}")


@pytest.fixture
def editor(django_app, admin_user):
    """A WebTest browser logged in as an editor (a superuser)."""
    django_app.set_user(admin_user)
    return django_app


def change_form(editor, obj):
    page = editor.get(admin_url(obj, "change"))
    return page.forms[f"{obj._meta.model_name}_form"]


def stored_state(obj) -> dict:
    """What the files describe of a row, read back from the database."""
    kind = kind_for(obj)
    fresh = kind.queryset().get(pk=obj.pk)
    return kind.snapshot(fresh)


@pytest.mark.parametrize("model", MODELS, ids=[m.__name__ for m in MODELS])
def test_every_model_has_a_list_search_and_change_form(editor, loaded, model):
    listing = editor.get(admin_url(model), {"q": "a"})
    assert listing.status_code == HTTPStatus.OK
    form = change_form(editor, model.objects.first())
    assert "title_nl" in form.fields and "title_en" in form.fields
    assert "edit_token" in form.fields


@pytest.mark.parametrize("model", MODELS, ids=[m.__name__ for m in MODELS])
def test_first_item_of_every_kind_saves_unchanged_byte_for_byte(editor, loaded, model):
    obj = model.objects.order_by("pk").first()
    if model is Chapter:  # the chapter with the most sections: every inline is submitted
        obj = max(Chapter.objects.all(), key=lambda chapter: chapter.sections.count())
    before = stored_state(obj)
    response = change_form(editor, obj).submit("_save")
    assert response.status_code == HTTPStatus.FOUND, response.text[:3000]
    after = stored_state(obj)
    assert after == before
    fresh = model.objects.get(pk=obj.pk)
    assert fingerprint(after) == fresh.loaded_hash, "an unchanged save must not count as an edit"


def test_chapter_with_sections_saves_and_next_load_sees_no_admin_edits(editor, loaded):
    for chapter in Chapter.objects.all():
        response = change_form(editor, chapter).submit("_save")
        assert response.status_code == HTTPStatus.FOUND, response.text[:3000]
    report = load_content(root=REAL_CONTENT)  # raises ContentConflictError on any admin edit
    assert report.changes == 0


def test_crlf_from_the_browser_is_not_an_edit(editor, loaded):
    section = Section.objects.filter(body_nl__contains="\n\n").first()
    form = change_form(editor, section)
    form["body_nl"] = section.body_nl.replace("\n", "\r\n") + "  \r\n"
    assert form.submit("_save").status_code == HTTPStatus.FOUND
    section.refresh_from_db()
    assert "\r" not in section.body_nl
    assert load_content(root=REAL_CONTENT).changes == 0


def test_a_real_edit_shows_on_the_public_page_in_its_language(editor, loaded, client):
    section = Section.objects.select_related("chapter").get(slug="online-risicos")
    form = change_form(editor, section)
    form["body_en"] = form["body_en"].value + "\n\nA sentence an editor added in English."
    assert form.submit("_save").status_code == HTTPStatus.FOUND
    english = client.get(f"/en/chapters/{section.chapter.slug}/")
    dutch = client.get(f"/nl/hoofdstukken/{section.chapter.slug}/")
    assert "A sentence an editor added in English." in english.content.decode()
    assert "A sentence an editor added in English." not in dutch.content.decode()
    with pytest.raises(ContentConflictError, match="sections/"):
        load_content(root=REAL_CONTENT)


def test_saving_in_admin_renders_html_and_updates_search(editor, loaded):
    term = GlossaryTerm.objects.get(slug="doxing")
    form = change_form(editor, term)
    form["body_nl"] = "Het openbaar maken van iemands adres, ook wel zebrapad-lekken genoemd."
    assert form.submit("_save").status_code == HTTPStatus.FOUND
    term.refresh_from_db()
    assert "zebrapad-lekken" in term.body_html_nl
    assert any(hit.title == "Doxing" for hit in search("zebrapad", language="nl").hits)
    with pytest.raises(ContentConflictError, match="glossary/doxing"):
        load_content(root=REAL_CONTENT)


def test_deleting_a_glossary_term_removes_its_links_everywhere(editor, loaded):
    marker = 'data-term="grooming"'
    assert Case.objects.filter(advice_html_nl__contains=marker).exists()
    term = GlossaryTerm.objects.get(slug="grooming")
    page = editor.get(admin_url(term, "delete"))
    assert page.forms[1].submit().status_code == HTTPStatus.FOUND
    for model, fields in [(Case, ["story_html", "advice_html"]), (Section, ["body_html"]),
                          (GlossaryTerm, ["body_html"])]:
        for name in fields:
            for code in ("nl", "en"):
                assert not model.objects.filter(**{f"{name}_{code}__contains": marker}).exists()


def test_deleting_in_admin_removes_it_from_search(editor, loaded):
    case = Case.objects.get(slug="ezra")
    page = editor.get(admin_url(case, "delete"))
    assert page.forms[1].submit().status_code == HTTPStatus.FOUND
    assert not SearchDocument.objects.filter(title__startswith="Ezra").exists()


def test_a_stale_form_is_refused_and_nothing_is_lost(editor, loaded):
    term = GlossaryTerm.objects.get(slug="doxing")
    first_editor = change_form(editor, term)
    second_editor = change_form(editor, term)
    first_editor["body_nl"] = "Eerste redacteur."
    assert first_editor.submit("_save").status_code == HTTPStatus.FOUND
    second_editor["body_nl"] = "Tweede redacteur."
    response = second_editor.submit("_save")
    assert response.status_code == HTTPStatus.OK
    assert "Someone else saved this item" in response.text or "Iemand anders" in response.text
    term.refresh_from_db()
    assert term.body_nl == "Eerste redacteur."


def test_an_invalid_form_changes_nothing(editor, loaded):
    organisation = HelpOrganisation.objects.get(slug="113")
    before = stored_state(organisation)
    form = change_form(editor, organisation)
    form["website"] = "not a url"
    form["title_nl"] = "Gewijzigd"
    response = form.submit("_save")
    assert response.status_code == HTTPStatus.OK
    assert stored_state(organisation) == before


def test_an_over_long_title_is_refused_by_the_form(editor, loaded):
    theme = Theme.objects.first()
    form = change_form(editor, theme)
    form["title_nl"] = "x" * 301
    response = form.submit("_save")
    assert response.status_code == HTTPStatus.OK
    assert Theme.objects.get(pk=theme.pk).title_nl == theme.title_nl


def test_chapter_form_has_section_inline_and_plan_form_has_steps(editor, loaded):
    chapter = change_form(editor, Chapter.objects.get(number=4))
    assert "sections-TOTAL_FORMS" in chapter.fields
    assert "sections-0-edit_token" in chapter.fields
    plan = change_form(editor, StepPlan.objects.get(kind="incident"))
    assert "steps-TOTAL_FORMS" in plan.fields


