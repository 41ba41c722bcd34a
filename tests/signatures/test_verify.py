"""Electronic signatures made in the tests with pyHanko and self-signed certificates, checked offline."""

from datetime import datetime, timedelta, timezone

import pytest

from registry.signatures import SignedCopyRejected, labels, load_trust_roots, summary_label, verify_signatures
from registry.signatures.reports import SignatureReport
from tests.signatures import pdf_factory


def only(reports: list[SignatureReport]) -> SignatureReport:
    assert len(reports) == 1
    return reports[0]


def test_a_fresh_signature_is_intact_with_its_signer_and_time(signed):
    report = only(verify_signatures(signed))
    assert report.field_name == "Signature1" and report.kind == labels.SIGNATURE
    assert report.signer == "Dr Marie Dupont"
    signed_at = datetime.now(timezone.utc)  # system clock: pyHanko wrote the real time into the PDF
    assert abs(report.signing_time - signed_at) < timedelta(minutes=5)
    assert not report.timestamped
    assert report.intact is True and report.modified_after_signing is False
    assert report.error is None


def test_a_self_signed_certificate_is_not_verified_which_is_no_error(signed):
    reports = verify_signatures(signed)
    report = only(reports)
    assert report.trust == labels.UNTRUSTED and not report.trusted
    assert report.trust_label == "certificat non vérifié"
    assert report.label == summary_label(reports) == "intègre, certificat non vérifié"


def test_a_configured_trust_root_makes_the_certificate_verified(signed, signer_identity):
    reports = verify_signatures(signed, trust_roots=[signer_identity.certificate_der])
    assert only(reports).trusted and only(reports).trust_label == "certificat vérifié"
    assert summary_label(reports) == "intègre, certificat vérifié"


def test_another_root_does_not_vouch_for_the_signer(signed):
    stranger = pdf_factory.make_identity("Autorité inconnue")
    assert only(verify_signatures(signed, trust_roots=[stranger.certificate])).trust == labels.UNTRUSTED


def test_bytes_changed_inside_the_signed_range_make_it_altered(signed):
    reports = verify_signatures(pdf_factory.tamper_signed_bytes(signed))
    report = only(reports)
    assert report.intact is False and report.modified_after_signing is True
    assert report.signer == "Dr Marie Dupont"
    assert report.label == summary_label(reports) == "altérée"


def test_a_page_added_after_signing_is_a_modification(signed):
    reports = verify_signatures(pdf_factory.append_page(signed))
    report = only(reports)
    assert report.intact is True and report.modified_after_signing is True
    assert report.coverage == "ENTIRE_REVISION" and report.modification_level == "OTHER"
    assert summary_label(reports) == "modifiée après signature"


def test_a_second_party_signing_later_does_not_modify_the_first_signature(signed, signer_identity):
    cosigner = pdf_factory.make_identity("Jean Martin", "EHPAD Les Tilleuls")
    reports = verify_signatures(pdf_factory.signed_pdf(cosigner, signed, field_name="Signature2"))
    first, second = reports
    assert (first.signer, second.signer) == ("Dr Marie Dupont", "Jean Martin")
    assert first.modification_level == "FORM_FILLING" and not first.modified_after_signing
    assert second.coverage == "ENTIRE_FILE" and not second.modified_after_signing
    assert summary_label(reports) == "intègre, certificat non vérifié"


def test_a_timestamp_token_gives_the_signing_time(signer_identity, tsa_identity):
    report = only(verify_signatures(pdf_factory.signed_pdf(signer_identity, timestamper=tsa_identity)))
    assert report.timestamped and report.signing_time is not None
    assert report.intact and not report.modified_after_signing


def test_a_document_timestamp_is_reported_and_leaves_the_signature_unmodified(signed, tsa_identity):
    data = pdf_factory.timestamped_document(tsa_identity, signed)
    signature, timestamp = verify_signatures(data, trust_roots=[tsa_identity.certificate_der])
    assert signature.modification_level == "LTA_UPDATES" and not signature.modified_after_signing
    assert timestamp.kind == labels.DOCUMENT_TIMESTAMP and timestamp.signer == "Horodatage de test"
    assert timestamp.intact and timestamp.trusted


