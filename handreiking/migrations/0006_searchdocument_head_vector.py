"""PostgreSQL: a title-and-extra vector with its own GIN index, for the head ranking tier."""

import django.contrib.postgres.search
from django.db import migrations

FORWARD = [
    "CREATE INDEX searchdoc_head_vector_gin ON handreiking_searchdocument "
    "USING GIN (head_vector)",
    # Fill it from the stored terms, as search/postgres.py does on rebuild.
    "UPDATE handreiking_searchdocument SET head_vector = "
    "setweight(to_tsvector('simple', coalesce(title_terms, '')), 'A') || "
    "setweight(to_tsvector('simple', coalesce(extra_terms, '')), 'B')",
]
BACKWARD = ["DROP INDEX IF EXISTS searchdoc_head_vector_gin"]


def _run(statements):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            for statement in statements:
                schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [("handreiking", "0005_fts_markers_without_sizes")]

    operations = [
        migrations.AddField(
            model_name="searchdocument",
            name="head_vector",
            field=django.contrib.postgres.search.SearchVectorField(editable=False, null=True),
        ),
        migrations.RunPython(_run(FORWARD), _run(BACKWARD)),
    ]
