"""The case: the case file's schema, its loader, validation, and the vocabulary that
every other part reads a case with (paths, list sections, languages, answers)."""
