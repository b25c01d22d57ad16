"""An editor's whole day in real Chromium (issue #19): log in as a Redacteur, change a
definition, preview it, publish it, compare it, restore the old one, export the files."""

from __future__ import annotations

import shutil

import pytest
from django.core.management import call_command

pytestmark = pytest.mark.browser
PASSWORD = "een lang genoeg wachtwoord 7"
NEW_TEXT = "Doxing is het openbaar maken van iemands adres; een redacteur schreef dit."


def test_an_editor_previews_publishes_compares_restores_and_exports(
        page, site, monkeypatch, tmp_path, live_server):
    from handreiking.files.exporter import export_content
    from handreiking.models import GlossaryTerm

    from ..conftest import REAL_CONTENT

    monkeypatch.setenv("DJANGO_EDITOR_PASSWORD", PASSWORD)
    call_command("createeditor", "redacteur", "--no-input", verbosity=0)
    term = GlossaryTerm.objects.get(slug="doxing")
    public = site + term.get_absolute_url()
    original_page = page.context.new_page()
    original_page.goto(public)
    original_text = original_page.locator("main").inner_text()
    original_page.close()

    # 1. Log in as the Redacteur.
    page.goto(site + "/admin/login/")
    page.fill("#id_username", "redacteur")
    page.fill("#id_password", PASSWORD)
    page.click("input[type=submit]")
    page.wait_for_url(site + "/admin/")
    assert page.title().endswith(("Handreiking — editing", "Handreiking — redactie"))

    # 2. Change the definition and preview it: a new tab, the form stays as it is.
    page.goto(f"{site}/admin/handreiking/glossaryterm/{term.pk}/change/")
    page.fill("#id_body_nl", NEW_TEXT)
    with page.context.expect_page() as opened:
        page.click("button[name=_preview][value=nl]")
    preview = opened.value
    preview.wait_for_load_state()
    assert NEW_TEXT in preview.locator("main").inner_text()
    assert preview.locator(".app-preview-banner").is_visible()
    preview.close()
    assert page.input_value("#id_body_nl") == NEW_TEXT
    term.refresh_from_db()
    assert NEW_TEXT not in term.body_nl  # the preview saved nothing

    # 3. Save it, and see it on the public page.
    page.click("input[name=_save]")
    page.wait_for_load_state()
    assert page.locator(".messagelist .success").count() == 1
    visitor = page.context.browser.new_context().new_page()
    visitor.goto(public)
    assert NEW_TEXT in visitor.locator("main").inner_text()

    # 4. The diff against the loaded version, then restore that version.
    page.goto(f"{site}/admin/handreiking/glossaryterm/{term.pk}/history/")
    assert "redacteur" in page.locator("#change-history").inner_text()
    page.click("#change-history button[type=submit]")
    page.wait_for_load_state()
    assert "redacteur schreef dit" in page.locator("#content-main").inner_text()
    assert page.locator("ins").count() >= 1
    page.goto(f"{site}/admin/handreiking/glossaryterm/{term.pk}/history/")
    page.locator("#change-history tbody tr").last.locator("th a").click()
    page.wait_for_load_state()
    assert page.input_value("#id_body_nl") != NEW_TEXT
    page.click("input[name=_save]")
    page.wait_for_load_state()
    assert page.locator(".messagelist .success").count() == 1
    visitor.goto(public)
    assert visitor.locator("main").inner_text() == original_text
    visitor.context.close()

    # 5. Export: the definition's file is the shipped one again, byte for byte.
    exported = tmp_path / "content"
    shutil.copytree(REAL_CONTENT, exported)
    report = export_content(root=exported)
    assert report.changes == 0
    assert (exported / "glossary/doxing.md").read_bytes() == \
        (REAL_CONTENT / "glossary/doxing.md").read_bytes()
