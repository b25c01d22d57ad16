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


def wrk(url: str, *, connections: int, duration: int) -> dict:
    """One bounded wrk run (1 thread): requests/s, p50/p99 ms, errors and non-2xx."""
    result = subprocess.run(["wrk", "-t1", f"-c{connections}", f"-d{duration}s", "--latency",
                             "--timeout", "5s", url], capture_output=True, text=True,
                            timeout=duration + 30, check=True)
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


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--duration", type=int, default=10, help="seconds per wrk run")
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--runs", type=int, default=3, help="runs per page (median reported)")
    parser.add_argument("--soak", type=int, default=30, help="seconds of the 64-client soak")
    parser.add_argument("--database-url", default="", help="default: a temporary SQLite file")
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
    finally:
        if server is not None:
            server.terminate()
            server.wait(timeout=30)
        shutil.rmtree(tmp, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
