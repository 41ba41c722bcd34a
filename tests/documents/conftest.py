"""Fixtures of the documents tests; the realistic convention data live in tests/documents/data.py."""

import pytest

from registry.documents import TemplateCache, TemplateLibrary
from tests.documents.data import TEMPLATES_DIR


@pytest.fixture
def library():
    return TemplateLibrary(TEMPLATES_DIR)


@pytest.fixture
def cache():
    """A cache of its own per test, so that tests do not see each other's preparations."""
    return TemplateCache(max_entries=8)
