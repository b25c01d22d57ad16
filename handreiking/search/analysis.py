"""Language analysis shared by both backends: folding, stop words, Snowball stems, Dutch extras.

Both SQLite and PostgreSQL index the terms made here, so a query finds the same
documents on either database. Beyond plain Snowball stemming (which PostgreSQL's
`dutch` configuration also uses) Dutch needs two extras that teachers' queries
depend on: past participles ("gepest" -> "pest", as in "pesten") and compounds
("pestgedrag" -> "pest" + "gedrag", "naaktfoto's" -> "naakt" + "foto").
"""

from __future__ import annotations

import re
import threading
import unicodedata
from collections.abc import Iterable
from functools import lru_cache

import simplemma
import snowballstemmer

# Bumped whenever a change here gives a word other terms; loading content then re-indexes
# (SearchIndexState.analysis). 2: lemmas (simplemma) beside the stems.
VERSION = 2
STEMMER_NAMES = {"nl": "dutch", "en": "english"}
# simplemma's language codes for the languages lemmatised (the rest only stem).
LEMMA_LANGUAGES = {"nl": "nl", "en": "en"}
# Dutch separable-verb particles: "opslaan" is written "sla ... op" in an instruction.
SEPARABLE_PARTICLES = ("terug", "samen", "door", "weg", "mee", "aan", "uit", "over", "voor",
                       "toe", "op", "af", "in", "na", "bij", "om", "los", "neer")
MIN_VERB = 4  # "slaan": the verb left after a particle
WORD_RE = re.compile(r"[^\W_]+", re.UNICODE)
POSSESSIVE_RE = re.compile(r"['’`´]s\b")
MIN_COMPOUND_PART = 3
MIN_COMPOUND_WORD = 7

# The Snowball project's stop word lists (https://snowballstem.org/algorithms/).
STOP_WORDS = {
    "nl": frozenset(
        """de en van ik te dat die in een hij het niet zijn is was op aan met als voor had er
        maar om hem dan zou of wat mijn men dit zo door over ze zich bij ook tot je mij uit der
        daar haar naar heb hoe heeft hebben deze u want nog zal me zij nu ge geen omdat iets
        worden toch al waren veel meer doen toen moet ben zonder kan hun dus alles onder ja eens
        hier wie werd altijd doch wordt wezen kunnen ons zelf tegen na reeds wil kon niets uw
        iemand geweest andere""".split()
    ),
    "en": frozenset(
        """i me my myself we our ours ourselves you your yours yourself yourselves he him his
        himself she her hers herself it its itself they them their theirs themselves what which
        who whom this that these those am is are was were be been being have has had having do
        does did doing a an the and but if or because as until while of at by for with about
        against between into through during before after above below to from up down in out on
        off over under again further then once here there when where why how all any both each
        few more most other some such no nor not only own same so than too very s t can will
        just don should now""".split()
    ),
}


def fold(text: str) -> str:
    """Lowercase without diacritics: "Creëren" -> "creeren"."""
    if text.isascii():
        return text.casefold()  # the same result, without decomposing character by character
    decomposed = unicodedata.normalize("NFKD", text)
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return stripped.casefold()


def words(text: str) -> list[str]:
    """Folded words of a text; a possessive/plural "'s" is dropped ("foto's" -> "foto")."""
    return WORD_RE.findall(POSSESSIVE_RE.sub("", fold(text)))


class _ThreadStemmers(threading.local):
    """One Snowball stemmer per language *per thread*.

    A Snowball stemmer keeps its working state (the word being cut, its regions) on
    the object while it stems, so one object shared by gunicorn's threads returned wrong
    stems and IndexErrors under concurrent searches (issue #18), and `stem`'s cache then
    kept a wrong stem for the life of the process. Each thread stems with its own.
    """

    def __init__(self):
        self.by_language: dict[str, object] = {}


_stemmers = _ThreadStemmers()


def _stemmer(language: str):
    stemmers = _stemmers.by_language
    stemmer = stemmers.get(language)
    if stemmer is None:
        stemmer = stemmers[language] = snowballstemmer.stemmer(
            STEMMER_NAMES.get(language, "dutch"))
    return stemmer


@lru_cache(maxsize=200_000)
def stem(word: str, language: str) -> str:
    """The Snowball stem, memoised for the process: `lru_cache` is safe to share between
    threads, and every value in it comes from a thread's own stemmer, so it is right."""
    return _stemmer(language).stemWord(word)


@lru_cache(maxsize=200_000)
def lemma(word: str, language: str) -> str:
    """The dictionary form of a folded word ("kinderen" -> "kind", "opgeslagen" ->
    "opslaan"), or the word itself when the dictionary does not know it.

    Stems alone miss irregular forms ("kind"/"kinder", "child"/"children"), so a word
    is indexed and searched under its lemma's stem too. simplemma's dictionaries are
    read-only mappings once loaded, so its lookups are safe from every thread.
    """
    code = LEMMA_LANGUAGES.get(language)
    if not code or not simplemma.is_known(word, lang=code):
        return word
    found = fold(simplemma.lemmatize(word, lang=code))
    return found if WORD_RE.fullmatch(found) else word


@lru_cache(maxsize=200_000)
def is_real_word(word: str, language: str) -> bool:
    """Whether the language's dictionary knows this folded word: then it is no typo,
    even where the guide does not use it ("opslaan" is not "doorslaan")."""
    code = LEMMA_LANGUAGES.get(language)
    return bool(code) and simplemma.is_known(word, lang=code)


