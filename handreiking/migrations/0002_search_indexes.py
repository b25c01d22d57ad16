"""Full-text indexes per database: FTS5 tables on SQLite, GIN indexes on PostgreSQL.

(This migration used to create a trigram table / the pg_trgm extension for typo
candidates; those now come from the in-memory vocabulary, and 0008 drops what existing
databases have, so a new database needs no extension and no role allowed to create one.)
"""

from django.db import migrations

SQLITE_FORWARD = [
    # Contentless: the analysed terms are indexed, the display text stays in the table.
    "CREATE VIRTUAL TABLE handreiking_search_fts USING fts5("
    "title, extra, body, meta, content='', tokenize='unicode61 remove_diacritics 2')",
    # Column weights for bm25 (title, extra, body, meta), used by "ORDER BY rank".
    "INSERT INTO handreiking_search_fts(handreiking_search_fts, rank) "
    "VALUES('rank', 'bm25(10.0, 4.0, 1.0, 0.0)')",
    # The head tier alone (title and aliases/summary): its posting lists hold only those
    # columns, so ranking title matches never walks every body that uses the word.
    "CREATE VIRTUAL TABLE handreiking_search_head_fts USING fts5("
    "title, extra, meta, content='', tokenize='unicode61 remove_diacritics 2')",
    "INSERT INTO handreiking_search_head_fts(handreiking_search_head_fts, rank) "
    "VALUES('rank', 'bm25(10.0, 4.0, 0.0)')",
]
SQLITE_BACKWARD = [
    "DROP TABLE IF EXISTS handreiking_search_fts",
    "DROP TABLE IF EXISTS handreiking_search_head_fts",
    "DROP TABLE IF EXISTS handreiking_searchterm_trigram",
]
POSTGRES_FORWARD = [
    "CREATE INDEX searchdoc_vector_gin ON handreiking_searchdocument USING GIN (search_vector)",
]
POSTGRES_BACKWARD = [
    "DROP INDEX IF EXISTS searchdoc_vector_gin",
    "DROP INDEX IF EXISTS searchterm_word_trgm",
]


def _run(statements_by_vendor):
    def run(apps, schema_editor):
        for statement in statements_by_vendor.get(schema_editor.connection.vendor, []):
            schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [("handreiking", "0001_initial")]

    operations = [
        migrations.RunPython(
            _run({"sqlite": SQLITE_FORWARD, "postgresql": POSTGRES_FORWARD}),
            _run({"sqlite": SQLITE_BACKWARD, "postgresql": POSTGRES_BACKWARD}),
        )
    ]
