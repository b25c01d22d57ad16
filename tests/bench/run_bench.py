#!/usr/bin/env python
"""Search benchmark: index build time and query latency at 1x, 100x and 1000x the real guide.

Run with `make bench` (or `.venv/bin/python tests/bench/run_bench.py --help`). This is a
report, not a test: it prints figures and PASS/FAIL per target, and exits 0 unless it
crashes. It never touches the developer's db.sqlite3: every run migrates a fresh SQLite
file in a temporary directory (or, with --postgres, a throw-away database created next to
the one DATABASE_URL names). See tests/bench/README.md.
"""

from __future__ import annotations

import argparse
import cProfile
import gc
import io
import json
import math
import os
import platform
import pstats
import random
import re
import resource
import shutil
import sqlite3
import sys
import tempfile
import time
from collections import Counter
from datetime import datetime
from functools import reduce
from operator import and_
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

QUERIES = [
    "gepest",
    "pesten",
    "pestgedrag",
    "naaktfoto doorgestuurd",
    "wat is doxing",
    "groomng",  # typo for "grooming"
    "creeren",  # "creëren" without the diaeresis
    "sextortion",
    "deepfake",
    "consent",
    "wat moet ik doen bij een naaktfoto",
    "Kindertelefoon",
    "slachtoffer",
    "oorlogsbeelden game",
    "sticker whatsapp",
    "wachtwoord",
    "ouders informeren",
    "porno",
    "cyberpesten",
    "113",
]
HITS_RENDERED = 20  # the results page shows 20 hits, each with a snippet

# Targets from the issue.
TARGET_P95_100 = 15.0  # ms
TARGET_P95_1000 = 50.0  # ms
TARGET_SPEEDUP_1000 = 20.0  # naive p95 / search p95
TARGET_GROWTH = 100.0  # p95(1000x) / p95(1x): "much less than 1000", i.e. <= a tenth of linear
TARGET_HIT5 = 0.90  # judged set (tests/search/judged/), per language
TARGET_HIT1 = 0.70

# How the synthetic variants differ from the real text.
SWAP_RATE = 0.10  # share of words swapped for another word of the guide
PARAGRAPH = 4  # sentences shuffled within groups of this many
SENTENCE_RE = re.compile(r"(?<=[.!?…])\s+")
SWAPPABLE_RE = re.compile(r"([^\W\d_]{3,})")  # words (not numbers) of 3+ letters
FIELDS = ("kind", "language", "visible_in", "url", "title", "context", "extra", "body",
          "age_groups", "term_slug")


# --- Setup ----------------------------------------------------------------------------------------


def parse_args(argv=None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scales", default="1,100,1000",
                        help="comma-separated multiples of the real guide (default: 1,100,1000)")
    parser.add_argument("--repeat", type=int, default=5,
                        help="timed runs of every query per scale, after one warm-up (default 5)")
    parser.add_argument("--seed", type=int, default=1, help="seed for the text variation")
    parser.add_argument("--content", type=Path, default=ROOT / "content",
                        help="the real content tree to start from (default: content/)")
    parser.add_argument("--postgres", action="store_true",
                        help="use the PostgreSQL server of DATABASE_URL (a temporary database "
                             "on it); without this flag SQLite is always used")
    parser.add_argument("--profile", action="store_true",
                        help="also print a cProfile of the search queries at the largest scale")
    parser.add_argument("--json", type=Path, default=None,
                        help="write results here (default: bench-results/search-<time>.json)")
    parser.add_argument("--no-json", action="store_true", help="do not write a JSON file")
    parser.add_argument("--keep-db", action="store_true",
                        help="keep the temporary SQLite file (its path is printed)")
    args = parser.parse_args(argv)
    try:
        args.scales = sorted({int(s) for s in args.scales.split(",") if s.strip()})
    except ValueError:
        parser.error("--scales takes whole numbers, e.g. 1,100,1000")
    if not args.scales or min(args.scales) < 1:
        parser.error("--scales must be whole numbers >= 1")
    if args.repeat < 1:
        parser.error("--repeat must be >= 1")
    return args