def separable_verb(word: str, language: str) -> str | None:
    """A Dutch separable verb's own verb: "opslaan" -> "slaan" (written "sla ... op")."""
    if language != "nl":
        return None
    base = lemma(word, language)
    if not base.endswith("n"):
        return None
    for particle in SEPARABLE_PARTICLES:
        verb = base[len(particle):]
        if base.startswith(particle) and len(verb) >= MIN_VERB and is_real_word(verb, language):
            return verb
    return None


def is_stop_word(word: str, language: str) -> bool:
    return word in STOP_WORDS.get(language, frozenset())


def meaningful_words(words: list[str], language: str) -> list[str]:
    """The words without stop words; all of them when nothing else is left ("de het")."""
    return [w for w in words if not is_stop_word(w, language)] or words


def participle_root(word: str, language: str) -> str | None:
    """Dutch past participle without its "ge-": "gepest" -> "pest", "gedeeld" -> "deeld"."""
    if language == "nl" and word.startswith("ge") and len(word) >= 6:
        return word[2:]
    return None


def split_compound(word: str, known: set[str]) -> tuple[str, str] | None:
    """Split a Dutch compound into two known words, allowing a linking "s" or "e(n)".

    `known` holds the folded words seen in the whole guide, so a split is only made
    where both halves are words the guide itself uses.
    """
    if len(word) < MIN_COMPOUND_WORD:
        return None
    for cut in range(len(word) - MIN_COMPOUND_PART, MIN_COMPOUND_PART - 1, -1):
        left, right = word[:cut], word[cut:]
        if right not in known or len(right) < MIN_COMPOUND_PART:
            continue
        for candidate in (left, left[:-1] if left.endswith("s") else None,
                          left[:-2] if left.endswith("en") else None):
            if candidate and len(candidate) >= MIN_COMPOUND_PART and candidate in known:
                return candidate, right
    return None


def word_terms(word: str, language: str, known: set[str] | None = None) -> tuple[str, ...]:
    """The terms one folded word is indexed under (its stem plus Dutch extras)."""
    if is_stop_word(word, language):
        return ()
    terms = [stem(word, language)]
    base = lemma(word, language)
    if base != word and not is_stop_word(base, language):
        terms.append(stem(base, language))
    root = participle_root(word, language)
    if root:
        terms.append(stem(root, language))
    if known is not None and language == "nl":
        parts = split_compound(word, known)
        if parts:
            terms.extend(stem(part, language) for part in parts)
    return tuple(dict.fromkeys(terms))


def index_terms(text: str, language: str, known: set[str] | None = None,
                cache: dict[str, tuple[str, ...]] | None = None) -> list[str]:
    """The terms a document's text is indexed under; `cache` reuses per-word results."""
    terms: list[str] = []
    for word in words(text):
        if cache is None:
            terms.extend(word_terms(word, language, known))
            continue
        found = cache.get(word)
        if found is None:
            found = cache[word] = word_terms(word, language, known)
        terms.extend(found)
    return terms


def query_groups(query: str, language: str, known: set[str] | dict[str, list[str]],
                 containing: dict[str, list[str]] | None = None) -> list[list[tuple[str, ...]]]:
    """Each query word becomes a group of alternatives; an alternative is a tuple of terms.

    All groups must match (AND); within a group any alternative will do (OR); all
    terms of one alternative must match (AND). "gepest naaktfoto" ->
    [[("gepest",), ("pest",)], [("naaktfoto",), ("naakt", "foto")]]
    When `known` maps words to synonyms (glossary aliases), each synonym is one
    more alternative: "cyberpesten" also finds "cyberbullying". `containing` maps a word
    to longer words of the guide that contain it, one more alternative each
    ("telefoon" also finds "kindertelefoon").
    """
    synonyms = known if isinstance(known, dict) else {}
    known = set(known)
    groups: list[list[tuple[str, ...]]] = []
    meaningful = meaningful_words(words(query), language)
    for word in meaningful:
        alternatives: list[tuple[str, ...]] = [(stem(word, language),)]
        base = lemma(word, language)
        if base != word and not is_stop_word(base, language):
            alternatives.append((stem(base, language),))
        verb = separable_verb(word, language)
        if verb:
            alternatives.append((stem(verb, language),))
        root = participle_root(word, language)
        if root:
            alternatives.append((stem(root, language),))
        if language == "nl":
            parts = split_compound(word, known)
            if parts:
                alternatives.append(tuple(stem(p, language) for p in parts))
        for synonym in synonyms.get(word, []):
            terms = tuple(index_terms(synonym, language))
            if terms:
                alternatives.append(terms)
        for longer in (containing or {}).get(word, []):
            alternatives.append((stem(longer, language),))
        unique = _absorb(list(dict.fromkeys(alternatives)))
        if unique not in groups:
            groups.append(unique)
    return groups


def _absorb(alternatives: list[tuple[str, ...]]) -> list[tuple[str, ...]]:
    """Drop alternatives that require more than another one: A or (A and B) is A.

    Synonyms can repeat a word ("deepfake" -> "deepfakes video"); the longer
    alternative finds nothing more, but costs the engine a term to look up and rank.
    """
    sets = [set(alternative) for alternative in alternatives]
    return [alternative for alternative, terms in zip(alternatives, sets, strict=True)
            if not any(other < terms for other in sets)]


def query_stems(groups: Iterable[list[tuple[str, ...]]]) -> set[str]:
    return {term for group in groups for alternative in group for term in alternative}
