"""Search suggestions as you type (static/js/suggest.js), used in Chromium like a user would."""

from __future__ import annotations

import re

import pytest

pytestmark = pytest.mark.browser

HEADER_BOX = "#site-search-q"
LISTBOX = "#site-search-q-suggestions"


@pytest.fixture
def watched(page):
    """The page, with what went wrong on it: script errors, console errors, CSP reports."""
    problems: list[str] = []
    page.on("pageerror", lambda error: problems.append(f"pageerror: {error}"))
    page.on("console", lambda message: problems.append(f"console: {message.text}")
            if message.type == "error" or "Content Security Policy" in message.text else None)
    yield page, problems
    assert problems == []


def suggestion_requests(page) -> list[str]:
    urls: list[str] = []
    page.on("request", lambda request: urls.append(request.url)
            if "/suggesties/" in request.url or "/suggestions/" in request.url else None)
    return urls


def type_and_wait(page, text: str, selector: str = HEADER_BOX, listbox: str = LISTBOX):
    box = page.locator(selector)
    box.click()
    box.press_sequentially(text, delay=30)
    page.locator(listbox).wait_for(state="visible")
    return box


def test_typing_suggests_and_the_keyboard_picks_one(watched, site):
    page, _problems = watched
    page.goto(site + "/nl/")
    assert page.locator("html").get_attribute("lang") == "nl"
    box = page.locator(HEADER_BOX)
    assert box.get_attribute("role") == "combobox"
    assert box.get_attribute("aria-autocomplete") == "list"
    assert box.get_attribute("aria-expanded") == "false"
    assert box.get_attribute("aria-controls") == LISTBOX[1:]
    assert box.get_attribute("autocomplete") == "off"

    type_and_wait(page, "sext")
    listbox = page.locator(LISTBOX)
    assert listbox.get_attribute("role") == "listbox"
    assert box.get_attribute("aria-expanded") == "true"
    options = listbox.get_by_role("option")
    assert "Sextortion" in " ".join(options.all_inner_texts())
    assert box.get_attribute("aria-activedescendant") is None
    # The count is announced politely (the live region is visually hidden).
    status = page.locator(".app-search [role=status]")
    announced = status.text_content()
    assert re.fullmatch(rf"{options.count()} \w+", announced), announced  # "6 suggesties"
    assert status.bounding_box()["width"] <= 1

    first = options.first
    page.keyboard.press("ArrowDown")
    first_id = first.get_attribute("id")
    assert first_id and box.get_attribute("aria-activedescendant") == first_id
    assert first.get_attribute("aria-selected") == "true"
    assert page.evaluate("document.activeElement.id") == HEADER_BOX[1:]  # focus stays in the box
    # Up from the first wraps to the last; down again wraps back to the first.
    page.keyboard.press("ArrowUp")
    assert box.get_attribute("aria-activedescendant") == options.last.get_attribute("id")
    assert first.get_attribute("aria-selected") == "false"
    page.keyboard.press("ArrowDown")
    assert box.get_attribute("aria-activedescendant") == first_id

    # The first option's address, as the endpoint gave it.
    target = page.evaluate(
        "fetch(document.querySelector('#site-search-q').dataset.suggestUrl + '?q=sext')"
        ".then(r => r.json()).then(d => d.suggestions[0].url)")
    page.keyboard.press("Enter")
    page.wait_for_url(site + target)
    assert target.startswith("/nl/")


def test_escape_closes_then_clears_and_arrow_down_reopens(watched, site):
    page, _problems = watched
    page.goto(site + "/nl/")
    box = type_and_wait(page, "sext")
    page.keyboard.press("Escape")
    assert box.get_attribute("aria-expanded") == "false"
    assert page.locator(LISTBOX).is_hidden()
    assert box.input_value() == "sext"  # the first Escape only closes
    page.keyboard.press("ArrowDown")
    assert box.get_attribute("aria-expanded") == "true"
    assert page.locator(LISTBOX).is_visible()
    assert page.locator(LISTBOX + " [aria-selected=true]").count() == 1
    page.keyboard.press("Escape")
    assert box.get_attribute("aria-activedescendant") is None
    page.keyboard.press("Escape")
    assert box.input_value() == ""  # the second clears
    assert page.locator(".app-search [role=status]").inner_text() == ""
    page.keyboard.press("ArrowDown")
    assert box.get_attribute("aria-expanded") == "false"


def test_tab_and_a_click_outside_close_and_a_click_on_an_option_goes_there(watched, site):
    page, _problems = watched
    page.goto(site + "/nl/")
    box = type_and_wait(page, "sext")
    page.keyboard.press("Tab")
    assert box.get_attribute("aria-expanded") == "false"

    box.fill("")
    type_and_wait(page, "groom")
    page.locator("main h1").first.click()
    assert box.get_attribute("aria-expanded") == "false"
    assert page.locator(LISTBOX).is_hidden()

    box.fill("")
    type_and_wait(page, "sext")
    option = page.locator(LISTBOX).get_by_role("option", name=re.compile("Sextortion"))
    option.click()
    page.wait_for_url(re.compile(r"/nl/begrippen/sextortion/$"))
    assert "Sextortion" in page.locator("h1").inner_text()


