"""Site search: one interface, a backend per database (SQLite FTS5 or PostgreSQL)."""

from __future__ import annotations

from django.db import transaction

from ..models import SearchDocument
from .documents import build_documents


def rebuild_index() -> int:
    """Recreate every search document from the content rows; returns how many."""
    documents = build_documents()
    with transaction.atomic():
        SearchDocument.objects.all().delete()
        SearchDocument.objects.bulk_create(documents, batch_size=500)
    return len(documents)
