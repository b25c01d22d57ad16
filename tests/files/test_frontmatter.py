"""Parsing one content file: metadata and body, or a ContentError naming the problem."""

import pytest

from handreiking.files.frontmatter import ContentError, parse_file, split_order_prefix

from ..conftest import write


def test_parses_metadata_and_body(tmp_path):
    path = write(tmp_path / "a.md", "---\ntitle: Consent\norder: 2\n---\n\nTekst hier.\n")
    doc = parse_file(path)
    assert doc.metadata == {"title": "Consent", "order": 2}
    assert doc.body == "Tekst hier."


def test_windows_line_endings_are_accepted(tmp_path):
    path = tmp_path / "a.md"
    path.write_bytes(b"---\r\ntitle: X\r\n---\r\nTekst\r\n")
    assert parse_file(path).body == "Tekst"


@pytest.mark.parametrize(
    ("text", "field", "fragment"),
    [
        ("title: X\n---\nbody", "(file)", "must start with a front matter block"),
        ("---\ntitle: [unclosed\n---\nbody", "front matter", "invalid YAML"),
        ("---\ntitle: A\ntitle: B\n---\nbody", "front matter", "duplicate key 'title'"),
        ("---\n- a\n- b\n---\nbody", "front matter", "must be a mapping"),
        ("---\ntitle: X\n---\n•\t� een punt", "body", "PDF bullet"),
        ("---\ntitle: X\n---\nwoord\u00adafbreking", "body", "soft hyphen"),
        ("---\ntitle: X\n---\n9 | Handreiking voor leerkrachten | Online", "body", "page footer"),
    ],
)
def test_bad_files_raise_a_content_error_naming_the_field(tmp_path, text, field, fragment):
    path = write(tmp_path / "bad.md", text)
    with pytest.raises(ContentError) as info:
        parse_file(path, display_path="content/bad.md")
    message = str(info.value)
    assert message.startswith(f"content/bad.md: {field}: ")
    assert fragment in message


def test_invalid_utf8_is_reported(tmp_path):
    path = tmp_path / "latin1.md"
    path.write_bytes("---\ntitle: caf\xe9\n---\n".encode("latin-1"))
    with pytest.raises(ContentError, match="not valid UTF-8"):
        parse_file(path)


@pytest.mark.parametrize(
    ("stem", "expected"),
    [("03-consent", (3, "consent")), ("consent", (None, "consent")),
     ("01-0-6-jaar", (1, "0-6-jaar")), ("113", (None, "113"))],
)
def test_split_order_prefix(stem, expected):
    assert split_order_prefix(stem) == expected
