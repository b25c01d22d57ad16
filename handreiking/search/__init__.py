"""Site search: indexing (content -> documents -> index) and querying, a backend per database.

Views and the publisher use only what this package exports; they never import a backend.
"""

from .base import SearchHit, SearchResults, get_backend
from .indexing import index_documents, index_is_stale, rebuild_index
from .querying import attach_snippets, search
from .suggesting import suggest

__all__ = ["SearchHit", "SearchResults", "attach_snippets", "get_backend", "index_documents",
           "index_is_stale", "rebuild_index", "search", "suggest"]
