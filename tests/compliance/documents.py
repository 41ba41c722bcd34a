"""Reading the PDF reports in tests: their text, and a fixture that skips when WeasyPrint cannot load here."""

import io

import pytest


def pdf_text(data: bytes) -> str:
    """The words of every page, spaces collapsed."""
    from pypdf import PdfReader

    return " ".join(" ".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages).split())


@pytest.fixture
def weasyprint():
    try:
        import weasyprint
    except (ImportError, OSError) as error:  # no Pango on this machine: `make system` installs it
        pytest.skip(f"WeasyPrint cannot be loaded here: {error}")
    return weasyprint