def configure_environment(args) -> tuple[str, Path | None]:
    """Point DATABASE_URL at a throw-away database; must run before django.setup()."""
    sys.path.insert(0, str(ROOT))
    os.environ["DJANGO_SETTINGS_MODULE"] = "handreiking.settings"
    url = os.environ.get("DATABASE_URL", "")
    if args.postgres:
        if not url.startswith(("postgres://", "postgresql://", "pgsql://")):
            sys.exit("--postgres needs DATABASE_URL=postgres://… in the environment")
        return "postgresql", None
    tmpdir = Path(tempfile.mkdtemp(prefix="handreiking-bench-"))
    # An empty file is an empty SQLite database; the settings open only existing files.
    (tmpdir / "bench.sqlite3").touch()
    os.environ["DATABASE_URL"] = f"sqlite:///{tmpdir / 'bench.sqlite3'}"
    return "sqlite", tmpdir


def create_database(vendor: str):
    """Migrate the fresh database; returns a function that drops it again."""
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection

    if vendor == "postgresql":
        # A database of its own on the same server (like the test runner's), never the
        # developer's: its name is unique to this process and it is dropped at the end.
        old_name = connection.settings_dict["NAME"]
        connection.settings_dict.setdefault("TEST", {})
        connection.settings_dict["TEST"]["NAME"] = f"handreiking_bench_{os.getpid()}"
        connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
        return lambda: connection.creation.destroy_test_db(old_name, verbosity=0)
    assert settings.DATABASES["default"]["NAME"] != str(ROOT / "db.sqlite3")
    call_command("migrate", verbosity=0, interactive=False)
    return lambda: connection.close()


# --- Synthetic content ----------------------------------------------------------------------------


class Item:
    """One search document's text, light enough to hold 100k of them in memory."""

    __slots__ = FIELDS

    def __init__(self, **fields):
        for name in FIELDS:
            setattr(self, name, fields[name])


def word_pool(base: list[Item]) -> list[str]:
    """Every word of the guide as often as it occurs, so swaps keep the word frequencies."""
    return [w for item in base for text in (item.title, item.extra, item.body)
            for w in SWAPPABLE_RE.findall(text)]


def shuffle_sentences(text: str, rng: random.Random) -> str:
    sentences = SENTENCE_RE.split(text)
    if len(sentences) < 2:
        return text
    out: list[str] = []
    for start in range(0, len(sentences), PARAGRAPH):
        paragraph = sentences[start:start + PARAGRAPH]
        rng.shuffle(paragraph)
        out.extend(paragraph)
    return " ".join(out)


def swap_words(text: str, rng: random.Random, pool: list[str]) -> str:
    parts = SWAPPABLE_RE.split(text)  # words at the odd positions
    count = len(parts) // 2
    if not count:
        return text
    swaps = sum(1 for _ in range(count) if rng.random() < SWAP_RATE) if count < 8 \
        else round(count * SWAP_RATE + rng.uniform(-1, 1))
    for index in rng.sample(range(count), max(0, min(count, swaps))):
        old, new = parts[2 * index + 1], rng.choice(pool)
        parts[2 * index + 1] = new[:1].upper() + new[1:] if old[:1].isupper() else new
    return "".join(parts)


def variant(item: Item, copy: int, rng: random.Random, pool: list[str]) -> Item:
    url, hash_, fragment = item.url.partition("#")
    return Item(
        kind=item.kind, language=item.language, visible_in=item.visible_in,
        url=f"{url.rstrip('/')}-v{copy}/{hash_}{fragment}",
        # "v37", not "37": a bare number would make "113" match copy 113 of everything.
        title=f"{item.title} (v{copy})",
        context=item.context,
        # A glossary term's extra holds its aliases (names, one a line): kept as they are.
        extra=item.extra if item.kind == "term" else swap_words(item.extra, rng, pool),
        body=swap_words(shuffle_sentences(item.body, rng), rng, pool),
        age_groups=item.age_groups,
        term_slug=f"{item.term_slug}-v{copy}" if item.term_slug else "",
    )


