"""Upgrading a running site: the migrations that recreate the FTS5 tables refill them."""

from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import connection


@pytest.mark.django_db(transaction=True)
def test_search_keeps_working_across_the_fts_table_migration():
    from handreiking.files.loader import load_content
    from handreiking.search import search

    load_content(root=Path(settings.CONTENT_DIR))
    before = [hit.pk for hit in search("grooming", language="nl").hits]
    assert before
    try:
        call_command("migrate", "handreiking", "0004", verbosity=0)
        if connection.vendor == "sqlite":
            with connection.cursor() as cursor:
                cursor.execute("SELECT sql FROM sqlite_master WHERE name = %s",
                               ["handreiking_search_fts"])
                assert "tokenchars" not in cursor.fetchone()[0]
    finally:
        call_command("migrate", "handreiking", verbosity=0)
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            for name in ("handreiking_search_fts_nl", "handreiking_search_head_fts_en"):
                cursor.execute("SELECT sql FROM sqlite_master WHERE name = %s", [name])
                assert "columnsize=0" in cursor.fetchone()[0]
    # No rebuild in between: the migration filled the new tables from the stored terms.
    assert [hit.pk for hit in search("grooming", language="nl").hits] == before
