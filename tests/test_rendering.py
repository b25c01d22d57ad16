"""Markdown rendering: deterministic, glossary-linked once per document, always sanitised."""

from handreiking.rendering import GlossaryEntry, render_markdown, short_definition

GLOSSARY = [
    GlossaryEntry("grooming", "/nl/begrippen/grooming/", ("Grooming", "digitale kinderlokkerij"),
                  "Een proces waarbij een volwassene …"),
    GlossaryEntry("sexting", "/nl/begrippen/sexting/", ("Sexting", "sext"), "Het versturen …"),
    GlossaryEntry("shame-sexting", "/nl/begrippen/shame-sexting/", ("Shame sexting",),
                  "Zonder toestemming …"),
]


def test_rendering_is_deterministic():
    text = "Over grooming en sexting.\n\n- een\n- twee"
    assert render_markdown(text, glossary=GLOSSARY) == render_markdown(text, glossary=GLOSSARY)


def test_first_occurrence_of_a_term_is_linked_once():
    html = render_markdown("Grooming is ernstig. Grooming komt voor.", glossary=GLOSSARY)
    assert html.count('data-term="grooming"') == 1
    assert '<a class="app-term__link" data-term="grooming" href="/nl/begrippen/grooming/">' \
           'Grooming</a>' in html
    assert 'role="tooltip">Een proces waarbij een volwassene …</span>' in html


def test_aliases_link_to_their_term():
    html = render_markdown("Ook wel digitale kinderlokkerij genoemd.", glossary=GLOSSARY)
    assert 'data-term="grooming"' in html
    assert ">digitale kinderlokkerij</a>" in html


def test_longest_term_wins_and_words_must_be_whole():
    html = render_markdown("Shame sexting is iets anders dan sextingen.", glossary=GLOSSARY)
    assert 'data-term="shame-sexting"' in html
    assert 'data-term="sexting"' not in html


def test_terms_are_never_linked_inside_headings_links_or_code():
    text = "### Grooming\n\n[over grooming](https://example.org) en `grooming`\n\n    grooming"
    html = render_markdown(text, glossary=GLOSSARY)
    assert "data-term" not in html


def test_a_term_is_not_linked_in_its_own_definition():
    html = render_markdown("Grooming is een proces.", glossary=GLOSSARY, exclude_term="grooming")
    assert "data-term" not in html


def test_scripts_event_handlers_and_javascript_urls_are_removed():
    malicious = (
        "<script>alert('x')</script>\n\n"
        '<a href="javascript:alert(1)" onclick="steal()">klik</a>\n\n'
        '<img src="x" onerror="alert(1)">\n\n'
        '<iframe src="https://evil.example"></iframe>\n\n'
        "[link](javascript:alert(2))\n\n"
        '<p style="position:fixed" onmouseover="x()">tekst</p>'
    )
    html = render_markdown(malicious)
    for forbidden in ("<script", "alert('x')", "onclick", "onerror", "javascript:", "<iframe",
                      "<img", "style=", "onmouseover"):
        assert forbidden not in html
    assert "klik" in html and "tekst" in html


def test_external_links_are_marked_and_isolated():
    html = render_markdown("[Offlimits](https://hulplijn.offlimits.nl) en [intern](/nl/hulp/)")
    assert ('<a class="app-link--external" href="https://hulplijn.offlimits.nl" '
            'rel="noopener noreferrer">Offlimits</a>') in html
    assert '<a href="/nl/hulp/">intern</a>' in html


def test_tip_boxes_lists_and_heading_ids():
    html = render_markdown('### Tips voor jou\n\n!!! tip "Tips"\n    - een\n    - twee\n')
    assert '<h3 id="tips-voor-jou">' in html
    assert '<div class="admonition tip">' in html
    assert html.count("<li>") == 2


def test_empty_text_renders_empty():
    assert render_markdown("   ") == ""


def test_inline_rendering_drops_the_paragraph():
    assert render_markdown("Mag je *dit*?", inline=True) == "Mag je <em>dit</em>?"


def test_short_definition_is_the_first_sentence_in_plain_text():
    assert short_definition("Een **proces**. Tweede zin.") == "Een proces."
    long = "woord " * 100
    assert len(short_definition(long)) <= 180


# --- "Don't link here": `[words]{.nolink}`, and hyphenated compounds ---------------------------


def test_a_no_link_mark_renders_plain_text_and_the_next_use_is_linked():
    html = render_markdown("Een [sexting]{.nolink} en daarna sexting.", glossary=GLOSSARY)
    assert html.startswith("<p>Een sexting en daarna <span class=\"app-term\">")
    assert html.count('data-term="sexting"') == 1
    assert "nolink" not in html and "{" not in html and "[" not in html


def test_a_no_link_mark_keeps_inline_markup_and_leaves_no_trace():
    html = render_markdown("Zie [*grooming* en **sexting**]{.nolink}.", glossary=GLOSSARY)
    assert html == "<p>Zie <em>grooming</em> en <strong>sexting</strong>.</p>"


def test_a_no_link_mark_is_sanitised():
    html = render_markdown('[<script>alert(1)</script><b onclick="x()">sexting</b>]{.nolink}',
                           glossary=GLOSSARY)
    assert "<script" not in html and "alert" not in html and "onclick" not in html
    assert "data-term" not in html


def test_a_no_link_mark_in_code_stays_literal():
    assert render_markdown("`[sexting]{.nolink}`") == "<p><code>[sexting]{.nolink}</code></p>"


def test_a_hyphenated_compound_is_not_the_term():
    html = render_markdown("Bij sexting-misbruik en pre-grooming.", glossary=GLOSSARY)
    assert "data-term" not in html
    html = render_markdown("Bij sexting-misbruik, en over sexting.", glossary=GLOSSARY)
    assert html.count('data-term="sexting"') == 1
    assert html.startswith("<p>Bij sexting-misbruik, en over <span")


def test_short_definition_drops_the_no_link_mark():
    assert short_definition("Een [deepfake]{.nolink} is iets. Meer.") == "Een deepfake is iets."
