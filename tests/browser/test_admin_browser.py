"""The admin in real Chromium: an editor opens the first item of every kind and presses Save."""

from __future__ import annotations

import pytest

from handreiking.schema import KINDS, fingerprint

pytestmark = pytest.mark.browser
PASSWORD = "redacteur-wachtwoord-123"


@pytest.fixture
def editor_page(page, site, django_user_model):
    django_user_model.objects.create_superuser("redacteur", "r@example.org", PASSWORD)
    page.goto(site + "/admin/login/")
    page.fill("#id_username", "redacteur")
    page.fill("#id_password", PASSWORD)
    page.click("input[type=submit]")
    page.wait_for_url(site + "/admin/")
    return page


def test_every_kind_saves_unchanged_in_chromium_and_the_next_load_sees_no_edits(editor_page,
                                                                               site):
    from handreiking.files.loader import load_content

    from ..conftest import REAL_CONTENT

    page = editor_page
    for kind in KINDS:
        if kind.name == "chapters":  # the chapter with the most section inlines
            obj = max(kind.model.objects.all(), key=lambda c: c.sections.count())
        else:
            obj = kind.model.objects.order_by("pk").first()
        before = kind.snapshot(kind.queryset().get(pk=obj.pk))
        meta = obj._meta
        page.goto(f"{site}/admin/{meta.app_label}/{meta.model_name}/{obj.pk}/change/")
        page.click("input[name=_save]")
        page.wait_for_load_state()
        assert page.url.endswith(f"/admin/{meta.app_label}/{meta.model_name}/"), (
            kind.name, page.locator(".errornote, .errorlist").all_inner_texts())
        assert page.locator(".messagelist .success").count() == 1, kind.name
        after = kind.snapshot(kind.queryset().get(pk=obj.pk))
        assert after == before, kind.name
        assert fingerprint(after) == kind.model.objects.get(pk=obj.pk).loaded_hash, kind.name
    report = load_content(root=REAL_CONTENT)  # raises ContentConflictError on any admin edit
    assert report.changes == 0
