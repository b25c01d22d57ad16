"""One pair of FTS5 tables per language, holding the documents visible in it.

A search in one language used to exclude the other language's documents with a marker
("... NOT hide_nl"); that marker is on half the index, and reading it cost more than
the rest of a query (about 4 ms of 5 at a thousand times the guide). With a table per
language there is nothing to exclude. Same tokenizer, sizes and weights as 0005.
"""

from django.conf import settings
from django.db import migrations

TOKENIZE = "tokenize=\"unicode61 remove_diacritics 2 tokenchars '_'\", columnsize=0"
OLD_TABLES = ("handreiking_search_fts", "handreiking_search_head_fts")


def _statements(code: str) -> list[str]:
    full, head = f"handreiking_search_fts_{code}", f"handreiking_search_head_fts_{code}"
    return [
        f"DROP TABLE IF EXISTS {full}",
        f"DROP TABLE IF EXISTS {head}",
        f"CREATE VIRTUAL TABLE {full} USING fts5(title, extra, body, meta, content='', "
        f"{TOKENIZE})",
        f"INSERT INTO {full}({full}, rank) VALUES('rank', 'bm25(3.0, 1.0, 0.3, 0.0)')",
        f"CREATE VIRTUAL TABLE {head} USING fts5(title, extra, meta, content='', {TOKENIZE})",
        f"INSERT INTO {head}({head}, rank) VALUES('rank', 'bm25(3.0, 0.3, 0.0)')",
    ]


def forward(apps, schema_editor):
    if schema_editor.connection.vendor != "sqlite":
        return
    languages = [code for code, _name in settings.LANGUAGES]
    for code in languages:
        for statement in _statements(code):
            schema_editor.execute(statement)
    for table in OLD_TABLES:
        schema_editor.execute(f"DROP TABLE IF EXISTS {table}")
    # Refill from the stored terms, so an existing site keeps its search.
    documents = apps.get_model("handreiking", "SearchDocument")
    age_groups = list(apps.get_model("handreiking", "AgeGroup").objects
                      .values_list("slug", flat=True))
    rows = list(documents.objects.values_list(
        "id", "title_terms", "extra_terms", "body_terms", "visible_in", "kind", "age_groups"))
    with schema_editor.connection.cursor() as cursor:
        for code in languages:
            entries = []
            for pk, title, extra, body, visible_in, kind, ages in rows:
                if code not in visible_in.split():
                    continue
                meta = [f"kind_{kind.replace('-', '_')}"]
                if ages.split():
                    meta += [f"notfor_{slug.replace('-', '_')}" for slug in age_groups
                             if slug not in ages.split()]
                entries.append((pk, title, extra, body, " ".join(meta)))
            cursor.executemany(f"INSERT INTO handreiking_search_fts_{code}"
                               "(rowid, title, extra, body, meta) VALUES (%s, %s, %s, %s, %s)",
                               entries)
            cursor.executemany(f"INSERT INTO handreiking_search_head_fts_{code}"
                               "(rowid, title, extra, meta) VALUES (%s, %s, %s, %s)",
                               [(pk, t, e, m) for pk, t, e, _b, m in entries if t or e])


def backward(apps, schema_editor):
    """Back to 0009's two shared tables, empty: run `manage.py publish` on that code."""
    if schema_editor.connection.vendor != "sqlite":
        return
    for code, _name in settings.LANGUAGES:
        for table in (f"handreiking_search_fts_{code}", f"handreiking_search_head_fts_{code}"):
            schema_editor.execute(f"DROP TABLE IF EXISTS {table}")
    schema_editor.execute(f"CREATE VIRTUAL TABLE handreiking_search_fts USING fts5("
                          f"title, extra, body, meta, content='', {TOKENIZE})")
    schema_editor.execute("INSERT INTO handreiking_search_fts(handreiking_search_fts, rank) "
                          "VALUES('rank', 'bm25(3.0, 1.0, 0.3, 0.0)')")
    schema_editor.execute(f"CREATE VIRTUAL TABLE handreiking_search_head_fts USING fts5("
                          f"title, extra, meta, content='', {TOKENIZE})")
    schema_editor.execute("INSERT INTO handreiking_search_head_fts(handreiking_search_head_fts, "
                          "rank) VALUES('rank', 'bm25(3.0, 0.3, 0.0)')")


class Migration(migrations.Migration):
    dependencies = [("handreiking", "0009_search_statistics")]

    operations = [migrations.RunPython(forward, backward)]