def synthesize(base: list[Item], scale: int, seed: int, pool: list[str]) -> list[Item]:
    """The real documents plus (scale - 1) varied copies of each; copy 1 is the real text."""
    items = list(base)
    for copy in range(2, scale + 1):
        rng = random.Random(f"{seed}:{copy}")
        items.extend(variant(item, copy, rng, pool) for item in base)
    return items


# --- Index build (mirrors handreiking.search.rebuild_index) ---------------------------------------


def clear_index(vendor: str) -> None:
    """Empty the index between scales (not timed)."""
    from django.conf import settings
    from django.db import connection, transaction

    from handreiking.models import SearchDocument, SearchTerm
    from handreiking.search.sqlite import fts_table, head_table

    with transaction.atomic():
        SearchDocument.objects.all().delete()
        SearchTerm.objects.all().delete()
        if vendor == "sqlite":
            with connection.cursor() as cursor:
                for code, _name in settings.LANGUAGES:
                    for table in (fts_table(code), head_table(code)):
                        cursor.execute(f"INSERT INTO {table}({table}) VALUES('delete-all')")
    if vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("VACUUM")
    else:
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE handreiking_searchdocument")


def build_index(items: list[Item]) -> dict[str, float]:
    """rebuild_index() without build_documents(): the same indexing, on synthetic rows."""
    from handreiking.models import SearchDocument
    from handreiking.search import index_documents

    timings: dict[str, float] = {}
    start = time.perf_counter()
    documents = [SearchDocument(**{name: getattr(item, name) for name in FIELDS})
                 for item in items]
    index_documents(documents, timings=timings)
    timings["total"] = time.perf_counter() - start
    return timings


# --- Measuring ------------------------------------------------------------------------------------


def percentile(values: list[float], p: float) -> float:
    """Nearest-rank percentile."""
    ordered = sorted(values)
    return ordered[max(0, math.ceil(p / 100 * len(ordered)) - 1)]


def run_search(query: str):
    """One results page: search, then the snippets of the hits shown."""
    from handreiking.search import attach_snippets, search

    t0 = time.perf_counter()
    results = search(query, language="nl")
    t1 = time.perf_counter()
    shown = [*results.hits[:HITS_RENDERED], results.definition]
    attach_snippets(shown)
    for hit in shown:
        if hit is not None:
            hit.snippet_html  # noqa: B018 - rendering is what is timed
    t2 = time.perf_counter()
    return results, t1 - t0, t2 - t1


def run_naive(query: str) -> int:
    """The obvious Django search page, doing the same job as ours.

    Every word in title, body or extra (icontains), a count for "N results" and the
    pager, title matches ranked first, then the first page of 20 — what a ListView
    with a Paginator over an icontains filter does.
    """
    from django.db.models import Case, IntegerField, Q, When

    from handreiking.models import SearchDocument

    words = query.split()
    condition = reduce(and_, (Q(title__icontains=w) | Q(body__icontains=w)
                              | Q(extra__icontains=w) for w in words))
    matches = SearchDocument.objects.filter(visible_in__contains="nl").filter(condition)
    total = matches.count()
    in_title = reduce(and_, (Q(title__icontains=w) for w in words))
    ranked = matches.annotate(
        in_title=Case(When(in_title, then=1), default=0, output_field=IntegerField())
    ).order_by("-in_title", "title")
    return min(total, len(list(ranked[:20])))


def fts_matches(query: str) -> int | None:
    """How many documents the index matches before the top 100 are cut (SQLite only).

    The FTS engine scores every match, so this count drives the cost of a query.
    Mirrors search._match(): all words, else any word (typo correction not followed).
    """
    from django.db import connection

    from handreiking import search as pkg
    from handreiking.search import analysis
    from handreiking.search.sqlite import fts_table, match_expression

    if connection.vendor != "sqlite":
        return None
    known = pkg.vocabulary.vocabulary("nl").known_words(analysis.words(query))
    groups = analysis.query_groups(query, "nl", known)
    if not groups:
        return 0
    with connection.cursor() as cursor:
        for attempt in (groups, [sum(groups, [])]):
            table = fts_table("nl")
            cursor.execute(f"SELECT count(*) FROM {table} WHERE {table} MATCH %s",
                           [match_expression(attempt, age_group=None, kind=None)])
            count = cursor.fetchone()[0]
            if count:
                return count
    return 0


