"""Real gunicorn on 127.0.0.1: slow clients, a load running, and headers as served.

Bounded: every request has a timeout and every loop a deadline.
"""

from __future__ import annotations

import socket
import sqlite3
import subprocess
import sys
import threading
import time
from http import HTTPStatus

import pytest

from .servers import ROOT, fetch, gunicorn, server_database, server_environment

pytestmark = pytest.mark.django_db(transaction=True)
HEAD_TIMEOUT = 3  # seconds a client may take to send its request head (10 in production)


@pytest.fixture(scope="module")
def served(tmp_path_factory, django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        with server_database(tmp_path_factory.mktemp("servers")) as url:
            with gunicorn(url, WEB_CONCURRENCY="2", GUNICORN_HEAD_TIMEOUT=str(HEAD_TIMEOUT)) \
                    as base:
                yield url, base


def test_production_server_serves_pages_with_headers_and_no_debug(served):
    _url, base = served
    status, headers, body = fetch(base + "/nl/hoofdstukken/themas-in-de-klas/")
    assert status == HTTPStatus.OK
    assert "unsafe-inline" not in headers["Content-Security-Policy"]
    assert headers["ETag"]
    status, headers, _body = fetch(base + "/nl/hoofdstukken/themas-in-de-klas/",
                                   {"If-None-Match": headers["ETag"]})
    assert status == HTTPStatus.NOT_MODIFIED
    status, _headers, body = fetch(base.replace("localhost", "127.0.0.1") + "/nl/",
                                   {"Host": "evil.example"})
    assert status == HTTPStatus.BAD_REQUEST
    assert "Traceback" not in body and "DJANGO_SECRET_KEY" not in body and "settings" not in body
    status, _headers, body = fetch(base + "/nl/bestaat-niet/")
    assert status == HTTPStatus.NOT_FOUND and "Pagina niet gevonden" in body


def test_static_files_are_hashed_and_cached_for_ever(served):
    _url, base = served
    _status, _headers, body = fetch(base + "/nl/")
    import re

    css = re.search(r'href="(/static/css/main\.[0-9a-f]{12}\.css)"', body).group(1)
    status, headers, _body = fetch(base + css, {"Accept-Encoding": "gzip"})
    assert status == HTTPStatus.OK
    assert "max-age=315360000" in headers["Cache-Control"]
    assert headers.get("Content-Encoding") == "gzip"
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Strict-Transport-Security"].startswith("max-age=31536000")


def _slow_client(address, stop: threading.Event, closed: list):
    """Send a request one header line every second, never finishing (slowloris); note
    when the server closes the connection."""
    with socket.create_connection(address, timeout=5) as sock:
        sock.sendall(b"GET /nl/ HTTP/1.1\r\nHost: localhost\r\n")
        while not stop.wait(1.0):
            try:
                sock.sendall(b"X-Slow: 1\r\n")
            except OSError:
                closed.append(time.monotonic())
                return


def test_slow_clients_hold_no_thread_and_are_closed_after_the_head_timeout(served):
    """Twenty slow clients against 2 workers x 3 threads: pages are still answered at once."""
    _url, base = served
    port = int(base.rsplit(":", 1)[1])
    stop, closed = threading.Event(), []
    clients = [threading.Thread(target=_slow_client, args=(("127.0.0.1", port), stop, closed))
               for _ in range(20)]
    started = time.monotonic()
    for client in clients:
        client.start()
    try:
        time.sleep(1.5)
        for path in ("/nl/", "/nl/zoeken/?q=grooming", "/en/glossary/", "/nl/hulp/"):
            asked = time.monotonic()
            status, _headers, _body = fetch(base + path, timeout=5)
            assert status == HTTPStatus.OK
            assert time.monotonic() - asked < 2
        for client in clients:
            client.join(timeout=HEAD_TIMEOUT + 5)
        assert len(closed) == 20  # the server hung up on every one of them
        assert all(HEAD_TIMEOUT - 0.5 < moment - started < HEAD_TIMEOUT + 4 for moment in closed)
    finally:
        stop.set()
        for client in clients:
            client.join(timeout=10)


def _exchange(port: int, *pieces: bytes, pause: float = 0.3) -> bytes:
    """Send `pieces` with pauses in between; everything the server answers until it closes."""
    with socket.create_connection(("127.0.0.1", port), timeout=5) as sock:
        for piece in pieces:
            sock.sendall(piece)
            time.sleep(pause)
        answer = b""
        while chunk := sock.recv(65536):
            answer += chunk
    return answer


def test_a_request_head_in_pieces_and_pipelined_requests_are_answered(served):
    _url, base = served
    port = int(base.rsplit(":", 1)[1])
    answer = _exchange(port, b"GET /nl/hulp/ HT", b"TP/1.1\r\nHost: local", b"host\r\n",
                       b"Connection: close\r\n\r\n")
    assert answer.startswith(b"HTTP/1.1 200 OK") and b"</html>" in answer
    two = (b"GET /robots.txt HTTP/1.1\r\nHost: localhost\r\n\r\n"
           b"HEAD /nl/ HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n")
    answer = _exchange(port, two)
    assert answer.count(b"HTTP/1.1 200 OK") == 2 and b"Sitemap:" in answer
    # A head longer than any browser sends is refused, not handed to a thread to wait on.
    huge = b"GET /nl/ HTTP/1.1\r\nHost: localhost\r\n" + b"X-Big: " + b"a" * 70_000 + b"\r\n"
    assert _exchange(port, huge).startswith(b"HTTP/1.1 431 ")
    # A head that never ends is closed after the head timeout, without an answer.
    started = time.monotonic()
    assert _exchange(port, b"GET /nl/ HTTP/1.1\r\nHo") == b""
    assert HEAD_TIMEOUT - 0.5 < time.monotonic() - started < HEAD_TIMEOUT + 3


def test_readers_are_served_during_a_long_write_and_a_load(served):
    url, base = served
    if not url.startswith("sqlite"):
        pytest.skip("SQLite only: PostgreSQL readers never wait for writers")
    path = url.removeprefix("sqlite:///")
    writer = sqlite3.connect(path, timeout=1)
    writer.execute("BEGIN IMMEDIATE")
    writer.execute("UPDATE handreiking_theme SET title_nl = title_nl")
    try:
        for query in ("pesten", "sexting", "hulp"):  # uncached: the view reads the database
            started = time.monotonic()
            status, _headers, _body = fetch(f"{base}/nl/zoeken/?q={query}", timeout=10)
            assert status == HTTPStatus.OK
            assert time.monotonic() - started < 1.5
    finally:
        writer.rollback()
        writer.close()
    load = subprocess.Popen([sys.executable, "manage.py", "loadcontent", "--force", "-v0"],
                            cwd=ROOT, env=server_environment(url))
    try:
        answered = 0
        while load.poll() is None and answered < 50:
            status, _headers, _body = fetch(f"{base}/nl/zoeken/?q=grooming{answered}",
                                            timeout=10)
            assert status == HTTPStatus.OK
            answered += 1
        assert load.wait(timeout=120) == 0
    finally:
        if load.poll() is None:
            load.kill()


def test_pages_stay_current_after_the_database_drops_every_connection(served):
    """A restart or failover of PostgreSQL drops the connections gunicorn keeps open; the
    next responses must still follow the content version, not the last one seen."""
    url, base = served
    if url.startswith("sqlite"):
        pytest.skip("PostgreSQL only: SQLite has no server to drop connections")
    from django.db import connection

    page = base + "/nl/hulp/"
    before = {fetch(page)[1]["ETag"] for _ in range(12)}  # cached; several threads connected
    assert len(before) == 1
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                       "WHERE datname = %s AND pid <> pg_backend_pid()",
                       [url.rsplit("/", 1)[1]])
        assert cursor.fetchall()  # there were connections to drop
    subprocess.run([sys.executable, "manage.py", "publish"], cwd=ROOT,
                   env=server_environment(url), check=True, capture_output=True, timeout=180)
    after = set()
    for _ in range(12):
        status, headers, _body = fetch(page)
        assert status == HTTPStatus.OK
        after.add(headers["ETag"])
    assert len(after) == 1 and after != before


