"""Cross-cutting pieces with no domain rules: model helpers, access control, audit, errors."""