class PhaseTimer:
    """Exclusive time per wrapped function (a wrapped callee's time is not its caller's)."""

    def __init__(self):
        self.totals: Counter = Counter()
        self.stack: list[float] = []

    def wrap(self, name, function):
        def wrapper(*args, **kwargs):
            start = time.perf_counter()
            self.stack.append(0.0)
            try:
                return function(*args, **kwargs)
            finally:
                inner = self.stack.pop()
                elapsed = time.perf_counter() - start
                self.totals[name] += elapsed - inner
                if self.stack:
                    self.stack[-1] += elapsed
        return wrapper


def phase_breakdown(queries: list[str], rounds: int) -> dict[str, dict[str, float]]:
    """Median ms per query of each step of search(), by wrapping its helpers for a while."""
    from handreiking import search as pkg

    backend_class = type(pkg.get_backend())
    patches = [(pkg.querying, "vocabularies"), (pkg.querying, "_corrections"),
               (pkg.analysis, "query_groups"), (backend_class, "match"),
               (pkg.querying, "_build_hits")]
    names = {"vocabularies": "vocabulary", "_corrections": "corrections", "query_groups":
             "analysis", "match": "fts_match", "_build_hits": "build_hits"}
    timer = PhaseTimer()
    saved = [(owner, attr, owner.__dict__.get(attr, None), attr in owner.__dict__)
             for owner, attr in patches]
    samples: dict[str, dict[str, list[float]]] = {}
    try:
        for owner, attr in patches:
            setattr(owner, attr, timer.wrap(names[attr], getattr(owner, attr)))
        for _ in range(rounds):
            for query in queries:
                timer.totals.clear()
                _, search_s, snippet_s = run_search(query)
                phases = {name: timer.totals[name] * 1000 for name in names.values()}
                phases["rank_and_hits"] = search_s * 1000 - sum(phases.values())
                phases["snippets"] = snippet_s * 1000
                for name, value in phases.items():
                    samples.setdefault(query, {}).setdefault(name, []).append(value)
    finally:
        for owner, attr, value, had in saved:
            if had:
                setattr(owner, attr, value)
            else:
                delattr(owner, attr)
    return {q: {name: sorted(v)[len(v) // 2] for name, v in phases.items()}
            for q, phases in samples.items()}


def measure(queries: list[str], repeat: int) -> dict:
    search_ms, naive_ms, snippet_ms = [], [], []
    per_query: dict[str, dict] = {}
    for query in queries:  # warm-up, not timed
        run_search(query)
        run_naive(query)
    for _ in range(repeat):
        for query in queries:
            results, search_s, snippet_s = run_search(query)
            t0 = time.perf_counter()
            rows = run_naive(query)
            naive_s = time.perf_counter() - t0
            total = (search_s + snippet_s) * 1000
            search_ms.append(total)
            snippet_ms.append(snippet_s * 1000)
            naive_ms.append(naive_s * 1000)
            entry = per_query.setdefault(query, {
                "hits": len(results.hits), "naive_rows": rows,
                "corrected": results.corrected_query,
                "definition": results.definition.title if results.definition else "",
                "top": results.hits[0].title if results.hits else "",
                "search_ms": [], "naive_ms": [],
            })
            entry["search_ms"].append(total)
            entry["naive_ms"].append(naive_s * 1000)
    for query, entry in per_query.items():
        entry["search_p50_ms"] = percentile(entry.pop("search_ms"), 50)
        entry["naive_p50_ms"] = percentile(entry.pop("naive_ms"), 50)
        entry["matches"] = fts_matches(query)
    speedups = sorted(e["naive_p50_ms"] / e["search_p50_ms"] for e in per_query.values())
    return {
        "speedup_query_median": speedups[len(speedups) // 2],
        "search_p50_ms": percentile(search_ms, 50),
        "search_p95_ms": percentile(search_ms, 95),
        "search_max_ms": max(search_ms),
        "snippets_p50_ms": percentile(snippet_ms, 50),
        "naive_p50_ms": percentile(naive_ms, 50),
        "naive_p95_ms": percentile(naive_ms, 95),
        "naive_max_ms": max(naive_ms),
        "samples": len(search_ms),
        "queries": per_query,
    }


# --- Report ---------------------------------------------------------------------------------------


def print_table(rows: list[dict]) -> None:
    header = (f"{'scale':>6} {'docs':>8} {'build_s':>8} {'search_p50_ms':>14} "
              f"{'search_p95_ms':>14} {'search_max_ms':>14} {'naive_p50_ms':>13} "
              f"{'naive_p95_ms':>13} {'speedup_p95':>12} {'speedup_q_med':>14}")
    print(header)
    print("-" * len(header))
    for r in rows:
        print(f"{str(r['scale']) + 'x':>6} {r['docs']:>8} {r['build']['total']:>8.2f} "
              f"{r['search_p50_ms']:>14.2f} {r['search_p95_ms']:>14.2f} "
              f"{r['search_max_ms']:>14.2f} {r['naive_p50_ms']:>13.2f} "
              f"{r['naive_p95_ms']:>13.2f} {r['speedup_p95']:>11.1f}x "
              f"{r['speedup_query_median']:>13.1f}x")
    print("speedup_p95 = naive_p95 / search_p95; speedup_q_med = median over the queries of "
          "naive_p50 / search_p50")


def print_build(rows: list[dict]) -> None:
    print(f"{'scale':>6} {'docs':>8} {'words':>7} {'generate_s':>11} {'vocab_s':>8} "
          f"{'terms_s':>8} {'insert_s':>9} {'backend_s':>10} {'build_s':>8}")
    for r in rows:
        b = r["build"]
        print(f"{str(r['scale']) + 'x':>6} {r['docs']:>8} {r['vocabulary']:>7} "
              f"{r['generate_s']:>11.2f} {b['vocabulary']:>8.2f} {b['terms']:>8.2f} "
              f"{b['insert']:>9.2f} {b['backend']:>10.2f} {b['total']:>8.2f}")


def print_queries(rows: list[dict]) -> None:
    scales = [r["scale"] for r in rows]
    head = f"{'query':<36}" + "".join(f"{str(s) + 'x hits':>10}{'ms':>8}" for s in scales)
    head += f"{'matches':>9}{'naive ms':>10}  note (matches, naive and note: largest scale)"
    print(head)
    for query in QUERIES:
        line = f"{query:<36}"
        for r in rows:
            q = r["queries"][query]
            line += f"{q['hits']:>10}{q['search_p50_ms']:>8.1f}"
        last = rows[-1]["queries"][query]
        note = []
        if last["corrected"]:
            note.append(f"corrected → {last['corrected']!r}")
        if last["definition"]:
            note.append(f"definition {last['definition']!r}")
        if not last["hits"]:
            note.append("no hits")
        matches = "-" if last["matches"] is None else last["matches"]
        line += f"{matches:>9}{last['naive_p50_ms']:>10.1f}  {'; '.join(note)}"
        print(line)


def print_phases(rows: list[dict]) -> None:
    names = ["vocabulary", "analysis", "fts_match", "corrections", "build_hits",
             "rank_and_hits", "snippets"]
    print("median ms per query, by step of search() (exclusive times; vocabulary = the version "
          "check; rank_and_hits = the rest of search(): compound parts, tiers, SearchHit)")
    print(f"{'':<36}" + "".join(f"{n:>14}" for n in names) + f"{'sum':>9}")
    for r in rows:
        totals = Counter()
        for query in QUERIES:
            totals.update({n: r["phases"][query][n] for n in names})
        print(f"{'sum of the 20 queries, ' + str(r['scale']) + 'x':<36}"
              + "".join(f"{totals[n]:>14.1f}" for n in names) + f"{sum(totals.values()):>9.1f}")
    r = rows[-1]
    print(f"\nper query at {r['scale']}x:")
    for query in QUERIES:
        p = r["phases"][query]
        print(f"{query:<36}" + "".join(f"{p[n]:>14.2f}" for n in names)
              + f"{sum(p[n] for n in names):>9.2f}")


def verdict(rows: list[dict], evaluations=(), questions=()) -> list[dict]:
    by_scale = {r["scale"]: r for r in rows}
    checks = []
    for label, evaluation in [("judged set", e) for e in evaluations] + [
            ("judged questions", e) for e in questions]:
        for name, value, target in (("hit@5", evaluation.hit5, TARGET_HIT5),
                                    ("hit@1", evaluation.hit1, TARGET_HIT1)):
            checks.append({"target": f"{label} ({evaluation.language}) {name} >= {target:.0%}",
                           "result": "PASS" if value >= target else "FAIL", "value": value,
                           "detail": f"{value:.1%} of {len(evaluation.outcomes)} queries"})
        checks.append({"target": f"{label} ({evaluation.language}): no query without results",
                       "result": "FAIL" if evaluation.empty else "PASS",
                       "value": len(evaluation.empty),
                       "detail": ", ".join(o.judgement.query for o in evaluation.empty) or "0"})

    def check(name, scale_needed, value_fn, ok_fn, shown):
        missing = [s for s in scale_needed if s not in by_scale]
        if missing:
            checks.append({"target": name, "result": "SKIP",
                           "detail": f"scale {', '.join(f'{s}x' for s in missing)} not run"})
            return
        value = value_fn()
        checks.append({"target": name, "result": "PASS" if ok_fn(value) else "FAIL",
                       "value": value, "detail": shown(value)})

    check(f"search p95 <= {TARGET_P95_100:g} ms at 100x", [100],
          lambda: by_scale[100]["search_p95_ms"], lambda v: v <= TARGET_P95_100,
          lambda v: f"{v:.2f} ms")
    check(f"search p95 <= {TARGET_P95_1000:g} ms at 1000x", [1000],
          lambda: by_scale[1000]["search_p95_ms"], lambda v: v <= TARGET_P95_1000,
          lambda v: f"{v:.2f} ms")
    check(f"speedup (naive p95 / search p95) >= {TARGET_SPEEDUP_1000:g}x at 1000x", [1000],
          lambda: by_scale[1000]["speedup_p95"], lambda v: v >= TARGET_SPEEDUP_1000,
          lambda v: f"{v:.1f}x")
    check(f"sub-linear: p95(1000x) / p95(1x) <= {TARGET_GROWTH:g} (linear would be 1000)",
          [1, 1000], lambda: by_scale[1000]["search_p95_ms"] / by_scale[1]["search_p95_ms"],
          lambda v: v <= TARGET_GROWTH,
          lambda v: f"{v:.1f} (naive: "
                    f"{by_scale[1000]['naive_p95_ms'] / by_scale[1]['naive_p95_ms']:.1f})")
    return checks


# --- Main -----------------------------------------------------------------------------------------


def main(argv=None) -> int:
    args = parse_args(argv)
    vendor, tmpdir = configure_environment(args)

    import django

    django.setup()
    from django.conf import settings
    from django.db import connection

    settings.DEBUG = False  # as in production; also stops Django keeping every query
    drop_database = create_database(vendor)
    try:
        from handreiking.files.loader import load_content
        from handreiking.models import SearchDocument, SearchTerm

        print(f"Search benchmark — {datetime.now():%Y-%m-%d %H:%M}")
        print(f"database: {connection.vendor} {connection.settings_dict['NAME']}"
              + (f" (SQLite {sqlite3.sqlite_version})" if vendor == "sqlite" else ""))
        print(f"python {platform.python_version()}, django {django.get_version()}, "
              f"{os.cpu_count()} CPUs; scales {args.scales}; {len(QUERIES)} queries x "
              f"{args.repeat} runs after 1 warm-up; {HITS_RENDERED} snippets per page\n")

        load_before = os.getloadavg()
        t0 = time.perf_counter()
        load_content(root=args.content)
        load_s = time.perf_counter() - t0
        base = [Item(**row) for row in SearchDocument.objects.order_by("id").values(*FIELDS)]
        pool = word_pool(base)
        from tests.search.judged import evaluate, load, table

        evaluations = [evaluate(code) for code in ("nl", "en")]
        questions = [evaluate(code, load(code, questions=True)) for code in ("nl", "en")]
        kinds = ", ".join(f"{n} {k}" for k, n in sorted(Counter(i.kind for i in base).items()))
        print(f"real guide: load_content() {load_s:.2f} s (Markdown + rebuild_index); "
              f"{len(base)} search documents ({kinds}); "
              f"{SearchTerm.objects.count()} vocabulary words; {len(pool)} swappable words\n")

        rows = []
        for scale in args.scales:
            clear_index(vendor)
            gc.collect()
            t0 = time.perf_counter()
            items = synthesize(base, scale, args.seed, pool)
            generate_s = time.perf_counter() - t0
            print(f"[{scale}x] generated {len(items)} documents in {generate_s:.1f} s; "
                  "building the index …", flush=True)
            build = build_index(items)
            docs = len(items)
            del items
            gc.collect()
            print(f"[{scale}x] built in {build['total']:.1f} s; measuring …", flush=True)
            t0 = time.perf_counter()
            result = measure(QUERIES, args.repeat)
            result["phases"] = phase_breakdown(QUERIES, max(1, min(3, args.repeat)))
            if args.profile and scale == args.scales[-1]:
                profiler = cProfile.Profile()
                profiler.enable()
                for query in QUERIES:
                    run_search(query)
                profiler.disable()
                out = io.StringIO()
                pstats.Stats(profiler, stream=out).sort_stats("cumulative").print_stats(30)
                result["profile"] = out.getvalue()
            print(f"[{scale}x] measured in {time.perf_counter() - t0:.1f} s", flush=True)
            result.update(scale=scale, docs=docs, generate_s=generate_s, build=build,
                          vocabulary=SearchTerm.objects.count(),
                          speedup_p95=result["naive_p95_ms"] / result["search_p95_ms"])
            rows.append(result)

        print("\n== Relevance: the judged query set (tests/search/judged/) on the real guide ==")
        print(table(evaluations))
        print("\n== Relevance: the judged natural-language questions (issue #18) ==")
        print(table(questions))
        print("\n== Results (ms per query = search() + snippets of the first 20 hits) ==")
        print_table(rows)
        print("\n== Index build (seconds; build_s = vocabulary + terms + bulk insert + "
              "backend rebuild) ==")
        print_build(rows)
        print("\n== Per query (search p50 ms and hits per scale; naive p50 at the largest) ==")
        print_queries(rows)
        print("\n== Where the time goes ==")
        print_phases(rows)
        for r in rows:
            if "profile" in r:
                print(f"\n== cProfile, {r['scale']}x, one run of every query ==")
                print(r["profile"])
        checks = verdict(rows, evaluations, questions)
        print("\n== Verdict ==")
        for c in checks:
            print(f"{c['result']:<5} {c['target']}: {c['detail']}")
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        load_after = os.getloadavg()
        print(f"\npeak memory (RSS): {peak:.0f} MB; load average before "
              f"{load_before[0]:.2f}, after {load_after[0]:.2f} (1 min)")
        if max(load_before[0], load_after[1]) > 1.5:
            print("note: other processes were busy on this machine; latencies may be inflated")

        if not args.no_json:
            stamp = f"{datetime.now():%Y%m%d-%H%M%S}"
            path = args.json or ROOT / "bench-results" / f"search-{stamp}.json"
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(json.dumps({
                "when": datetime.now().isoformat(timespec="seconds"),
                "database": connection.vendor, "python": platform.python_version(),
                "django": django.get_version(), "cpus": os.cpu_count(),
                "repeat": args.repeat, "seed": args.seed, "queries": QUERIES,
                "load_content_s": load_s, "peak_rss_mb": peak,
                "loadavg_before": load_before, "loadavg_after": load_after,
                "scales": [{k: v for k, v in r.items() if k != "profile"} for r in rows],
                "relevance": {e.language: {"hit1": e.hit1, "hit5": e.hit5,
                                           "queries": len(e.outcomes)} for e in evaluations},
                "verdict": checks,
            }, indent=2, ensure_ascii=False), encoding="utf-8")
            print(f"results written to {path}")
    finally:
        drop_database()
        if tmpdir is not None:
            if args.keep_db:
                print(f"kept the database: {tmpdir / 'bench.sqlite3'}")
            else:
                shutil.rmtree(tmpdir, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