def test_a_burst_of_concurrent_visitors_gets_only_answers(served):
    """Bounded load: 16 clients, 25 requests each, mixed pages; no errors, no 5xx."""
    from concurrent.futures import ThreadPoolExecutor

    _url, base = served
    paths = ["/nl/", "/nl/hoofdstukken/themas-in-de-klas/?age=bovenbouw", "/en/glossary/",
             "/nl/zoeken/?q=sextortion", "/nl/casussen/", "/en/help/"]

    def visitor(number: int) -> list[int]:
        return [fetch(base + paths[(number + i) % len(paths)], timeout=10)[0]
                for i in range(25)]

    started = time.monotonic()
    with ThreadPoolExecutor(max_workers=16) as pool:
        statuses = [status for result in pool.map(visitor, range(16)) for status in result]
    assert len(statuses) == 400
    assert set(statuses) == {HTTPStatus.OK}
    assert time.monotonic() - started < 60


def _get_unfollowed(base: str, target: str, host: str) -> tuple[int, str, str]:
    """(status, Location, body) of one GET, redirects not followed, with its own Host."""
    import http.client
    from urllib.parse import urlsplit

    address = urlsplit(base)
    connection = http.client.HTTPConnection("127.0.0.1", address.port, timeout=10)
    try:
        connection.request("GET", target, headers={"Host": host})
        response = connection.getresponse()
        return (response.status, response.getheader("Location", ""),
                response.read().decode(errors="replace"))
    finally:
        connection.close()