def test_an_alias_shows_the_title_it_stands_for(watched, site):
    page, _problems = watched
    page.goto(site + "/en/")
    type_and_wait(page, "cyber")
    answer = page.evaluate(
        "fetch('/en/search/suggestions/?q=cyber').then(r => r.json()).then(d => d.suggestions)")
    aliases = [item for item in answer if item["label"] != item["title"]]
    if not aliases:
        pytest.skip("no alias among the suggestions for 'cyber'")
    alias = aliases[0]
    option = page.locator(LISTBOX).get_by_role("option").nth(answer.index(alias))
    assert option.locator(".app-suggest__label").inner_text() == alias["label"]
    assert option.locator(".app-suggest__title").inner_text() == alias["title"]
    assert option.locator(".app-suggest__kind").inner_text() == alias["kind_label"]


def test_english_pages_suggest_english_labels_and_addresses(watched, site):
    page, _problems = watched
    requests = suggestion_requests(page)
    page.goto(site + "/en/")
    assert page.locator("html").get_attribute("lang") == "en"
    type_and_wait(page, "cyber")
    options = page.locator(LISTBOX).get_by_role("option")
    texts = " ".join(options.all_inner_texts())
    assert "Cyberbullying" in texts and "cyberpesten" not in texts
    assert "Glossary term" in options.first.inner_text()  # the kind, in English
    page.keyboard.press("ArrowDown")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/en/glossary/cyberbullying/$"))  # the first, an English URL
    assert requests and all("/en/search/suggestions/?q=cyber" in url for url in requests)


def test_one_letter_sends_no_request_and_typing_is_debounced_and_cached(watched, site):
    page, _problems = watched
    requests = suggestion_requests(page)
    page.goto(site + "/nl/")
    box = page.locator(HEADER_BOX)
    box.click()
    box.press_sequentially("s", delay=30)
    page.wait_for_timeout(500)
    assert requests == []
    assert box.get_attribute("aria-expanded") == "false"

    box.press_sequentially("ext", delay=20)  # quicker than the debounce: one request
    page.locator(LISTBOX).wait_for(state="visible")
    page.wait_for_timeout(300)
    assert [url.split("?", 1)[1] for url in requests] == ["q=sext"]

    page.keyboard.press("Backspace")
    page.keyboard.press("Backspace")
    page.keyboard.press("Backspace")  # down to "s": closed, nothing sent
    page.wait_for_timeout(300)
    assert box.get_attribute("aria-expanded") == "false"
    box.press_sequentially("ext", delay=20)  # asked before: answered from memory
    page.locator(LISTBOX).wait_for(state="visible")
    page.wait_for_timeout(300)
    assert len(requests) == 1


def test_an_answer_to_an_older_query_is_ignored(watched, site):
    page, _problems = watched
    held = []

    def hold_the_first(route):
        if route.request.url.endswith("?q=sext"):
            held.append(route)
        else:
            route.continue_()

    page.route(re.compile(r"/zoeken/suggesties/"), hold_the_first)
    page.goto(site + "/nl/")
    box = page.locator(HEADER_BOX)
    box.click()
    box.press_sequentially("sext", delay=20)
    page.wait_for_timeout(400)
    assert len(held) == 1  # "sext" is on its way
    box.press_sequentially("o", delay=20)
    page.locator(LISTBOX).wait_for(state="visible")
    answer = page.locator(LISTBOX).inner_text()
    assert "Sextortion" in answer
    held[0].fulfill(json={"query": "sext", "suggestions": [
        {"label": "Te laat", "title": "Te laat", "url": "/nl/", "kind": "term",
         "kind_label": "Begrip"}]})
    page.wait_for_timeout(300)
    assert page.locator(LISTBOX).inner_text() == answer


def test_enter_without_a_highlighted_option_submits_the_form(watched, site):
    page, _problems = watched
    page.goto(site + "/nl/")
    type_and_wait(page, "sext")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/nl/zoeken/\?q=sext$"))
    # The search page's own box is enhanced too.
    assert page.locator(HEADER_BOX).count() == 0
    box = page.locator("#search-page-q")
    assert box.get_attribute("role") == "combobox"
    box.fill("")
    type_and_wait(page, "groom", "#search-page-q", "#search-page-q-suggestions")
    assert box.get_attribute("aria-expanded") == "true"
    assert "Grooming" in page.locator("#search-page-q-suggestions").inner_text()


def test_axe_finds_no_serious_violations_with_the_list_open(watched, site):
    from axe_playwright_python.sync_playwright import Axe

    page, _problems = watched
    page.goto(site + "/nl/")
    type_and_wait(page, "sext")
    page.keyboard.press("ArrowDown")
    results = Axe().run(page)
    serious = [(v["id"], [n["target"] for n in v["nodes"]][:3])
               for v in results.response["violations"] if v["impact"] in {"serious", "critical"}]
    assert serious == [], serious


def test_the_pages_answer_with_a_csp_that_allows_only_this_site(page, site):
    response = page.goto(site + "/nl/")
    policy = response.headers.get("content-security-policy", "")
    assert "connect-src 'self'" in policy and "script-src 'self'" in policy


def test_the_list_fits_a_phone(browser, site):
    context = browser.new_context(viewport={"width": 390, "height": 844})
    page = context.new_page()
    page.set_default_timeout(10_000)
    try:
        page.goto(site + "/nl/")
        box = type_and_wait(page, "sexting")
        listbox = page.locator(LISTBOX).bounding_box()
        field = box.bounding_box()
        assert listbox["x"] >= 0 and listbox["x"] + listbox["width"] <= 390
        assert abs(listbox["x"] - field["x"]) < 1 and abs(listbox["width"] - field["width"]) < 1
        assert listbox["y"] >= field["y"] + field["height"] - 1  # under the field
        assert page.evaluate("document.documentElement.scrollWidth") <= 390
        for option in page.locator(LISTBOX).get_by_role("option").all():
            assert option.bounding_box()["height"] >= 44
    finally:
        context.close()

