"""Page benchmark: gunicorn on 127.0.0.1 measured with wrk, each page beside the static CSS.

Run by `make bench` (after the search benchmark) or alone:
    .venv/bin/python tests/bench/pages.py [--duration 10] [--connections 32] [--runs 3]

It builds a throw-away SQLite database (or uses --database-url), loads content/,
collects the static files, starts gunicorn as `make serve` does (DJANGO_DEBUG=0), and
runs bounded wrk runs against it. Every request goes to 127.0.0.1 only. It prints one
table with requests per second, p50 and p99 latency and the ratio to the static file,
then the 64-connection soak and the page weight, then PASS/FAIL against the targets.
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import re
import secrets
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
from handreiking import gunicorn_conf  # noqa: E402 - make serve's defaults

PYTHON = sys.executable
PAGES = [
    ("home", "/nl/"),
    ("chapter", "/nl/hoofdstukken/themas-in-de-klas/"),
    ("chapter ?age=", "/nl/hoofdstukken/themas-in-de-klas/?age=bovenbouw"),
    ("case list", "/nl/casussen/"),
    ("glossary", "/nl/begrippen/"),
    ("search", "/nl/zoeken/?q=pesten"),
    ("chapter (en)", "/en/chapters/themas-in-de-klas/"),
]
TARGETS = {"chapter": 0.75, "search": 0.35}  # every other page type: 0.5
OTHER_TARGET = 0.5
P99_TARGET_MS = 30.0
WEIGHT_BUDGET = 25 * 1024


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def run(command: list[str], env: dict, **kwargs) -> subprocess.CompletedProcess:
    return subprocess.run(command, cwd=ROOT, env=env, check=True, capture_output=True,
                          text=True, **kwargs)


def parse_duration_ms(text: str) -> float:
    value, unit = re.match(r"([\d.]+)(us|ms|s)", text).groups()
    return float(value) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[unit]


# wrk's request() for a new value on every request: what an attacker probing the page
# cache with junk values sends, or what real search traffic is (distinct queries).
DISTINCT_SCRIPT = """
counter = 0
request = function()
  counter = counter + 1
  return wrk.format(nil, "{prefix}" .. counter)
