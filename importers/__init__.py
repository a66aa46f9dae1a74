"""Qt-free importers: sniff, guard, read, map headers, coerce values, commit (beangulp-style)."""
