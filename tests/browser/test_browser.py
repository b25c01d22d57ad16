"""What a browser does: keyboard use, the age filter, axe-core, privacy, print, small screens."""

from __future__ import annotations

import re

import pytest
from axe_playwright_python.sync_playwright import Axe

pytestmark = pytest.mark.browser

PAGE_TYPES = [
    "/nl/",
    "/nl/hoofdstukken/",
    "/nl/hoofdstukken/themas-in-de-klas/",
    "/nl/hoofdstukken/wat-kinderen-online-tegenkomen/?age=bovenbouw",
    "/nl/casussen/",
    "/nl/casussen/tess/",
    "/nl/begrippen/",
    "/nl/begrippen/grooming/",
    "/nl/hulp/",
    "/nl/stappenplannen/",
    "/nl/stappenplannen/bij-een-incident/",
    "/nl/tips-voor-kinderen/",
    "/nl/gespreksvragen/?age=kleuters",
    "/nl/themas/naaktbeelden/",
    "/nl/themas/consent/?age=bovenbouw",
    "/nl/zoeken/",
    "/nl/zoeken/?q=gepest",
    "/nl/zoeken/?q=naaktfoto+doorgestuurd",
    "/nl/zoeken/?q=qqqxyz",
    "/nl/bestaat-niet/",
    "/en/",
    "/en/cases/janna/",
]


def tab_to(page, selector_text: str, limit: int = 80) -> None:
    """Press Tab until the focused link's text contains `selector_text`."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        focused = page.evaluate("document.activeElement.textContent || ''")
        if selector_text in focused:
            return
    raise AssertionError(f"could not reach {selector_text!r} with the keyboard")


def test_keyboard_only_walk_home_chapter_case_glossary(page, site):
    page.goto(site + "/nl/")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.className") == "app-skip-link"
    assert page.locator(".app-skip-link").is_visible()
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main-content"

    tab_to(page, "Wat kunnen kinderen online tegenkomen")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/nl/hoofdstukken/wat-kinderen-online-tegenkomen/$"))
    assert "Hoofdstuk 3" in page.locator("h1").inner_text()

    tab_to(page, "Meer over de casus van Tess")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/nl/casussen/tess/$"))

    tab_to(page, "grooming")
    focused_href = page.evaluate("document.activeElement.getAttribute('href')")
    assert focused_href == "/nl/begrippen/grooming/"
    tooltip = page.locator(".app-term", has=page.locator("a:focus")).locator(
        ".app-term__definition")
    assert tooltip.is_visible(), "the short definition shows on keyboard focus"
    page.keyboard.press("Escape")
    assert not tooltip.is_visible(), "Escape dismisses the definition"
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/nl/begrippen/grooming/$"))
    assert page.locator("h1").inner_text() == "Grooming"
    outline = page.evaluate(
        "() => { const a = document.querySelector('.app-nav__link'); a.focus();"
        " const s = getComputedStyle(a); return s.outlineStyle + ' ' + s.boxShadow + ' '"
        " + s.backgroundColor; }")
    assert outline != "none none rgba(0, 0, 0, 0)", "focus must be visible"


def test_age_filter_in_the_browser(page, site):
    page.goto(site + "/nl/casussen/")
    assert page.locator(".app-card--case").count() == 5
    page.select_option("#age-filter", "kleuters")
    page.get_by_role("button", name="Filter toepassen").click()
    page.wait_for_url(re.compile(r"age=kleuters"))
    assert page.locator(".app-card--case").count() == 1
    assert "voor Kleuters" in page.locator("h1").inner_text()
    page.locator(".app-filter__reset").click()
    assert page.locator(".app-card--case").count() == 5
    assert "age=" not in page.url


@pytest.mark.parametrize("path", PAGE_TYPES)
def test_axe_finds_no_serious_or_critical_violations(page, site, path):
    page.goto(site + path)
    results = Axe().run(page)
    serious = [
        (v["id"], v["impact"], [n["target"] for n in v["nodes"]][:3])
        for v in results.response["violations"]
        if v["impact"] in {"serious", "critical"}
    ]
    assert serious == [], serious


@pytest.mark.parametrize("path", PAGE_TYPES)
def test_no_cookies_and_no_third_party_requests(browser, site, path):
    context = browser.new_context()
    page = context.new_page()
    requests = []
    page.on("request", lambda request: requests.append(request.url))
    page.goto(site + path)
    page.wait_for_load_state("networkidle")
    foreign = [url for url in requests if not url.startswith(site)]
    assert foreign == []
    assert context.cookies() == []
    context.close()


@pytest.mark.parametrize("path", ["/nl/", "/nl/hoofdstukken/themas-in-de-klas/",
                                  "/nl/stappenplannen/bij-een-incident/", "/nl/hulp/",
                                  "/nl/zoeken/?q=gepest"])
def test_usable_at_320_pixels_and_200_percent_zoom(browser, site, path):
    for width, scale in ((320, 1), (640, 2)):
        context = browser.new_context(viewport={"width": width, "height": 800},
                                      device_scale_factor=scale)
        page = context.new_page()
        page.goto(site + path)
        overflow = page.evaluate(
            "document.documentElement.scrollWidth - document.documentElement.clientWidth")
        assert overflow <= 0, f"{path} scrolls sideways at {width}px"
        context.close()


def test_step_plan_prints_as_a_complete_checklist(page, site):
    page.goto(site + "/nl/stappenplannen/bij-een-incident/")
    print_button = page.locator(".app-js-print")
    assert print_button.is_visible(), "JavaScript reveals the print button"
    page.locator("#bij-een-incident-check-1").check()
    assert page.locator("#bij-een-incident-check-1").is_checked()
    page.emulate_media(media="print")
    assert not page.locator(".app-nav").is_visible()
    assert not page.locator(".app-header__search").is_visible()
    assert not print_button.is_visible()
    assert page.locator(".app-step-nav__step").count() == 8
    assert page.locator(".app-checkbox").first.is_visible()
    assert page.locator(".app-contact-sheet").is_visible()
    after = page.evaluate(
        "getComputedStyle(document.querySelector('.app-contact .app-link--external'),"
        " '::after').content")
    assert "http" in after, "external URLs are printed"
    pdf = page.pdf(format="A4")
    assert pdf.startswith(b"%PDF") and len(pdf) > 10_000


def test_quick_exit_leaves_and_replaces_history(page, site):
    page.route("https://www.google.nl/**", lambda route: route.fulfill(
        status=200, content_type="text/html", body="<title>neutral</title>"))
    page.goto(site + "/nl/")
    page.goto(site + "/nl/tips-voor-kinderen/")
    page.locator(".app-js-quick-exit").click()
    page.wait_for_url("https://www.google.nl/")
    page.go_back()
    assert page.url.rstrip("/") == (site + "/nl").rstrip("/") or page.url == site + "/nl/"


def test_search_works_without_javascript(browser, site):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(site + "/nl/")
    page.fill("#site-search-q", "sextortion")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/nl/zoeken/\?q=sextortion"))
    assert page.locator(".app-definition-card").is_visible()
    assert page.locator(".app-results__item").count() >= 1
    page.select_option("#search-kind", "term")
    page.get_by_role("button", name="Zoeken").last.click()
    page.wait_for_url(re.compile(r"kind=term"))
    assert page.locator(".app-results__item").count() == 1
    context.close()
