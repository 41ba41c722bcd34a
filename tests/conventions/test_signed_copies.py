import zlib
from datetime import date

import pytest
from sqlalchemy import func, select

from registry.conventions.models import ConventionDocument
from registry.conventions.services import create_convention, register_convention
from registry.conventions.signed_copies import attach_signed_copy
from registry.conventions.terms import ConventionTerms
from registry.conventions.transitions import transition
from registry.core.errors import Conflict
from registry.core.storage import document_store
from registry.extensions import db
from registry.signatures import SignedCopyRejected
from tests.conventions.builders import drafted_convention
from tests.conventions.conftest import EFFECTIVE
from tests.signatures import pdf_factory


@pytest.fixture(scope="module")
def identity():
    return pdf_factory.make_identity("Marie Durand")


@pytest.fixture
def to_sign(shipped_templates, hospital_with_partners):
    hospital, _, ehpad = hospital_with_partners
    return drafted_convention(hospital, ehpad, status="a_signer", effective_date=EFFECTIVE, duration_months=36)


def _signed_copies():
    return db.session.scalar(select(func.count(ConventionDocument.id)).where(ConventionDocument.kind == "signed"))


def test_signed_copy_is_checked_stored_and_reported(to_sign, identity):
    data = pdf_factory.signed_pdf(identity)
    document = attach_signed_copy(to_sign, data)
    assert document.version == 1 and document.media_type == "application/pdf"
    assert document_store().read(document.sha256) == data
    report = document.signature_report
    assert report["label"] == "intègre, certificat non vérifié"
    assert report["signatures"][0]["signer"] == "Marie Durand" and report["signatures"][0]["intact"]
    transition(to_sign, "signee", actor=None, date=date(2026, 11, 2))
    assert to_sign.status == "signee"


def test_tampered_copy_is_kept_and_reported_altered(to_sign, identity):
    document = attach_signed_copy(to_sign, pdf_factory.tamper_signed_bytes(pdf_factory.signed_pdf(identity)))
    assert document.signature_report["label"] == "altérée"


def test_scan_without_signature_is_a_handwritten_copy(to_sign):
    document = attach_signed_copy(to_sign, pdf_factory.blank_pdf())
    assert document.signature_report == {**document.signature_report, "signatures": [],
                                         "label": "signature manuscrite (copie numérisée)"}


def test_a_copy_records_the_crc32_of_its_bytes(to_sign):
    data = pdf_factory.blank_pdf()
    document = attach_signed_copy(to_sign, data)
    assert document.crc32 == zlib.crc32(data) and document.size == len(data)  # what a bundle writes in its ZIP


def test_a_new_copy_keeps_the_previous_one(to_sign, identity):
    first = attach_signed_copy(to_sign, pdf_factory.blank_pdf())
    second = attach_signed_copy(to_sign, pdf_factory.signed_pdf(identity))
    assert (first.version, second.version) == (1, 2)
    assert document_store().exists(first.sha256) and document_store().exists(second.sha256)


@pytest.mark.parametrize("data", [b"", b"PK\x03\x04 not a pdf", b"<html><body>x</body></html>",
                                  pdf_factory.blank_pdf()[:200]])
def test_bad_files_are_refused_and_change_nothing(to_sign, data):
    with pytest.raises(SignedCopyRejected):
        attach_signed_copy(to_sign, data)
    assert _signed_copies() == 0


@pytest.mark.parametrize("app_config", [{"MAX_UPLOAD_MB": 1}])
def test_oversized_copy_is_refused(to_sign):
    with pytest.raises(SignedCopyRejected, match="Mo"):
        attach_signed_copy(to_sign, pdf_factory.blank_pdf() + b"%" * (2 * 1024 * 1024))


def test_no_copy_on_a_draft_drafted_here(shipped_templates, hospital_with_partners):
    hospital, chu, _ = hospital_with_partners
    convention = create_convention(hospital, ConventionTerms(partnerships=[chu], effective_date=EFFECTIVE,
        duration_months=12),
        template_code="second_recours",
        fields={"specialties": ["Cardiologie"], "administrative_court": "Dijon", "signing_place": "Dijon"})
    with pytest.raises(Conflict, match="à signer"):
        attach_signed_copy(convention, pdf_factory.blank_pdf())


def test_registered_convention_goes_straight_to_signee(hospital_with_partners):
    hospital, chu, _ = hospital_with_partners
    convention = register_convention(hospital, ConventionTerms(partnerships=[chu], partner_types=["second_recours"],
        themes=["orientation", "telemedecine"], effective_date=date(2019, 3, 1), duration_months=60))
    attach_signed_copy(convention, pdf_factory.blank_pdf())
    transition(convention, "signee", actor=None, date=date(2019, 2, 15))
    assert convention.status == "signee" and convention.signed_on == date(2019, 2, 15)


def test_failed_commit_leaves_no_row_pointing_at_a_missing_file(app, to_sign, monkeypatch):
    db.session.commit()
    document = attach_signed_copy(to_sign, pdf_factory.blank_pdf())
    sha256 = document.sha256

    def broken_commit():
        raise RuntimeError("database went away")
    monkeypatch.setattr(db.session, "commit", broken_commit)
    with pytest.raises(RuntimeError):
        db.session.commit()
    monkeypatch.undo()
    db.session.rollback()
    assert _signed_copies() == 0  # no row survived the failed transaction
    assert document_store().exists(sha256)  # the bytes written first are there (an orphan, never a dangling row)
    for row in db.session.scalars(select(ConventionDocument)):
        assert document_store().exists(row.sha256)
