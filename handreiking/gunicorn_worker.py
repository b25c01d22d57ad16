"""gunicorn's threaded worker, giving a connection a thread only once its request head is in.

gunicorn's `gthread` worker hands a connection to a thread as soon as its first byte
arrives; a client that then sends its headers slowly (a line every few seconds, a
"slowloris") holds that thread until it is done. With few threads per worker, a
handful of such clients stopped the site; with many, every response waited longer
for the GIL (p99 35 ms with 6 threads against 20 ms with 3, on two cores).

This worker reads request heads in the worker's event loop instead, as a buffering
proxy would: a connection goes to a thread when its request line and headers have
all arrived, with everything read so far handed to gunicorn's own parser. A client
gets `HEAD_TIMEOUT` seconds to send them. Slow clients then cost no thread at all, so
the thread count can be chosen for latency alone. Request bodies (only the admin
sends any, and they are small) are read by the thread as before.

It relies on gunicorn's `ThreadWorker` internals (`enqueue_req`, `murder_pending`,
`TConn`), so pyproject.toml pins gunicorn's minor version; `tests/test_servers.py`
runs it against real slow clients.
"""

from __future__ import annotations

import os
import selectors
import socket
import time
from collections import deque
from functools import partial

from gunicorn.workers.gthread import ThreadWorker

# Seconds a client has to send its request line and headers (nginx's client_header_timeout).
HEAD_TIMEOUT = float(os.environ.get("GUNICORN_HEAD_TIMEOUT", "10"))
HEAD_ENDS = (b"\r\n\r\n", b"\n\n")
# A longer head is refused (431): browsers send a few KB, and gunicorn's own limits would
# let a client fill a thread's buffer and then stall it.
HEAD_LIMIT = 64 * 1024
TOO_LARGE_RESPONSE = (b"HTTP/1.1 431 Request Header Fields Too Large\r\nConnection: close\r\n"
                      b"Content-Length: 0\r\n\r\n")
READ_SIZE = 65536
# Where a connection's request head is.
WAITING, COMPLETE, TOO_LARGE, CLOSED = "waiting", "complete", "too large", "closed"


class HeadFirstThreadWorker(ThreadWorker):
    """`gthread`, but a thread is only taken once the whole request head has arrived."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.heads_waiting: deque = deque()  # (deadline, conn), oldest first

    def enqueue_req(self, conn):
        """Called for a new connection, a kept-alive one that became readable, and one
        with read-ahead left: give it a thread once its head is complete."""
        if self.cfg.is_ssl or self.cfg.http2_cleartext != "off":
            super().enqueue_req(conn)  # TLS and HTTP/2 read their own preamble
            return
        state = self._read_head(conn)
        if state is WAITING:
            conn.sock.setblocking(False)
            self.heads_waiting.append((time.monotonic() + HEAD_TIMEOUT, conn))
            self.poller.register(conn.sock, selectors.EVENT_READ,
                                 partial(self._on_head_readable, conn))
        else:
            self._settle(conn, state)

    def _on_head_readable(self, conn, client):
        state = self._read_head(conn)
        if state is not WAITING:  # else more is to come; the deadline still stands
            self.poller.unregister(client)
            self._forget(conn)
            self._settle(conn, state)

    def _settle(self, conn, state):
        if state is COMPLETE:
            self._hand_over(conn)
            return
        if state is TOO_LARGE:
            try:  # best effort, without waiting: the client may not be reading
                for _ in range(16):  # what it sent meanwhile, or closing would reset
                    if not conn.sock.recv(READ_SIZE, socket.MSG_DONTWAIT):
                        break
            except OSError:
                pass
            try:
                conn.sock.send(TOO_LARGE_RESPONSE, socket.MSG_DONTWAIT)
            except OSError:
                pass
        self._drop(conn)

    def _read_head(self, conn):
        """Read what the client has sent, without waiting for more, and say where it is."""
        head = getattr(conn, "head", b"")
        if not head and conn.parser is not None:  # read-ahead of the previous request
            head = conn.parser.unreader.take_buffered()
        if not self._ended(head):
            try:
                chunk = conn.sock.recv(READ_SIZE, socket.MSG_DONTWAIT)
            except (BlockingIOError, InterruptedError):
                chunk = b""  # nothing yet
            except OSError:
                return CLOSED
            else:
                if not chunk:
                    return CLOSED  # before its head was complete
            head += chunk
        conn.head = head
        if self._ended(head):
            return COMPLETE
        return TOO_LARGE if len(head) > HEAD_LIMIT else WAITING

    @staticmethod
    def _ended(head: bytes) -> bool:
        return any(end in head for end in HEAD_ENDS)

    def _hand_over(self, conn):
        conn.sock.setblocking(True)
        conn.init()  # plain HTTP/1: creates the parser, reads nothing
        conn.parser.unreader.unread(conn.head)
        conn.head = b""
        conn.data_ready = True  # no need to wait for a first byte in the thread
        super().enqueue_req(conn)

    def _drop(self, conn):
        self.nr_conns -= 1
        conn.close()

    def _forget(self, conn):
        for index, (_deadline, waiting) in enumerate(self.heads_waiting):
            if waiting is conn:
                del self.heads_waiting[index]
                return

    def murder_pending(self):
        """Also close connections whose head did not arrive in time (all of them on stop)."""
        super().murder_pending()
        now = time.monotonic()
        while self.heads_waiting and (self.heads_waiting[0][0] <= now or not self.alive):
            _deadline, conn = self.heads_waiting.popleft()
            try:
                self.poller.unregister(conn.sock)
            except (KeyError, ValueError, OSError):
                pass
            self._drop(conn)
