"""A signed copy whose signature check raises an alert is set aside: stored, never silently the current copy,
until a user confirms it with a reason (audited) or discards it."""

from datetime import datetime, timezone

import pytest
from sqlalchemy import select

from registry.audit.models import AuditLog
from registry.conventions import lifecycle
from registry.conventions.models import COPY_CONFIRMED, COPY_DISCARDED, COPY_SET_ASIDE
from registry.conventions.signed_copies import (attach_signed_copy, confirm_signed_copy, discard_signed_copy,
                                                find_signed_copy)
from registry.conventions.transitions import transition
from registry.core import clock
from registry.core.errors import Conflict, DomainError, NotFound
from registry.core.storage import document_store
from registry.extensions import db
from tests.conventions.builders import SIGNED_ON, drafted_convention, registered
from tests.conventions.lifecycle_helpers import signed_pdf, tampered_pdf
from tests.signatures import pdf_factory


@pytest.fixture
def scene(shipped_templates, hospital_with_partners, make_user):
    hospital, _, ehpad = hospital_with_partners
    staff = make_user("hospital", organisations=[hospital.organisation])
    convention = drafted_convention(hospital, ehpad, actor=staff, status=lifecycle.A_SIGNER)
    return convention, staff


def audit(action: str) -> list[AuditLog]:
    return list(db.session.scalars(select(AuditLog).where(AuditLog.action == action)))


def test_an_altered_copy_is_stored_but_not_current(scene):
    convention, staff = scene
    good = attach_signed_copy(convention, signed_pdf(), actor=staff)
    altered = attach_signed_copy(convention, tampered_pdf(), actor=staff)
    assert (good.review, altered.review) == (None, COPY_SET_ASIDE)
    assert document_store().exists(altered.sha256)
    assert convention.current_signed_copy is good
    assert "mise à l'écart" in audit("convention.signed_copy")[-1].summary


def test_a_page_content_changed_after_signing_is_set_aside_too(scene):
    convention, staff = scene
    document = attach_signed_copy(convention, pdf_factory.change_page_content(signed_pdf()), actor=staff)
    assert document.review == COPY_SET_ASIDE and convention.current_signed_copy is None
    assert document.signature_report["label"] == "modifiée après signature"


@pytest.mark.parametrize("data", [pdf_factory.blank_pdf(), signed_pdf()], ids=["scan", "intact"])
def test_a_scan_or_an_intact_signature_is_current_at_once(scene, data):
    convention, staff = scene
    document = attach_signed_copy(convention, data, actor=staff)
    assert document.review is None and convention.current_signed_copy is document


def test_the_report_counts_signatures_and_timestamps(scene):
    convention, staff = scene
    tsa = pdf_factory.make_identity("Horodatage de test", timestamping=True)
    document = attach_signed_copy(convention, pdf_factory.timestamped_document(tsa, signed_pdf()), actor=staff)
    report = document.signature_report
    assert (report["signature_count"], report["timestamp_count"]) == (1, 1)
    assert report["count_label"] == "1 signature, 1 horodatage" and document.review is None


def test_confirming_needs_a_reason_and_changes_nothing_without(scene):
    convention, staff = scene
    altered = attach_signed_copy(convention, tampered_pdf(), actor=staff)
    with pytest.raises(DomainError, match="Indiquez pourquoi"):
        confirm_signed_copy(altered, "   ", actor=staff)
    assert altered.review == COPY_SET_ASIDE and convention.current_signed_copy is None


def test_a_confirmed_copy_becomes_current_flagged_and_audited(scene):
    convention, staff = scene
    attach_signed_copy(convention, signed_pdf(), actor=staff)
    altered = attach_signed_copy(convention, tampered_pdf(), actor=staff)
    with clock.travel(datetime(2026, 12, 2, 10, 30, tzinfo=timezone.utc)):
        confirm_signed_copy(altered, " Original papier vérifié avec le directeur ", actor=staff)
    assert altered.review == COPY_CONFIRMED and convention.current_signed_copy is altered
    assert (altered.review_reason, altered.reviewed_by_id) == ("Original papier vérifié avec le directeur", staff.id)
    assert clock.as_utc(altered.reviewed_at).replace(microsecond=0) == datetime(2026, 12, 2, 10, 30, tzinfo=timezone.utc)
    (entry,) = audit("convention.signed_copy_confirmed")
    assert entry.actor_id == staff.id and "Original papier vérifié avec le directeur" in entry.summary
    with pytest.raises(Conflict, match="n'attend pas de décision"):
        confirm_signed_copy(altered, "encore", actor=staff)


