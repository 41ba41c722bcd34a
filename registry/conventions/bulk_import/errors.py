"""The refusal of a whole file of the stock import, as opposed to the problems of one row (``Row.problems``)."""

from registry.core.errors import DomainError


class ImportRefused(DomainError):
    """The spreadsheet or the archive cannot be used at all (as opposed to a row's problem)."""
