"""Text normalised once, on the way in: the same for a content file and an admin form."""

from __future__ import annotations

import re
import unicodedata

TRAILING_SPACE = re.compile(r"[ \t]+$", re.MULTILINE)


def normalise_text(value: str) -> str:
    """Unix line ends, no trailing spaces, Unicode NFC, no blank lines at either end.

    Browsers submit textareas with CRLF line ends and editors paste decomposed
    letters; normalising both files and forms the same way makes an unchanged admin
    save a no-op and keeps the files and the database byte-identical.
    """
    value = value.replace("\r\n", "\n").replace("\r", "\n")
    value = TRAILING_SPACE.sub("", value)
    return unicodedata.normalize("NFC", value).strip("\n").strip()
