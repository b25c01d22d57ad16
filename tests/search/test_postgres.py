"""The PostgreSQL backend: tsquery quoting, weighted vectors and their GIN indexes."""

import pytest
from django.db import connection

from handreiking.models import SearchDocument
from handreiking.search.postgres import tsquery


def test_tsquery_quotes_every_lexeme():
    assert tsquery([[("pest",), ("pes",)], [("naak", "foto")]]) == \
        "(('pest') | ('pes')) & (('naak' & 'foto'))"
    assert tsquery([[("a'b",)]]) == "(('a''b'))"
    assert tsquery([[("a\\b",)]]) == "(('a\\\\b'))"


@pytest.mark.django_db
def test_vectors_and_indexes(loaded):
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL-only: this run uses " + connection.vendor)
    assert not SearchDocument.objects.filter(search_vector__isnull=True).exists()
    assert not SearchDocument.objects.filter(head_vector__isnull=True).exists()
    indexes = {"searchdoc_vector_gin", "searchdoc_head_vector_gin"}
    with connection.cursor() as cursor:
        cursor.execute("SELECT indexname FROM pg_indexes WHERE indexname = ANY(%s)",
                       [[*indexes, "searchterm_word_trgm"]])
        # Typo candidates come from the in-memory vocabulary now (migration 0008).
        assert {row[0] for row in cursor.fetchall()} == indexes
