"""Which reports set a signed copy aside, what people are told, the count of signatures and document timestamps,
and trust judged against configured roots (a self-made root standing for a national trust list)."""

from asn1crypto import pem

from registry.signatures import alert_reasons, count_label, counts, labels, load_trust_roots, verify_signatures
from tests.signatures import pdf_factory


def reports(data: bytes, **kwargs) -> list[dict]:
    return [report.as_dict() for report in verify_signatures(data, **kwargs)]


def test_an_intact_signature_raises_no_alert(signed):
    assert alert_reasons(reports(signed)) == []


def test_bytes_changed_inside_the_signed_range_give_a_french_reason(signed):
    assert alert_reasons(reports(pdf_factory.tamper_signed_bytes(signed))) == [
        "La signature de Dr Marie Dupont est altérée : le contenu qu'elle couvre a été modifié depuis la signature, "
        "ou elle ne correspond plus à son certificat."]


def test_an_incremental_update_changing_the_page_content_is_a_modification(signed):
    found = reports(pdf_factory.change_page_content(signed))
    assert found[0]["intact"] is True and found[0]["verdict"] == labels.MODIFIED
    assert alert_reasons(found) == [
        "Le document a été modifié après la signature de Dr Marie Dupont (contenu ou pages changés par une mise à "
        "jour ultérieure) : elle ne couvre pas le document entier."]


def test_a_page_added_after_signing_and_an_unreadable_signature_raise_alerts(signed):
    assert len(alert_reasons(reports(pdf_factory.append_page(signed)))) == 1
    (reason,) = alert_reasons(reports(pdf_factory.blank_signature_contents(signed)))
    assert reason == ("Une signature électronique (champ « Signature1 ») est illisible : elle ne peut pas être "
                      "vérifiée.")


def test_a_scan_without_signature_raises_no_alert():
    assert alert_reasons(reports(pdf_factory.blank_pdf())) == []
    assert count_label([]) == "aucune signature électronique"


def test_a_valid_signature_read_leniently_is_no_alert():
    lenient = {"verdict": labels.INTACT_UNTRUSTED, "lenient": True, "kind": labels.SIGNATURE, "signer": "X"}
    assert alert_reasons([lenient]) == []


def test_a_revoked_or_unverified_certificate_is_no_alert():
    assert alert_reasons([{"verdict": labels.CERT_REVOKED}, {"verdict": labels.INTACT_UNTRUSTED}]) == []


def test_document_timestamps_are_counted_apart_from_signers(signed, tsa_identity):
    cosigner = pdf_factory.make_identity("Jean Martin", "EHPAD Les Tilleuls")
    data = pdf_factory.timestamped_document(tsa_identity, pdf_factory.signed_pdf(cosigner, signed,
                                                                                   field_name="Signature2"))
    found = reports(data)
    assert [report["kind"] for report in found] == ["signature", "signature", "horodatage"]
    assert counts(found) == (2, 1)
    assert count_label(found) == "2 signatures, 1 horodatage"
    assert alert_reasons(found) == []  # a document timestamp after signing modifies nothing


def test_counts_are_worded_in_the_singular_and_plural():
    stamp = {"kind": labels.DOCUMENT_TIMESTAMP}
    assert count_label([{"kind": labels.SIGNATURE}]) == "1 signature"
    assert count_label([stamp, stamp]) == "2 horodatages"


def test_an_altered_document_timestamp_is_named_as_such():
    stamp = {"kind": labels.DOCUMENT_TIMESTAMP, "signer": "Horodatage de test", "verdict": labels.ALTERED}
    assert alert_reasons([stamp])[0].startswith(
        "L'horodatage de Horodatage de test est altéré : le contenu qu'il couvre")


def test_a_signer_under_a_configured_root_is_trusted_another_is_not():
    root = pdf_factory.make_identity("Autorité de certification de test", "Prestataire de confiance")
    member = pdf_factory.issued_identity(root, "Dr Anne Leroy")
    stranger = pdf_factory.make_identity("Dr Paul Inconnu")
    roots = load_trust_roots(pem.armor("CERTIFICATE", root.certificate_der))
    (trusted,) = reports(pdf_factory.signed_pdf(member), trust_roots=roots)
    (untrusted,) = reports(pdf_factory.signed_pdf(stranger), trust_roots=roots)
    assert (trusted["trust"], trusted["label"]) == (labels.TRUSTED, "intègre, certificat vérifié")
    assert (untrusted["trust"], untrusted["label"]) == (labels.UNTRUSTED, "intègre, certificat non vérifié")
    (without_roots,) = reports(pdf_factory.signed_pdf(member))
    assert without_roots["trust"] == labels.UNTRUSTED