@pytest.mark.parametrize(("clean", "poisoned"), [
    ("/nl/gespreksvragen/?age=kleuters", "/nl/gespreksvragen/?age=kleuters%09"),
    ("/nl/casussen/?theme=online-pesten", "/nl/casussen/?theme=online-pesten+"),
    ("/nl/gespreksvragen/?age=middenbouw", "/nl/gespreksvragen/?age=middenbouw%E3%80%80"),
    ("/nl/zoeken/?q=pesten&kind=case", "/nl/zoeken/?q=pesten&kind=%20case"),
    ("/en/cases/?theme=sexting", "/en/cases/?theme=%20sexting"),
])
def test_a_poisoned_request_never_changes_the_clean_page_on_gunicorn(served, clean, poisoned):
    """Issue #23's reproductions against real gunicorn (two workers, each its own cache).

    The clean page is first fetched under another host name (a key of its own, so a
    fresh render); then six poisoned requests, then the clean page under the attacked
    host name must be that same page.
    """
    _url, base = served
    status, _location, reference = _get_unfollowed(base, clean, "127.0.0.1")
    assert status == HTTPStatus.OK
    for _attempt in range(6):
        status, location, body = _get_unfollowed(base, poisoned, "localhost")
        assert status == HTTPStatus.MOVED_PERMANENTLY
        assert location == clean and body == ""
    status, _location, after = _get_unfollowed(base, clean, "localhost")
    assert status == HTTPStatus.OK
    assert after.replace("http://localhost", "http://127.0.0.1") == reference


def _search_queries(count: int) -> list[str]:
    """Distinct queries from the guide's own words, singly and in pairs, both languages."""
    import re as regex

    text = " ".join(path.read_text(encoding="utf-8")
                    for path in sorted((ROOT / "content/chapters").rglob("*.md")))
    words = sorted({word.lower() for word in regex.findall(r"[^\W\d_]{5,}", text)})
    step = max(1, len(words) // count)
    chosen = words[::step]
    queries = [*chosen[: count // 2],
               *(f"{a} {b}" for a, b in zip(chosen[::2], chosen[1::2], strict=False))]
    return list(dict.fromkeys(queries))[:count]


def _result_urls(base: str, query: str) -> tuple[int, list[str]]:
    import re as regex
    from urllib.parse import quote

    status, _headers, body = fetch(f"{base}/nl/zoeken/?q={quote(query)}", timeout=30)
    return status, regex.findall(r'class="app-results__link" href="([^"]+)"', body)


def test_concurrent_searches_give_the_serial_results(served):
    """Issue #18: 300 distinct queries, 16 at a time on a fresh server, then one at a time
    on another fresh server (so neither is answered from a page cache the other filled):
    the same results, and no server error (the fixture fails on a logged traceback)."""
    from concurrent.futures import ThreadPoolExecutor

    url, _base = served
    queries = _search_queries(300)
    assert len(queries) >= 250
    with gunicorn(url) as base:
        with ThreadPoolExecutor(max_workers=16) as pool:
            concurrent = list(pool.map(lambda query: _result_urls(base, query), queries))
    with gunicorn(url) as base:
        serial = [_result_urls(base, query) for query in queries]
    assert {status for status, _urls in concurrent + serial} == {HTTPStatus.OK}
    differing = [query for query, one, other in zip(queries, concurrent, serial, strict=True)
                 if one != other]
    assert differing == []
    assert sum(1 for _status, urls in serial if urls) > len(queries) / 2  # they find things
