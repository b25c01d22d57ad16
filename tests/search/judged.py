"""The judged query set: realistic teacher queries, each with the pages that belong in the top 5.

`judged/nl.tsv` and `judged/en.tsv` were written from the guide's text before the
engine was tuned to them (see the comment at the top of each). A query is a hit@5 when
any of its pages is among the first five results, a hit@1 when the first result is
one of them. Used by `test_judged.py` (the thresholds) and `make bench` (the table).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

JUDGED_DIR = Path(__file__).parent / "judged"
LANGUAGES = ("nl", "en")
CLASSES = ("situation", "concept", "everyday", "compound", "typo", "help")
# The natural-language questions of issue #18 (judged/questions-<language>.tsv): one class.
QUESTION = "question"


@dataclass(frozen=True)
class Judgement:
    query: str
    kind: str  # one of CLASSES
    urls: tuple[str, ...]
    line: int


@dataclass
class Outcome:
    judgement: Judgement
    found: list[str]  # the first five result URLs

    @property
    def rank(self) -> int | None:
        """1-based position of the first right page in the top 5, None when none is."""
        for position, url in enumerate(self.found, start=1):
            if url in self.judgement.urls:
                return position
        return None


@dataclass
class Evaluation:
    language: str
    outcomes: list[Outcome] = field(default_factory=list)

    def share(self, k: int, kind: str | None = None) -> float:
        chosen = [o for o in self.outcomes if kind is None or o.judgement.kind == kind]
        if not chosen:
            return 0.0
        return sum(1 for o in chosen if o.rank is not None and o.rank <= k) / len(chosen)

    @property
    def hit1(self) -> float:
        return self.share(1)

    @property
    def hit5(self) -> float:
        return self.share(5)

    @property
    def empty(self) -> list[Outcome]:
        return [o for o in self.outcomes if not o.found]

    @property
    def misses(self) -> list[Outcome]:
        return [o for o in self.outcomes if o.rank is None]


def load(language: str, *, questions: bool = False) -> list[Judgement]:
    """The judged queries of one language (or its questions); raises ValueError naming the
    line at fault."""
    path = JUDGED_DIR / (f"questions-{language}.tsv" if questions else f"{language}.tsv")
    classes = (QUESTION,) if questions else CLASSES
    judgements = []
    for number, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not raw.strip() or raw.startswith("#"):
            continue
        columns = raw.split("\t")
        if len(columns) != 3 or columns[1] not in classes or not columns[2].split():
            raise ValueError(f"{path.name}:{number}: expected query<TAB>class<TAB>urls")
        judgements.append(Judgement(columns[0], columns[1], tuple(columns[2].split()), number))
    return judgements


def evaluate(language: str, judgements: list[Judgement] | None = None) -> Evaluation:
    """Run every judged query through the site's search (needs a loaded database)."""
    from handreiking.search import search

    evaluation = Evaluation(language)
    for judgement in judgements if judgements is not None else load(language):
        hits = search(judgement.query, language=language).hits[:5]
        evaluation.outcomes.append(Outcome(judgement, [hit.url for hit in hits]))
    return evaluation


def table(evaluations: list[Evaluation]) -> str:
    """hit@1 / hit@5 per language and per class, as printed by `make bench`."""
    lines = [f"{'language':<9}{'class':<11}{'queries':>8}{'hit@1':>8}{'hit@5':>8}{'empty':>7}"]
    for evaluation in evaluations:
        by_kind = defaultdict(int)
        for outcome in evaluation.outcomes:
            by_kind[outcome.judgement.kind] += 1
        for kind in (*CLASSES, None):
            if kind and not by_kind[kind]:
                continue
            count = by_kind[kind] if kind else len(evaluation.outcomes)
            empty = sum(1 for o in evaluation.empty if kind in (None, o.judgement.kind))
            lines.append(f"{evaluation.language:<9}{kind or 'all':<11}{count:>8}"
                         f"{evaluation.share(1, kind):>8.0%}{evaluation.share(5, kind):>8.0%}"
                         f"{empty:>7}")
    return "\n".join(lines)
