"""The published content's version, read cheaply on every request.

The publisher bumps `ContentVersion` whenever published content changes. The page cache
keys pages on it and the page parameters read their valid values per version, so both
read it here: one indexed row from the shared database, so every process and every
machine sees an edit on its next request.
"""

from __future__ import annotations

from datetime import UTC
from typing import NamedTuple

from django.db import DEFAULT_DB_ALIAS, DatabaseError, connections
from django.utils.dateparse import parse_datetime

from .models import ContentVersion

_VERSION_SQL = f"SELECT version, updated_at FROM {ContentVersion._meta.db_table} WHERE id = 1"


class Version(NamedTuple):
    number: int
    # When it was published, in whole seconds since the epoch (HTTP dates have no finer
    # precision, so `If-Modified-Since` compares at this one); None before any publish.
    published: int | None


NO_VERSION = Version(0, None)


class LastVersion:
    """The last version this process read, for serving cached pages while the database is away.

    One attribute, replaced whole by each reader: safe to share between threads (a
    reader sees either the old or the new tuple, never a mix).
    """

    value: Version | None = None


def read_version() -> Version:
    """The current version; raises DatabaseError if the database is away.

    Raw SQL on the thread's own connection: this runs on every page request, and
    Django's cursor wrappers cost more than the query.
    """
    database = connections[DEFAULT_DB_ALIAS]
    try:
        row = _version_row(database)
    except DatabaseError:
        # A connection the server dropped (a restart, a failover) is closed and made anew
        # once, as Django does at the start of each request it handles; a database that
        # is really away fails again.
        database.close_if_unusable_or_obsolete()
        if database.connection is not None:
            raise
        row = _version_row(database)
    version = NO_VERSION if row is None else Version(row[0], _seconds(row[1]))
    LastVersion.value = version
    return version


def _version_row(database):
    with database.wrap_database_errors:
        database.ensure_connection()
        cursor = database.connection.cursor()
        try:
            cursor.execute(_VERSION_SQL)
            return cursor.fetchone()
        finally:
            cursor.close()


def _seconds(updated) -> int | None:
    if updated is None:
        return None
    if isinstance(updated, str):  # SQLite returns text, in UTC without a zone
        updated = parse_datetime(updated)
    if updated.tzinfo is None:
        updated = updated.replace(tzinfo=UTC)
    return int(updated.timestamp())
