"""The one publisher: HTML per language from its own source, fallbacks marked, version bumped."""

import re
from http import HTTPStatus

import pytest
from django.core.exceptions import ImproperlyConfigured

from handreiking import publishing
from handreiking.files.loader import load_content
from handreiking.models import Case, ContentVersion, GlossaryTerm, SearchDocument, Section

pytestmark = pytest.mark.django_db
LINK = re.compile(r'href="(/[^"]*)"')


def test_each_language_links_its_own_glossary_pages(loaded):
    tess = Case.objects.get(slug="tess")
    assert 'href="/nl/begrippen/grooming/"' in tess.advice_html_nl
    assert 'href="/en/glossary/grooming/"' in tess.advice_html_en
    for section in Section.objects.all():
        assert all(link.startswith("/en/") for link in LINK.findall(section.body_html_en))
        assert all(link.startswith("/nl/") for link in LINK.findall(section.body_html_nl))


def test_a_missing_translation_renders_the_dutch_source_with_english_links(content_dir):
    (content_dir / "en/cases/02-tess.md").unlink()
    load_content(root=content_dir)
    tess = Case.objects.get(slug="tess")
    assert tess.advice_html_en.startswith('<div class="app-fallback" lang="nl">')
    assert "This part is not yet available in English." in tess.advice_html_en
    assert 'href="/en/glossary/grooming/"' in tess.advice_html_en
    assert "/nl/" not in tess.advice_html_en
    # The English search shows the Dutch document instead of indexing Dutch as English.
    assert not SearchDocument.objects.filter(language="en", title__startswith="Tess").exists()
    assert SearchDocument.objects.get(language="nl", kind="case", url__contains="tess") \
        .visible_in == "nl en"


def test_an_item_with_only_its_title_translated_is_not_indexed_as_english(content_dir):
    path = content_dir / "en/glossary/doxing.md"
    path.write_text("---\ntitle: Doxing\n---\n", encoding="utf-8")
    load_content(root=content_dir)
    assert not SearchDocument.objects.filter(language="en", term_slug="doxing").exists()
    assert "lang=\"nl\"" in GlossaryTerm.objects.get(slug="doxing").body_html_en


def test_publishing_bumps_the_content_version_and_a_no_op_load_does_not(content_dir):
    load_content(root=content_dir)
    first = ContentVersion.current()
    assert first >= 1
    load_content(root=content_dir)
    assert ContentVersion.current() == first
    assert publishing.publish().version > first


def test_publish_rerenders_only_what_is_out_of_date(loaded):
    assert publishing.render_all() == 0
    Section.objects.filter(slug="consent").update(body_html_en="")
    assert publishing.render_all() == 1
    assert Section.objects.get(slug="consent").body_html_en.startswith("<")


def test_rendering_refuses_an_uncompiled_url_catalogue(loaded, monkeypatch):
    from django.utils.translation import get_language

    # What reverse() gives when the Dutch .mo is missing: the English URL words.
    monkeypatch.setattr(publishing, "reverse", lambda name, **kw: f"/{get_language()}/glossary/")
    with pytest.raises(ImproperlyConfigured, match="make messages"):
        publishing.render_all()


def test_english_term_page_lists_the_same_places_as_the_dutch_one(client, loaded):
    def places(path):
        response = client.get(path)
        assert response.status_code == HTTPStatus.OK
        html = response.content.decode()
        listing = html.split('<ul class="app-occurrences">', 1)[1].split("</ul>", 1)[0]
        return LINK.findall(listing)

    for slug in ("grooming", "sexting", "cyberbullying"):
        dutch = places(f"/nl/begrippen/{slug}/")
        english = places(f"/en/glossary/{slug}/")
        assert dutch and len(english) == len(dutch), slug
        assert all(link.startswith("/en/") for link in english)


def test_a_fallback_keeps_its_links_to_this_site_in_the_page_language(content_dir):
    chapter = content_dir / "en/chapters/07-vragen-van-leerkrachten"
    (chapter / "02-reageren-als-een-leerling-iets-naars-meemaakte.md").unlink()
    load_content(root=content_dir)
    section = Section.objects.get(slug="reageren-als-een-leerling-iets-naars-meemaakte")
    assert 'href="/nl/hoofdstukken/bij-een-incident/"' in section.body_html_nl
    assert 'href="/en/chapters/bij-een-incident/"' in section.body_html_en
    assert "/nl/" not in section.body_html_en