def test_a_discarded_copy_is_kept_never_current(scene):
    convention, staff = scene
    altered = attach_signed_copy(convention, tampered_pdf(), actor=staff)
    discard_signed_copy(altered, "Mauvais fichier", actor=staff)
    assert altered.review == COPY_DISCARDED and convention.current_signed_copy is None
    assert document_store().exists(altered.sha256)
    assert not convention.has_signed_copy  # « signée » needs another copy
    assert audit("convention.signed_copy_discarded")[0].summary.endswith("écartée définitivement : Mauvais fichier")
    with pytest.raises(Conflict):
        confirm_signed_copy(altered, "finalement", actor=staff)


def test_an_older_set_aside_copy_cannot_overtake_a_newer_current_one(scene):
    convention, staff = scene
    altered = attach_signed_copy(convention, tampered_pdf(), actor=staff)
    newer = attach_signed_copy(convention, signed_pdf(), actor=staff)
    with pytest.raises(Conflict, match="La copie v2, plus récente, est déjà la copie en vigueur"):
        confirm_signed_copy(altered, "raison", actor=staff)
    assert convention.current_signed_copy is newer


def test_a_copy_without_alert_needs_no_decision(scene):
    convention, staff = scene
    good = attach_signed_copy(convention, signed_pdf(), actor=staff)
    with pytest.raises(Conflict, match="aucune alerte de signature"):
        discard_signed_copy(good, actor=staff)


def test_an_unknown_version_is_not_found(scene):
    with pytest.raises(NotFound):
        find_signed_copy(scene[0], 9)


def test_a_registered_convention_is_signed_with_its_copy_set_aside(shipped_templates, hospital_with_partners):
    hospital, _, ehpad = hospital_with_partners
    convention = registered(hospital, ehpad)
    attach_signed_copy(convention, tampered_pdf())
    transition(convention, lifecycle.SIGNEE, actor=None, date=SIGNED_ON)
    assert convention.status == lifecycle.SIGNEE and convention.current_signed_copy is None


def test_a_stock_row_with_an_altered_pdf_is_reported_and_imported_set_aside(app, hospital_with_partners):
    from tests.conventions.test_bulk_import import import_stock, pdf, plan_of, values

    hospital, chu, ehpad = hospital_with_partners
    rows = [values(chu, fichier_pdf="altere.pdf"),
            values(ehpad, titre="Saine", types_partenaires="ehpad", fichier_pdf="saine.pdf")]
    plan, archive = plan_of(hospital, rows, {"altere.pdf": tampered_pdf(), "saine.pdf": pdf(1)})
    assert plan.ready  # an alert is no problem that refuses the row: the preview reports it
    assert plan.rows[0].alerts == ["La signature de Marie Durand est altérée : le contenu qu'elle couvre a été "
                                   "modifié depuis la signature, ou elle ne correspond plus à son certificat."]
    assert plan.rows[1].alerts == []
    with archive:
        created = {convention.title: convention for convention in import_stock(hospital, plan, archive)}
    db.session.commit()
    altered, sound = created["Convention de partenariat"], created["Saine"]
    assert altered.status == sound.status == lifecycle.SIGNEE
    assert altered.signed_copies[0].review == COPY_SET_ASIDE and altered.current_signed_copy is None
    assert sound.current_signed_copy is sound.signed_copies[0]


def test_with_signature_trust_roots_set_a_signer_under_them_is_verified(app, scene, tmp_path):
    from asn1crypto import pem

    from registry.conventions.signed_copies import check_signed_copy

    root = pdf_factory.make_identity("Autorité de certification de test", "Prestataire de confiance")
    roots = tmp_path / "trust-roots.pem"
    roots.write_bytes(pem.armor("CERTIFICATE", root.certificate_der))
    app.config["SIGNATURE_TRUST_ROOTS"] = str(roots)
    member = check_signed_copy(pdf_factory.signed_pdf(pdf_factory.issued_identity(root, "Dr Anne Leroy")))
    stranger = check_signed_copy(signed_pdf())
    assert (member["label"], member["signatures"][0]["trust_label"]) == ("intègre, certificat vérifié",
                                                                         "certificat vérifié")
    assert (stranger["label"], stranger["signatures"][0]["trust_label"]) == ("intègre, certificat non vérifié",
                                                                             "certificat non vérifié")
