"""Review dates (issue #19): in the files (`reviewed:`), set by an admin action, shown on
the page, listed when overdue; organisations' contact details carry their own date."""

from datetime import date, timedelta
from http import HTTPStatus

import pytest
from django.urls import reverse
from django.utils import timezone

from handreiking.files.exporter import export_content
from handreiking.files.loader import load_content
from handreiking.files.records import ContentValidationError
from handreiking.models import GlossaryTerm, HelpOrganisation
from handreiking.schema import fingerprint

pytestmark = pytest.mark.django_db


@pytest.fixture
def loaded_copy(content_dir, db):
    load_content(root=content_dir)
    return content_dir


def run_action(browser, obj, action):
    """Tick the row's box in its change list and run an action, as an editor does."""
    meta = obj._meta
    changelist = browser.get(reverse(f"admin:{meta.app_label}_{meta.model_name}_changelist"))
    form = changelist.forms["changelist-form"]
    form["action"] = action
    boxes = form.fields["_selected_action"]
    assert str(obj.pk) in [box._value for box in boxes]
    for box in boxes:
        box.checked = box._value == str(obj.pk)
    return form.submit()


def add_key(path, line):
    text = path.read_text()
    path.write_text(text.replace("\n---\n", f"\n{line}\n---\n", 1))


def test_a_review_date_in_a_file_is_shown_on_the_page_in_both_languages(content_dir, client):
    add_key(content_dir / "glossary/doxing.md", "reviewed: 2026-11-23")
    load_content(root=content_dir)
    term = GlossaryTerm.objects.get(slug="doxing")
    assert term.reviewed == date(2026, 11, 23)
    dutch = client.get("/nl/begrippen/doxing/").content.decode()
    assert 'Laatst gecontroleerd: <time datetime="2026-11-23">23 november 2026</time>' in dutch
    english = client.get("/en/glossary/doxing/").content.decode()
    assert 'Last checked: <time datetime="2026-11-23">23 November 2026</time>' in english
    other = client.get("/nl/begrippen/sexting/").content.decode()
    assert "Laatst gecontroleerd" not in other  # no date, no claim


@pytest.mark.parametrize(("line", "message"), [
    ("reviewed: 23-11-2026", "must be a date written as 2026-11-23"),
    ("reviewed: 2999-01-01", "cannot be dated in the future"),
])
def test_a_wrong_review_date_is_refused_with_its_file(content_dir, db, line, message):
    add_key(content_dir / "glossary/doxing.md", line)
    with pytest.raises(ContentValidationError) as refused:
        load_content(root=content_dir)
    assert any(error.path.endswith("glossary/doxing.md") and error.field == "reviewed"
               and message in error.message for error in refused.value.errors)
    assert not GlossaryTerm.objects.exists()


def test_marking_as_reviewed_shows_on_the_page_and_goes_into_the_file(
        redacteur, loaded_copy, client):
    term = GlossaryTerm.objects.get(slug="doxing")
    assert run_action(redacteur, term, "mark_reviewed").status_code == HTTPStatus.FOUND
    today = timezone.localdate()
    term.refresh_from_db()
    assert term.reviewed == today
    page = client.get(term.get_absolute_url()).content.decode()
    assert f'<time datetime="{today.isoformat()}">' in page

    before = (loaded_copy / "glossary/doxing.md").read_text()
    report = export_content(root=loaded_copy)
    assert report.written == ["content/glossary/doxing.md"]
    after = (loaded_copy / "glossary/doxing.md").read_text()
    assert after == before.replace("\n---\n", f"\nreviewed: {today.isoformat()}\n---\n", 1)
    assert load_content(root=loaded_copy).changes == 0


def test_the_overdue_list_holds_what_was_never_or_long_ago_reviewed(redacteur, loaded):
    GlossaryTerm.objects.filter(slug="doxing").update(reviewed=timezone.localdate())
    GlossaryTerm.objects.filter(slug="sexting").update(
        reviewed=timezone.localdate() - timedelta(days=400))
    url = reverse("admin:handreiking_glossaryterm_changelist")
    overdue = redacteur.get(url + "?review=overdue").text
    assert ">Sexting<" in overdue and ">Grooming<" in overdue
    assert ">Doxing<" not in overdue
    recent = redacteur.get(url + "?review=recent").text
    assert ">Doxing<" in recent and ">Sexting<" not in recent


def test_the_english_missing_filter_finds_an_untranslated_item(redacteur, loaded):
    GlossaryTerm.objects.filter(slug="doxing").update(body_en="")
    url = reverse("admin:handreiking_glossaryterm_changelist")
    missing = redacteur.get(url + "?english=missing").text
    assert ">Doxing<" in missing and ">Sexting<" not in missing
    assert ">Doxing<" not in redacteur.get(url + "?english=complete").text


def test_contact_details_checked_today_shows_on_the_organisation_card(redacteur, loaded, client):
    organisation = HelpOrganisation.objects.get(slug="113")
    assert run_action(redacteur, organisation, "mark_contact_checked").status_code == \
        HTTPStatus.FOUND
    page = client.get(reverse("handreiking:organisation-list")).content.decode()
    assert "Contactgegevens gecontroleerd: <time datetime=" in page


def test_rows_loaded_before_review_dates_existed_keep_their_fingerprint():
    old = {"values": {"title_nl": "Doxing"}, "refs": {}, "children": []}
    new = {"values": {"title_nl": "Doxing", "reviewed": ""}, "refs": {}, "children": []}
    dated = {"values": {"title_nl": "Doxing", "reviewed": date(2026, 11, 23)}, "refs": {},
             "children": []}
    assert fingerprint(new) == fingerprint(old) != fingerprint(dated)


def test_view_on_site_opens_the_page_in_the_editors_language(redacteur, loaded):
    from django.contrib.contenttypes.models import ContentType

    term = GlossaryTerm.objects.get(slug="doxing")
    url = reverse("admin:view_on_site",
                  args=[ContentType.objects.get_for_model(GlossaryTerm).pk, term.pk])
    english = redacteur.get(url, headers={"Accept-Language": "en"})
    dutch = redacteur.get(url, headers={"Accept-Language": "nl"})
    assert english.location.endswith("/en/glossary/doxing/")
    assert dutch.location.endswith("/nl/begrippen/doxing/")


def test_related_terms_organisations_and_chapters_have_autocomplete(redacteur, loaded):
    from handreiking.models import Case

    case = Case.objects.get(slug="xavi")
    page = redacteur.get(reverse("admin:handreiking_case_change", args=[case.pk]))
    for name in ("chapter", "terms", "organisations"):
        assert "admin-autocomplete" in page.html.select_one(f"#id_{name}")["class"]
    found = redacteur.get(reverse("admin:autocomplete"), params={
        "term": "gro", "app_label": "handreiking", "model_name": "case",
        "field_name": "terms"}).json
    assert "Grooming" in [result["text"] for result in found["results"]]
