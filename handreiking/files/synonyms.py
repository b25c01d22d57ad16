"""content/synonyms.yml (and en/synonyms.yml) -> validated synonym entries; reads, never writes.

Teachers and pupils search with words the guide does not use ("nudes", "groepsapp");
these files map such everyday words to the guide's own words, per language. They map
words and add no facts, so the rules are about words only: each key should be words the
guide itself uses in that language (otherwise a warning: it finds nothing), and each
everyday word is one plain word, listed once (otherwise an error, and nothing loads).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import yaml

from ..models import Synonym
from ..schema import DEFAULT_LANGUAGE, OTHER_LANGUAGES, TRANSLATION_DIR
from ..search import analysis
from .frontmatter import ContentError
from .records import Record

SYNONYMS_FILE = "synonyms.yml"
MAX_KEY_WORDS = 4


def is_everyday_word(word: str) -> bool:
    """One plain word as search folds it (lowercase, no accents): what a synonym maps from."""
    return bool(word) and analysis.words(word) == [word] and \
        len(word) <= Synonym._meta.get_field("word").max_length


def is_guide_phrase(means: str) -> bool:
    """The guide's word or words a synonym maps to: 1 to MAX_KEY_WORDS words."""
    return 0 < len(analysis.words(means)) <= MAX_KEY_WORDS and \
        len(means) <= Synonym._meta.get_field("means").max_length


@dataclass(frozen=True)
class SynonymEntry:
    language: str
    word: str  # the everyday word, folded ("nudes")
    means: str  # the guide's word or words, as written in the file ("naaktbeelden")
    path: str

    @property
    def key(self) -> tuple[str, str]:
        return (self.language, self.word)


def synonym_files(root: Path) -> dict[str, Path]:
    """The synonyms file of each language: Dutch at the top, translations under en/."""
    files = {DEFAULT_LANGUAGE: root / SYNONYMS_FILE}
    files.update({code: root / TRANSLATION_DIR / SYNONYMS_FILE for code in OTHER_LANGUAGES})
    return files


def guide_words(records: list[Record]) -> dict[str, set[str]]:
    """Per language, every folded word of the guide's text in that language."""
    found: dict[str, set[str]] = {code: set() for code in (DEFAULT_LANGUAGE, *OTHER_LANGUAGES)}
    for record in records:
        for values in (record.values, *record.children):
            for name, value in values.items():
                code = name.rsplit("_", 1)[-1]
                if code in found and isinstance(value, str):
                    found[code].update(analysis.words(value))
    return found


def _read_one(path: Path, shown: str, language: str, known: set[str],
              errors: list[ContentError], warnings: list[str]) -> list[SynonymEntry]:
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as exc:
        errors.append(ContentError(shown, f"cannot be read: {exc}"))
        return []
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" (line {mark.line + 1})" if mark else ""
        errors.append(ContentError(shown, f"is not valid YAML{where}"))
        return []
    if data is None:
        return []
    if not isinstance(data, dict):
        errors.append(ContentError(shown, "must map the guide's words to lists of everyday "
                                          "words, e.g. `naaktbeelden: [nudes, naaktselfie]`"))
        return []
    max_word = Synonym._meta.get_field("word").max_length
    max_means = Synonym._meta.get_field("means").max_length
    entries: list[SynonymEntry] = []
    listed: dict[str, str] = {}
    for means, everyday in data.items():
        field = str(means)
        key_words = analysis.words(field)
        if not isinstance(means, str) or not key_words:
            errors.append(ContentError(shown, "a key must be the guide's word or words", field))
            continue
        if not is_guide_phrase(field):
            errors.append(ContentError(shown, f"at most {MAX_KEY_WORDS} words and {max_means} "
                                              "characters", field))
            continue
        unused = [word for word in key_words if word not in known]
        if unused:  # a typo, or text since removed: harmless (it finds nothing), but say so
            warnings.append(f"{shown}: {field}: the guide ({language}) does not use "
                            f"{', '.join(map(repr, unused))}; a key should be the guide's own "
                            "words")
        if not isinstance(everyday, list) or not everyday:
            errors.append(ContentError(shown, "needs a list of everyday words, e.g. "
                                              f"`{field}: [word, other-word]`", field))
            continue
        for item in everyday:
            word = str(item) if isinstance(item, (str, int)) else ""
            if not is_everyday_word(word):
                errors.append(ContentError(
                    shown, f"{item!r} is not one plain word in lowercase without accents "
                           f"(letters and digits, at most {max_word})", field))
            elif analysis.words(word) == key_words:
                errors.append(ContentError(shown, f"{word!r} is the key itself", field))
            elif word in listed:
                errors.append(ContentError(shown, f"{word!r} is listed twice (also under "
                                                  f"{listed[word]!r})", field))
            else:
                listed[word] = field
                entries.append(SynonymEntry(language, word, field.strip(), shown))
    return entries


@dataclass
class SynonymFiles:
    entries: list[SynonymEntry]
    errors: list[ContentError]  # nothing may be loaded
    warnings: list[str]  # loaded, but worth a look (a key the guide does not use)


def read_synonyms(root: Path, records: list[Record]) -> SynonymFiles:
    """Every language's synonym entries and the problems found; a missing file is empty."""
    known = guide_words(records)
    found = SynonymFiles([], [], [])
    for language, path in synonym_files(root).items():
        if path.is_file():
            shown = str(path.relative_to(root.parent))
            found.entries += _read_one(path, shown, language, known[language], found.errors,
                                       found.warnings)
    return found
