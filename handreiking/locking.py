"""One writer at a time: every change to the content takes the same lock at its start.

Writers are a load, an export, an admin save, delete or restore, and `publish`. Each
plans from what it reads (the loader's guard, the edit-conflict check, the search
vocabulary it rebuilds), so two of them interleaving could overwrite each other
silently or fail on a unique constraint. Under the lock, a writer's reads see every
earlier writer's commit, and no later writer starts before it commits.

- PostgreSQL: a transaction-level advisory lock, held until the outermost transaction
  ends. The same connection may take it again (a save that publishes).
- SQLite: the database has one writer already, and settings start every transaction
  with BEGIN IMMEDIATE, so the transaction itself is the lock.

Readers (visitors' pages, search) never take it.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from django.db import connection, transaction

# An arbitrary 64-bit key, the same in every process: "Handreiking content writer".
CONTENT_WRITE_LOCK = 0x48616E6472656B


@contextmanager
def content_write_lock() -> Iterator[None]:
    """A transaction that holds the content writer's lock from its first statement."""
    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_xact_lock(%s)", [CONTENT_WRITE_LOCK])
        yield
