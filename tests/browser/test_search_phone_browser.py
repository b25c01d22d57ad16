"""The search page on a phone (390 x 844): one search box, compact filters, a result in view."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.browser

VIEWPORT = {"width": 390, "height": 844}


@pytest.fixture
def phone(browser, site):
    context = browser.new_context(viewport=VIEWPORT, device_scale_factor=2, is_mobile=True,
                                  has_touch=True)
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    context.close()


@pytest.mark.parametrize("path", [
    "/nl/zoeken/?q=pesten",
    "/nl/zoeken/?q=naaktfoto+doorgestuurd",
    "/en/search/?q=bullying",
    "/en/search/?q=what+is+sextortion",  # with the definition card first
    "/nl/zoeken/?q=groomng",  # with the notice about the corrected typo
])
def test_the_first_result_is_in_view_without_scrolling(phone, site, path):
    phone.goto(site + path)
    assert phone.locator("input[name=q]").count() == 1  # one search box on this page
    first = phone.locator(".app-definition-card__title, .app-results__title").first
    box = first.bounding_box()
    assert box is not None
    assert box["y"] + box["height"] <= VIEWPORT["height"], box
    assert phone.evaluate("document.documentElement.scrollWidth") <= VIEWPORT["width"]
    # Both filters share one row.
    kind, age = phone.locator("#search-kind").bounding_box(), \
        phone.locator("#search-age").bounding_box()
    assert abs(kind["y"] - age["y"]) < 2


def test_other_pages_keep_the_search_box_in_the_header(phone, site):
    phone.goto(site + "/nl/begrippen/")
    assert phone.locator("header input[name=q]").count() == 1
