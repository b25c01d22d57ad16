"""Search analysis shared between threads gives what one thread gives (issue #18).

gunicorn serves each process with several threads, and the publisher may run in one of
them (an admin save) while others search. These tests run the real code on 8 threads at
once and compare with a serial run; each would fail with one Snowball stemmer shared
between the threads (it keeps its working state on the object).
"""

from __future__ import annotations

import copy
import threading

import pytest
import snowballstemmer

from handreiking.search import analysis, snippets
from handreiking.search.indexing import _vocabulary, analyse_documents, build_documents

pytestmark = pytest.mark.django_db
THREADS = 8


def _run_together(work, count: int = THREADS) -> list:
    """Run `work(index)` on `count` threads released at the same moment; their results."""
    start = threading.Barrier(count)
    results: list = [None] * count
    errors: list[BaseException] = []

    def run(index: int) -> None:
        try:
            start.wait()
            results[index] = work(index)
        except BaseException as error:  # noqa: BLE001 - reported below
            errors.append(error)

    threads = [threading.Thread(target=run, args=(index,)) for index in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not errors, errors[:3]
    return results


@pytest.fixture
def guide_words(loaded) -> dict[str, list[str]]:
    """Every word of the guide, per language (about 2,200 Dutch ones)."""
    return {language: sorted(counter)
            for language, counter in _vocabulary(build_documents()).items()}


@pytest.mark.parametrize("language", ["nl", "en"])
def test_stemming_the_whole_vocabulary_on_eight_threads_gives_the_serial_stems(guide_words,
                                                                               language):
    words = guide_words[language] * 5
    reference = snowballstemmer.stemmer(analysis.STEMMER_NAMES[language])
    serial = [reference.stemWord(word) for word in words]
    unmemoised = analysis.stem.__wrapped__  # every call stems, none is answered from memory
    results = _run_together(lambda _index: [unmemoised(word, language) for word in words])
    for result in results:
        assert result == serial


@pytest.mark.parametrize("language", ["nl", "en"])
def test_lemmas_on_eight_threads_are_the_serial_lemmas(guide_words, language):
    """simplemma's dictionaries are read-only once loaded; its lookups share no state."""
    words = guide_words[language] * 2
    lemma, real = analysis.lemma.__wrapped__, analysis.is_real_word.__wrapped__
    serial = [(lemma(word, language), real(word, language)) for word in words]
    results = _run_together(
        lambda _index: [(lemma(word, language), real(word, language)) for word in words])
    for result in results:
        assert result == serial
    assert sum(known for _lemma, known in serial) > len(words) / 2  # a real dictionary


def test_memoised_stems_stay_right_after_concurrent_use(guide_words):
    analysis.stem.cache_clear()
    words = guide_words["nl"]
    _run_together(lambda index: [analysis.stem(word, "nl") for word in words[index::2]])
    reference = snowballstemmer.stemmer("dutch")
    wrong = [word for word in words if analysis.stem(word, "nl") != reference.stemWord(word)]
    assert wrong == []


def test_a_publish_beside_searches_indexes_what_a_serial_publish_does(loaded, guide_words):
    """The publisher's analysis on one thread while seven threads analyse queries and
    make snippets, all through the shared, memoised stems; then the same serially."""
    documents = build_documents()
    analysis.stem.cache_clear()
    analysis.lemma.cache_clear()
    snippets.token_forms.cache_clear()
    texts = [document.body for document in documents[:60]]

    def work(index: int):
        if index == 0:
            beside = copy.deepcopy(documents)
            analyse_documents(beside)
            return [(d.title_terms, d.extra_terms, d.body_terms) for d in beside]
        words = guide_words["nl"][index::THREADS - 1]
        for word in words:
            groups = analysis.query_groups(word, "nl", set(words))
            stems = frozenset(analysis.query_stems(groups))
            snippets.make_snippet(texts[len(word) % len(texts)], stems, "nl")
        return None

    concurrent = _run_together(work)[0]
    analysis.stem.cache_clear()
    analysis.lemma.cache_clear()
    serial = copy.deepcopy(documents)
    analyse_documents(serial)
    assert concurrent == [(d.title_terms, d.extra_terms, d.body_terms) for d in serial]
