"""Chromium against real gunicorn instances: the admin under the CSP, and two instances.

Two instances share one database, as several machines behind a load balancer do; an
edit saved through one must be on the other's very next response.
"""

from __future__ import annotations

import re
from contextlib import contextmanager

import pytest

from ..servers import PASSWORD, fetch, gunicorn, server_database

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
SENTENCE = "Een zin die een redacteur zojuist via de eerste server toevoegde."


@pytest.fixture(scope="module")
def two_instances(tmp_path_factory, django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        with server_database(tmp_path_factory.mktemp("two")) as url:
            with gunicorn(url) as first, gunicorn(url) as second:
                yield first, second


@contextmanager
def watched_page(browser):
    """A fresh page, and the CSP violations the browser reports on it."""
    context = browser.new_context()
    page = context.new_page()
    blocked: list[str] = []
    page.on("console", lambda message: blocked.append(message.text)
            if "Content Security Policy" in message.text else None)
    try:
        yield page, blocked
    finally:
        context.close()


def log_in(page, base):
    page.goto(base + "/admin/login/")
    page.fill("#id_username", "redacteur")
    page.fill("#id_password", PASSWORD)
    page.click("input[type=submit]")
    page.wait_for_url(base + "/admin/")


def test_an_edit_through_one_instance_is_on_the_others_next_response(browser, two_instances):
    first, second = two_instances
    chapter = "/nl/hoofdstukken/waarom-online-weerbaarheid/"
    status, headers, body = fetch(second + chapter)
    assert status == 200 and SENTENCE not in body
    etag = headers["ETag"]
    assert fetch(second + chapter, {"If-None-Match": etag})[0] == 304  # cached there

    with watched_page(browser) as (page, violations):
        log_in(page, first)
        page.goto(first + "/admin/handreiking/section/?q=online-risicos")
        page.click("#result_list tbody tr a")
        page.wait_for_selector("input[name=_save]")
        textarea = page.locator("#id_body_nl")
        textarea.fill(textarea.input_value() + "\n\n" + SENTENCE)
        page.click("input[name=_save]")
        page.wait_for_selector(".messagelist .success")
    assert violations == []

    status, headers, body = fetch(second + chapter, {"If-None-Match": etag})
    assert status == 200, "the second instance must not answer 304 for the old version"
    assert SENTENCE in body
    assert headers["ETag"] != etag


def test_the_admin_works_under_the_csp(browser, two_instances):
    first, _second = two_instances
    outside = []
    with watched_page(browser) as (page, blocked):
        page.on("request", lambda request: outside.append(request.url)
                if not request.url.startswith((first, "data:")) else None)
        log_in(page, first)
        page.goto(first + "/admin/handreiking/stepplan/")
        page.click("#result_list tbody tr a")
        page.wait_for_selector("input[name=_save]")
        # The inline "add another step" link is made by the admin's JavaScript.
        add = page.locator(".add-row a")
        assert add.count() >= 1
        before = page.locator(".inline-related:not(.empty-form)").count()
        add.first.click()
        assert page.locator(".inline-related:not(.empty-form)").count() == before + 1
        # The many-to-many chooser (filter_horizontal) is built by JavaScript too.
        assert page.locator(".selector-available").count() >= 1
    assert blocked == []
    assert outside == []


def test_the_public_site_under_the_csp_runs_its_script(browser, two_instances):
    first, _second = two_instances
    with watched_page(browser) as (page, blocked):
        page.goto(first + "/nl/stappenplannen/bij-een-incident/")
        assert re.search(r"/static/js/main\.[0-9a-f]{12}\.js", page.content())
        # main.js reveals the print button: it ran under the CSP.
        assert page.locator(".app-js-print").first.is_visible()
    assert blocked == []
