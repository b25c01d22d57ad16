"""Preview in the admin (issue #19): the unsaved text on its public page, nothing saved.

The buttons are pressed as WebTest finds them in the change form Django renders, by a
Redacteur (the role editors have).
"""

from http import HTTPStatus

import pytest
from reversion.models import Version

from handreiking.files.loader import load_content
from handreiking.models import Chapter, ContentVersion, GlossaryTerm, SearchDocument

from .conftest import REAL_CONTENT
from .test_admin import admin_url, change_form

pytestmark = pytest.mark.django_db
TEXT = "Een voorbeeldtekst over grooming, nog niet opgeslagen: zebrapadlek."


def press_preview(form, language):
    return form.submit("_preview", value=language)


def test_the_preview_shows_the_unsaved_text_on_the_site_page_with_glossary_links(
        redacteur, loaded):
    term = GlossaryTerm.objects.get(slug="doxing")
    form = change_form(redacteur, term)
    buttons = redacteur.get(admin_url(term, "change")).html.select('button[name="_preview"]')
    assert {b["value"] for b in buttons} == {"nl", "en"}
    assert all(b["formtarget"] == "_blank" for b in buttons)  # the form stays open
    form["body_nl"] = TEXT + "\n\n<script>alert(1)</script>"
    page = press_preview(form, "nl")
    assert page.status_code == HTTPStatus.OK
    assert "zebrapadlek" in page.text
    assert 'class="app-preview-banner"' in page.text
    assert page.headers["X-Robots-Tag"] == "noindex"
    assert 'lang="nl"' in page.text and 'class="app-header' in page.text  # the site's layout
    assert 'data-term="grooming"' in page.text  # the publisher's glossary links
    assert "<script>alert" not in page.text  # sanitised as published text is
    assert "no-store" in page.headers["Cache-Control"]


def test_a_preview_saves_nothing_and_publishes_nothing(redacteur, loaded, client):
    term = GlossaryTerm.objects.get(slug="doxing")
    before = (term.body_nl, term.body_html_nl, ContentVersion.current(),
              Version.objects.count(), SearchDocument.objects.count())
    form = change_form(redacteur, term)
    form["body_nl"] = TEXT
    press_preview(form, "nl")
    term.refresh_from_db()
    after = (term.body_nl, term.body_html_nl, ContentVersion.current(),
             Version.objects.count(), SearchDocument.objects.count())
    assert after == before
    assert "zebrapadlek" not in client.get(term.get_absolute_url()).content.decode()
    assert load_content(root=REAL_CONTENT).changes == 0
    # The same form still saves afterwards: the preview left its edit token valid.
    assert form.submit("_save").status_code == HTTPStatus.FOUND


def test_the_english_preview_is_the_english_page(redacteur, loaded):
    term = GlossaryTerm.objects.get(slug="doxing")
    form = change_form(redacteur, term)
    form["body_en"] = "An English preview text with the word zebracrossing."
    page = press_preview(form, "en")
    assert "zebracrossing" in page.text
    assert '<html lang="en">' in page.text
    assert "/en/glossary/" in page.text


def test_a_chapter_preview_shows_its_edited_sections(redacteur, loaded):
    chapter = Chapter.objects.get(number=1)
    form = change_form(redacteur, chapter)
    form["sections-0-body_nl"] = "Een nieuwe alinea die alleen in het voorbeeld staat."
    page = press_preview(form, "nl")
    assert "alleen in het voorbeeld staat" in page.text
    chapter.refresh_from_db()
    assert "alleen in het voorbeeld" not in chapter.sections.first().body_nl


def test_an_invalid_form_gives_its_errors_not_a_preview(redacteur, loaded):
    term = GlossaryTerm.objects.get(slug="doxing")
    form = change_form(redacteur, term)
    form["title_nl"] = ""
    page = press_preview(form, "nl")
    assert page.status_code == HTTPStatus.OK
    assert "app-preview-banner" not in page.text
    assert "errorlist" in page.text


def test_a_preview_in_an_unknown_language_is_refused(redacteur, loaded):
    term = GlossaryTerm.objects.get(slug="doxing")
    form = change_form(redacteur, term)
    fields = [(name, "de" if name == "_preview" else value)
              for name, value in form.submit_fields("_preview", index=0)]
    response = redacteur.post(form.action or admin_url(term, "change"), fields, status=400)
    assert response.status_code == HTTPStatus.BAD_REQUEST


def test_an_add_form_previews_a_new_term(redacteur, loaded):
    page = redacteur.get(admin_url(GlossaryTerm, "add"))
    form = page.forms["glossaryterm_form"]
    form["title_nl"] = "Zebrapadlek"
    form["slug"] = "zebrapadlek"
    form["body_nl"] = "Een nieuw begrip, nog niet opgeslagen."
    preview = press_preview(form, "nl")
    assert "Een nieuw begrip, nog niet opgeslagen." in preview.text
    assert not GlossaryTerm.objects.filter(slug="zebrapadlek").exists()
