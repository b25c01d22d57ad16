"""Recreate the FTS5 tables: marker tokens apart from words, bm25 without length lookups.

- `tokenchars '_'`: marker terms ("kind_case") in the meta column can never match a
  query word, so queries need no column filter.
- `columnsize=0`: bm25 no longer reads each matching row's length from the %_docsize
  table, the one B-tree lookup per match that made ranking a common word cost about
  four times its matching. Without stored sizes (and no stored content) FTS5 reports
  no document length, so bm25 ranks without length normalisation, as PostgreSQL's
  ts_rank does by default. Its tf saturation then starts at k1 * (1 - b) = 0.3, so
  the column weights are scaled to that: one body occurrence (0.3) is half-way to the
  limit, several add less and less, a title occurrence (3.0) is near it.
"""

from django.conf import settings
from django.db import migrations

# (tokenizer, column size option, bm25 weights of the full table, of the head table)
NEW = ("tokenize=\"unicode61 remove_diacritics 2 tokenchars '_'\"", ", columnsize=0",
       "3.0, 1.0, 0.3, 0.0", "3.0, 0.3, 0.0")
OLD = ("tokenize='unicode61 remove_diacritics 2'", "", "10.0, 4.0, 1.0, 0.0", "10.0, 4.0, 0.0")


def _tables(tokenize, sizes, weights, head_weights):
    return [
        "DROP TABLE IF EXISTS handreiking_search_fts",
        "DROP TABLE IF EXISTS handreiking_search_head_fts",
        # Contentless: the analysed terms are indexed, the display text stays in the table.
        f"CREATE VIRTUAL TABLE handreiking_search_fts USING fts5("
        f"title, extra, body, meta, content='', {tokenize}{sizes})",
        # Column weights for bm25 (title, extra, body, meta), used by "ORDER BY rank".
        "INSERT INTO handreiking_search_fts(handreiking_search_fts, rank) "
        f"VALUES('rank', 'bm25({weights})')",
        # The head tier alone (title and aliases/summary): its posting lists hold only
        # those columns, so ranking title matches never walks every body using the word.
        f"CREATE VIRTUAL TABLE handreiking_search_head_fts USING fts5("
        f"title, extra, meta, content='', {tokenize}{sizes})",
        "INSERT INTO handreiking_search_head_fts(handreiking_search_head_fts, rank) "
        f"VALUES('rank', 'bm25({head_weights})')",
    ]


def _recreate(options, *, refill=True):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor != "sqlite":
            return
        for statement in _tables(*options):
            schema_editor.execute(statement)
        if not refill:
            return  # going back: the older code's rebuild_search_index fills them
        # Refill from the stored terms, so an existing site keeps its search.
        documents = apps.get_model("handreiking", "SearchDocument")
        age_groups = apps.get_model("handreiking", "AgeGroup")
        rows = documents.objects.values_list(
            "id", "title_terms", "extra_terms", "body_terms", "visible_in", "kind", "age_groups")
        with schema_editor.connection.cursor() as cursor:
            _fill(cursor, list(rows), languages=[code for code, _name in settings.LANGUAGES],
                  age_groups=list(age_groups.objects.values_list("slug", flat=True)))

    return run


def _fill(cursor, rows, *, languages, age_groups):
    """These tables' filling as it was then (search/sqlite.py has moved on since: 0010)."""
    entries = []
    for pk, title, extra, body, visible_in, kind, ages in rows:
        meta = [f"kind_{kind.replace('-', '_')}"]
        meta += [f"hide_{code}" for code in languages if code not in visible_in.split()]
        if ages.split():
            meta += [f"notfor_{slug.replace('-', '_')}" for slug in age_groups
                     if slug not in ages.split()]
        entries.append((pk, title, extra, body, " ".join(meta)))
    cursor.executemany("INSERT INTO handreiking_search_fts(rowid, title, extra, body, meta) "
                       "VALUES (%s, %s, %s, %s, %s)", entries)
    cursor.executemany("INSERT INTO handreiking_search_head_fts(rowid, title, extra, meta) "
                       "VALUES (%s, %s, %s, %s)",
                       [(pk, title, extra, meta) for pk, title, extra, _body, meta in entries
                        if title or extra])


class Migration(migrations.Migration):
    dependencies = [("handreiking", "0004_searchindexstate")]

    operations = [
        migrations.RunPython(_recreate(NEW), _recreate(OLD, refill=False)),
    ]
