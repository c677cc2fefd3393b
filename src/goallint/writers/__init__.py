"""Writers turn a Document into a file: the long layout as .xlsx and .csv (the canonical YAML and
JSON writers are goallint.canonical)."""