end
"""
JUNK_COST_TARGET = 3.0  # a junk value may cost at most 3x a cached hit
# Distinct real searches: two of the guide's own words per query, a new pair each time.
DISTINCT_SEARCH_SCRIPT = """
words = {%s}
counter = 0
request = function()
  counter = counter + 1
  local first = words[(counter %% #words) + 1]
  local second = words[((counter * 7 + math.floor(counter / #words)) %% #words) + 1]
  return wrk.format(nil, "/nl/zoeken/?q=" .. first .. "+" .. second)
end
"""
DISTINCT_SEARCH_RATIO = 0.15  # issue #18: at 8 connections, beside the static file
DISTINCT_SEARCH_P99_MS = 60.0


def guide_words(limit: int = 400) -> list[str]:
    """Plain ASCII words of five letters or more from the chapters (no URL quoting needed)."""
    text = " ".join(path.read_text(encoding="utf-8")
                    for path in sorted((ROOT / "content/chapters").rglob("*.md")))
    words = sorted({word.lower() for word in re.findall(r"\b[a-zA-Z]{5,}\b", text)})
    return words[:: max(1, len(words) // limit)]


def wrk(url: str, *, connections: int, duration: int, distinct: str = "") -> dict:
    """One bounded wrk run (1 thread): requests/s, p50/p99 ms, errors and non-2xx.

    `distinct`: a path prefix; each request then asks for prefix + a new number.
    """
    command = ["wrk", "-t1", f"-c{connections}", f"-d{duration}s", "--latency",
               "--timeout", "5s"]
    if distinct:
        script = Path(tempfile.mkstemp(suffix=".lua")[1])
        if distinct == "search":
            words = ", ".join(f'"{word}"' for word in guide_words())
            script.write_text(DISTINCT_SEARCH_SCRIPT % words)
        else:
            script.write_text(DISTINCT_SCRIPT.replace("{prefix}", distinct))
        command += ["-s", str(script)]
    result = subprocess.run([*command, url], capture_output=True, text=True,
                            timeout=duration + 30, check=True)
    if distinct:
        script.unlink()
    out = result.stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    latency = dict(re.findall(r"^\s+(50|99)%\s+(\S+)", out, re.MULTILINE))
    errors = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)",
                       out)
    non_2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    requests = int(re.search(r"(\d+) requests in", out).group(1))
    return {"rps": rps, "p50": parse_duration_ms(latency["50"]),
            "p99": parse_duration_ms(latency["99"]), "requests": requests,
            "errors": sum(int(n) for n in errors.groups()) if errors else 0,
            "non_2xx": int(non_2xx.group(1)) if non_2xx else 0}


def worker_memory_mb(server: subprocess.Popen) -> list[float]:
    """Resident memory of each gunicorn worker (the master's children), in MB."""
    children = Path(f"/proc/{server.pid}/task/{server.pid}/children").read_text().split()
    sizes = []
    for pid in children:
        status = Path(f"/proc/{pid}/status").read_text()
        sizes.append(int(re.search(r"VmRSS:\s+(\d+) kB", status).group(1)) / 1024)
    return sizes


def junk_values(base: str, server: subprocess.Popen, args) -> list[tuple[bool, str]]:
    """Issue #23: distinct junk values against a cached page, one and many at a time,
    and the workers' memory after each probe; distinct searches fill the cache to its
    byte bound. Returns (passed, verdict) lines."""
    chapter = PAGES[1][1]
    print("\n== Junk values against the page cache ==")
    before = worker_memory_mb(server)
    rows = []
    for label, connections in (("one at a time", 1), (f"{args.connections} at a time",
                                                      args.connections)):
        hits, junk = [], []
        for _ in range(args.runs):
            hits.append(wrk(base + chapter, connections=connections, duration=args.duration))
            junk.append(wrk(base + chapter, connections=connections, duration=args.duration,
                            distinct=f"{chapter}?age=junk"))
        hit_ms = statistics.median(1000 * connections / run["rps"] for run in hits)
        junk_ms = statistics.median(1000 * connections / run["rps"] for run in junk)
        probed = sum(run["requests"] for run in junk)
        rows.append((label, hit_ms, junk_ms, probed,
                     statistics.median(run["p99"] for run in junk)))
    after_junk = worker_memory_mb(server)
    searches = wrk(base + "/nl/zoeken/", connections=8, duration=args.soak, distinct="search")
    after_searches = worker_memory_mb(server)
    static = wrk(base + args.static_path, connections=8, duration=args.duration)
    ratio = searches["rps"] / static["rps"]
    print(f"distinct searches (two guide words each), 8 connections: {searches['rps']:.0f} "
          f"req/s, p50 {searches['p50']:.2f} ms, p99 {searches['p99']:.2f} ms, "
          f"{ratio:.3f}x the static file ({static['rps']:.0f} req/s)")
    print(f"{'clients':<16}{'cached hit ms':>14}{'junk ms':>9}{'cost':>7}{'junk p99 ms':>13}"
          f"{'junk requests':>15}")
    for label, hit_ms, junk_ms, probed, p99 in rows:
        print(f"{label:<16}{hit_ms:>14.3f}{junk_ms:>9.3f}{junk_ms / hit_ms:>6.2f}x{p99:>13.2f}"
              f"{probed:>15}")
    print("(ms per request: connections / req/s, median of the runs; each junk request asks "
          "for ?age=junkN with a new N)")
    print(f"worker memory (MB): start {[round(m) for m in before]}, after the junk probes "
          f"{[round(m) for m in after_junk]}, after {searches['requests']} distinct searches "
          f"{[round(m) for m in after_searches]} (bound: DJANGO_PAGE_CACHE_MB={args.cache_mb})")
    verdicts = [(ratio >= DISTINCT_SEARCH_RATIO, f"distinct searches >= {DISTINCT_SEARCH_RATIO}x "
                 f"the static file at 8 connections: {ratio:.3f}x"),
                (searches["p99"] <= DISTINCT_SEARCH_P99_MS, f"distinct searches p99 <= "
                 f"{DISTINCT_SEARCH_P99_MS:g} ms at 8 connections: {searches['p99']:.1f} ms")]
    verdicts += [(junk_ms / hit_ms <= JUNK_COST_TARGET,
                 f"a junk value ({label}) costs <= {JUNK_COST_TARGET:g}x a cached hit: "
                 f"{junk_ms / hit_ms:.2f}x") for label, hit_ms, junk_ms, _p, _p99 in rows]
    growth = max(a - b for a, b in zip(after_junk, before, strict=True))
    verdicts.append((growth <= 16, f"junk probes grow no worker by more than 16 MB: "
                                   f"{growth:.1f} MB"))
    bound = args.cache_mb * 2 + 64  # pages, plus allocator slack and the search vocabulary
    largest = max(after_searches)
    verdicts.append((largest <= bound, f"after distinct searches every worker <= {bound} MB "
                                       f"(twice the page bound + 64): {largest:.0f} MB"))
    return verdicts


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--duration", type=int, default=10, help="seconds per wrk run")
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--runs", type=int, default=3, help="runs per page (median reported)")
    parser.add_argument("--soak", type=int, default=30, help="seconds of the 64-client soak")
    parser.add_argument("--database-url", default="", help="default: a temporary SQLite file")
    parser.add_argument("--cache-mb", type=int, default=64,
                        help="DJANGO_PAGE_CACHE_MB of the server (the page cache's bound)")
    args = parser.parse_args(argv)
    if not shutil.which("wrk"):
        print("wrk not found: install Debian's 'wrk' package (apt-get install wrk)")
        return 0

    tmp = Path(tempfile.mkdtemp(prefix="handreiking-pages-"))
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "GUNICORN_"))}
    env.update({
        "DJANGO_DEBUG": "0", "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1", "DJANGO_SECURE_SSL_REDIRECT": "0",
        "DATABASE_URL": args.database_url or f"sqlite:///{tmp / 'bench.sqlite3'}",
        # make serve's workers and threads (gunicorn_conf reads the same variables).
        "PORT": str(port), "WEB_CONCURRENCY": str(gunicorn_conf.workers),
        "GUNICORN_THREADS": str(gunicorn_conf.threads),
        "DJANGO_PAGE_CACHE_MB": str(args.cache_mb),
    })
    server = None
    try:
        run([PYTHON, "manage.py", "migrate", "--no-input", "-v0"], env)
        run([PYTHON, "manage.py", "loadcontent", "-v0"], env)
        run([PYTHON, "manage.py", "collectstatic", "--no-input", "-v0"], env)
        manifest = json.loads((ROOT / "staticfiles/staticfiles.json").read_text())["paths"]
        static = ("static CSS", "/static/" + manifest["css/main.css"])
        server = subprocess.Popen([str(Path(PYTHON).parent / "gunicorn"),
                                   "handreiking.wsgi:application", "-c",
                                   "python:handreiking.gunicorn_conf"],
                                  cwd=ROOT, env=env, stdout=subprocess.DEVNULL,
                                  stderr=subprocess.DEVNULL)
        base = f"http://127.0.0.1:{port}"
        for _attempt in range(100):
            try:
                urllib.request.urlopen(base + "/nl/", timeout=2).read()
                break
            except OSError:
                time.sleep(0.2)
        for _name, path in [static, *PAGES]:  # warm every worker's cache and connections
            for _ in range(20):
                urllib.request.urlopen(base + path, timeout=5).read()

        print(f"Page benchmark — gunicorn {env['WEB_CONCURRENCY']} workers x "
              f"{env['GUNICORN_THREADS']} threads on 127.0.0.1, DJANGO_DEBUG=0, "
              f"{env['DATABASE_URL'].split(':')[0]}; wrk 1 thread, {args.connections} "
              f"connections, {args.duration} s, median of {args.runs} runs; {os.cpu_count()} "
              "CPUs\n")
        # Each page is measured right after the static file, and its ratio is taken against
        # that neighbour: load from other processes drifts, and drifts alike for both.
        rows = {}
        statics = []
        for name, path in PAGES:
            runs, ratios = [], []
            for _ in range(args.runs):
                ceiling = wrk(base + static[1], connections=args.connections,
                              duration=args.duration)
                measured = wrk(base + path, connections=args.connections,
                               duration=args.duration)
                statics.append(ceiling)
                runs.append(measured)
                ratios.append(measured["rps"] / ceiling["rps"])
            rows[name] = {key: statistics.median(r[key] for r in runs)
                          for key in ("rps", "p50", "p99")}
            rows[name]["ratio"] = statistics.median(ratios)
            rows[name]["errors"] = sum(r["errors"] + r["non_2xx"] for r in runs)
            rows[name]["all_rps"] = [round(r["rps"]) for r in runs]
        rows = {static[0]: {**{key: statistics.median(r[key] for r in statics)
                               for key in ("rps", "p50", "p99")}, "ratio": 1.0,
                            "errors": sum(r["errors"] + r["non_2xx"] for r in statics),
                            "all_rps": [round(r["rps"]) for r in statics]}, **rows}
        print(f"{'page':<16}{'req/s':>9}{'p50 ms':>9}{'p99 ms':>9}{'ratio':>8}{'errors':>8}"
              "   runs (req/s)")
        for name, row in rows.items():
            print(f"{name:<16}{row['rps']:>9.0f}{row['p50']:>9.2f}{row['p99']:>9.2f}"
                  f"{row['ratio']:>7.2f}x{row['errors']:>8}   {row['all_rps']}")
        print("(ratio: median over the runs of req/s against the static file measured just "
              "before)")

        print(f"\n== Soak: 64 connections for {args.soak} s ==")
        soak = {}
        for name, path in [("chapter", PAGES[1][1]), ("search", PAGES[5][1])]:
            soak[name] = wrk(base + path, connections=64, duration=args.soak)
            s = soak[name]
            print(f"{name:<10} {s['requests']} requests, {s['rps']:.0f} req/s, p50 "
                  f"{s['p50']:.2f} ms, p99 {s['p99']:.2f} ms, errors {s['errors']}, "
                  f"non-2xx {s['non_2xx']}")

        args.static_path = static[1]
        junk_verdicts = junk_values(base, server, args)

        html = urllib.request.urlopen(base + PAGES[1][1]).read()
        assets = [(ROOT / "staticfiles" / manifest[name]).read_bytes()
                  for name in ("css/main.css", "js/main.js")]
        weight = sum(len(gzip.compress(part)) for part in [html, *assets])
        print(f"\nchapter page weight (HTML + CSS + JS, gzip): {weight / 1024:.1f} KB")

        print("\n== Verdict ==")
        for name, row in rows.items():
            if name == "static CSS":
                continue
            kind = name.split(" ")[0]
            target = TARGETS.get(name, TARGETS.get(kind, OTHER_TARGET)) \
                if name != "chapter (en)" else TARGETS["chapter"]
            ratio = row["ratio"]
            print(f"{'PASS' if ratio >= target else 'FAIL':<5} {name} >= {target:.2f}x the "
                  f"static file: {ratio:.2f}x")
        for name, row in rows.items():
            print(f"{'PASS' if row['p99'] <= P99_TARGET_MS else 'FAIL':<5} {name} p99 <= "
                  f"{P99_TARGET_MS:g} ms at {args.connections} connections: {row['p99']:.2f} ms")
        for name, s in soak.items():
            ok = s["errors"] == 0 and s["non_2xx"] == 0
            print(f"{'PASS' if ok else 'FAIL':<5} {name}: 64 clients, 0 errors and 0 non-2xx: "
                  f"{s['errors']} errors, {s['non_2xx']} non-2xx")
        print(f"{'PASS' if weight <= WEIGHT_BUDGET else 'FAIL':<5} chapter page weight <= 25 KB: "
              f"{weight / 1024:.1f} KB")
        for passed, verdict in junk_verdicts:
            print(f"{'PASS' if passed else 'FAIL':<5} {verdict}")
    finally:
        if server is not None:
            server.terminate()
            server.wait(timeout=30)
        shutil.rmtree(tmp, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
