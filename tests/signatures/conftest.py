"""Keys and signed PDFs made once per test module: generating them is the slow part."""

import pytest

from tests.signatures import pdf_factory


@pytest.fixture(scope="module")
def signer_identity():
    return pdf_factory.make_identity("Dr Marie Dupont")


@pytest.fixture(scope="module")
def tsa_identity():
    return pdf_factory.make_identity("Horodatage de test", timestamping=True)


@pytest.fixture(scope="module")
def signed(signer_identity):
    return pdf_factory.signed_pdf(signer_identity)
