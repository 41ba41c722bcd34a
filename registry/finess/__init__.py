"""FINESS extracts: reading, repairing and importing them into the registry."""
