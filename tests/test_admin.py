"""The admin: every model editable in both languages; saves render HTML and never lose edits."""

from http import HTTPStatus

import pytest
from django.urls import reverse

from handreiking.files.loader import ContentConflictError, load_content
from handreiking.models import (
    AgeGroup,
    Case,
    Chapter,
    GlossaryTerm,
    HelpOrganisation,
    QuestionList,
    SearchDocument,
    Section,
    StepPlan,
    Theme,
)
from handreiking.search import search

from .conftest import REAL_CONTENT

pytestmark = pytest.mark.django_db
MODELS = [AgeGroup, Theme, GlossaryTerm, HelpOrganisation, Chapter, Section, Case, QuestionList,
          StepPlan]


def admin_url(obj_or_model, action="changelist"):
    meta = obj_or_model._meta
    if action == "change":
        return reverse(f"admin:{meta.app_label}_{meta.model_name}_change", args=[obj_or_model.pk])
    return reverse(f"admin:{meta.app_label}_{meta.model_name}_{action}")


@pytest.mark.parametrize("model", MODELS, ids=[m.__name__ for m in MODELS])
def test_every_model_has_a_list_search_and_change_form(admin_client, loaded, model):
    listing = admin_client.get(admin_url(model), {"q": "a"})
    assert listing.status_code == HTTPStatus.OK
    obj = model.objects.first()
    form = admin_client.get(admin_url(obj, "change"))
    assert form.status_code == HTTPStatus.OK
    html = form.content.decode()
    assert 'name="title_nl"' in html and 'name="title_en"' in html
    assert 'name="edit_token"' in html


def test_chapter_form_has_section_inline_and_plan_form_has_steps(admin_client, loaded):
    chapter = admin_client.get(admin_url(Chapter.objects.get(number=4), "change"))
    assert "sections-TOTAL_FORMS" in chapter.content.decode()
    plan = admin_client.get(admin_url(StepPlan.objects.get(kind="incident"), "change"))
    assert "steps-TOTAL_FORMS" in plan.content.decode()


def _bound_values(form, prefix: str = "") -> dict:
    """A form's current values, as a browser would submit them."""
    data = {}
    for name in form.fields:
        value = form[name].value()
        key = f"{prefix}{name}"
        if isinstance(value, list | tuple):
            data[key] = [str(v) for v in value]
        elif isinstance(value, bool):
            if value:
                data[key] = "on"
        else:
            data[key] = "" if value is None else value
    return data


def _form_data(response):
    """The bound values of an admin change form and its inlines."""
    data = _bound_values(response.context["adminform"].form)
    for inline in response.context["inline_admin_formsets"]:
        management = inline.formset.management_form
        data.update(_bound_values(management, f"{management.prefix}-"))
        for form in inline.formset.forms:
            data.update(_bound_values(form, f"{form.prefix}-"))
    return data


def test_saving_in_admin_renders_html_and_updates_search(admin_client, loaded):
    term = GlossaryTerm.objects.get(slug="doxing")
    response = admin_client.get(admin_url(term, "change"))
    data = _form_data(response)
    data["body_nl"] = "Het openbaar maken van iemands adres, ook wel zebrapad-lekken genoemd."
    saved = admin_client.post(admin_url(term, "change"), data)
    assert saved.status_code == HTTPStatus.FOUND, saved.content.decode()[:3000]
    term.refresh_from_db()
    assert "zebrapad-lekken" in term.body_html_nl
    assert any(hit.title == "Doxing" for hit in search("zebrapad", language="nl").hits)
    with pytest.raises(ContentConflictError, match="glossary/doxing"):
        load_content(root=REAL_CONTENT)


def test_deleting_in_admin_removes_it_from_search(admin_client, loaded):
    case = Case.objects.get(slug="ezra")
    response = admin_client.post(reverse("admin:handreiking_case_delete", args=[case.pk]),
                                 {"post": "yes"})
    assert response.status_code == HTTPStatus.FOUND
    assert not SearchDocument.objects.filter(title__startswith="Ezra").exists()


def test_a_stale_form_is_refused_and_nothing_is_lost(admin_client, loaded):
    term = GlossaryTerm.objects.get(slug="doxing")
    first_editor = _form_data(admin_client.get(admin_url(term, "change")))
    second_editor = dict(first_editor)
    first_editor["body_nl"] = "Eerste redacteur."
    assert admin_client.post(admin_url(term, "change"), first_editor).status_code == \
        HTTPStatus.FOUND
    second_editor["body_nl"] = "Tweede redacteur."
    response = admin_client.post(admin_url(term, "change"), second_editor)
    assert response.status_code == HTTPStatus.OK
    assert "Someone else saved this item" in response.content.decode() or \
        "Iemand anders" in response.content.decode()
    term.refresh_from_db()
    assert term.body_nl == "Eerste redacteur."


def test_an_invalid_form_changes_nothing(admin_client, loaded):
    organisation = HelpOrganisation.objects.get(slug="113")
    data = _form_data(admin_client.get(admin_url(organisation, "change")))
    data["website"] = "not a url"
    data["title_nl"] = "Gewijzigd"
    response = admin_client.post(admin_url(organisation, "change"), data)
    assert response.status_code == HTTPStatus.OK
    organisation.refresh_from_db()
    assert organisation.title_nl == "113"
