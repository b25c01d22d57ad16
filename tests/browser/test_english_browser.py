"""The language switch in Chromium: same page, same place on it, same filter."""

from __future__ import annotations

import re

import pytest

pytestmark = pytest.mark.browser


def test_language_switch_keeps_page_anchor_and_filter(page, site):
    page.goto(site + "/nl/hoofdstukken/themas-in-de-klas/?age=bovenbouw#consent")
    page.click(".app-language__link[hreflang=en]")
    page.wait_for_url(re.compile(r"/en/chapters/themas-in-de-klas/\?age=bovenbouw#consent$"))
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.evaluate("location.hash") == "#consent"
    assert page.locator("#consent").is_visible()
    page.click(".app-language__link[hreflang=nl]")
    page.wait_for_url(re.compile(r"/nl/hoofdstukken/themas-in-de-klas/\?age=bovenbouw#consent$"))
    assert page.locator("html").get_attribute("lang") == "nl"


def test_language_switch_without_anchor_goes_to_the_same_page(page, site):
    page.goto(site + "/en/glossary/grooming/")
    page.click(".app-language__link[hreflang=nl]")
    page.wait_for_url(re.compile(r"/nl/begrippen/grooming/$"))
    assert "Grooming" in page.locator("h1").inner_text()
