"""Files ⇄ database: parse and validate `content/` (records), load it (loader)."""
