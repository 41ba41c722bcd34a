"""Conventions: the record the law counts, its parties, drafts and (next) lifecycle and signed copies."""