def test_an_unsigned_pdf_is_a_scan_of_a_handwritten_signature():
    reports = verify_signatures(pdf_factory.blank_pdf())
    assert reports == []
    assert summary_label(reports) == "signature manuscrite (copie numérisée)"


def test_an_unreadable_signature_is_reported_not_raised(signed):
    reports = verify_signatures(pdf_factory.blank_signature_contents(signed))
    report = only(reports)
    assert report.field_name == "Signature1"
    assert report.error == "signature illisible ou d'un format non reconnu" and report.error_detail
    assert report.intact is None and report.signer is None
    assert summary_label(reports) == "signature électronique illisible"


def test_the_worst_signature_gives_the_summary(signed):
    good = only(verify_signatures(signed))
    altered = only(verify_signatures(pdf_factory.tamper_signed_bytes(signed)))
    assert summary_label([good, altered]) == summary_label([altered, good]) == "altérée"


def test_an_owner_password_only_pdf_can_be_checked():
    assert verify_signatures(pdf_factory.encrypted_pdf(user_password="")) == []


def test_a_document_pyhanko_cannot_read_is_refused():
    with pytest.raises(SignedCopyRejected, match="le document est illisible"):
        verify_signatures(b"%PDF-1.7\nnot really\n%%EOF\n")


def test_the_report_as_json(signed):
    payload = only(verify_signatures(signed)).as_dict()
    assert payload["signer"] == "Dr Marie Dupont"
    assert datetime.fromisoformat(payload["signing_time"]).tzinfo is not None
    assert payload["intact"] is True and payload["modified_after_signing"] is False
    assert (payload["trust"], payload["trust_label"]) == ("non_verifie", "certificat non vérifié")
    assert payload["label"] == "intègre, certificat non vérifié"


def test_trust_roots_load_from_a_pem_bundle(signer_identity, tsa_identity):
    from asn1crypto import pem

    bundle = b"".join(pem.armor("CERTIFICATE", identity.certificate_der)
                      for identity in (signer_identity, tsa_identity))
    roots = load_trust_roots(bundle)
    assert [root.dump() for root in roots] == [signer_identity.certificate_der, tsa_identity.certificate_der]
    assert load_trust_roots(signer_identity.certificate_der)[0].dump() == signer_identity.certificate_der


def test_inside_an_event_loop_it_refuses_rather_than_misreport(signed):
    import asyncio

    async def inside():
        verify_signatures(signed)

    with pytest.raises(RuntimeError, match="outside a running asyncio event loop"):
        asyncio.run(inside())


def _misplaced_xref(data: bytes) -> bytes:
    """The last revision's cross-reference offset pointing a few bytes off, as some signing tools write it: the
    strict rules refuse the file, every reader finds its sections anyway."""
    import re

    found = list(re.finditer(rb"startxref\s+(\d+)", data))[-1]
    return data[:found.start(1)] + str(int(found.group(1)) + 3).encode() + data[found.end(1):]


def test_a_file_the_strict_reader_refuses_is_read_leniently_and_its_signer_named(signed):
    from io import BytesIO

    from pyhanko.pdf_utils.misc import PdfStrictReadError
    from pyhanko.pdf_utils.reader import PdfFileReader

    data = _misplaced_xref(pdf_factory.append_page(signed))
    with pytest.raises(PdfStrictReadError):
        PdfFileReader(BytesIO(data), strict=True)
    report = only(verify_signatures(data))
    assert report.lenient and report.error is None
    assert report.signer == "Dr Marie Dupont" and report.intact  # the signed revision itself is untouched
    assert report.verdict == labels.MODIFIED  # a page was added after it
    assert report.as_dict()["lenient"] is True


def test_a_well_formed_file_is_read_strictly(signed):
    assert only(verify_signatures(signed)).lenient is False
