"""Bundles and signed copies set aside by their signature check: never bundled while set aside; bundled once
confirmed despite the alert, the manifests saying so (a field and a column added, nothing renamed)."""

from registry.conventions.signed_copies import attach_signed_copy, confirm_signed_copy
from registry.extensions import db
from tests.bundles.helpers import build_bundle, bundle_bytes, csv_rows, manifest
from tests.conventions.lifecycle_helpers import tampered_pdf

REASON = "Original papier vérifié"


def _entry(data: bytes, reference: str) -> dict | None:
    return next((entry for entry in manifest(data)["files"] if entry["reference"] == reference), None)


def test_a_set_aside_copy_is_not_bundled_the_previous_current_one_is(world):
    altered = attach_signed_copy(world.main, tampered_pdf())
    db.session.commit()
    data = bundle_bytes(build_bundle(hospital=world.own.finess_et))
    entry = _entry(data, world.main.reference)
    assert altered.version == 3 and entry["copy_version"] == 2 and entry["sha256"] == world.files["main"].sha256
    assert entry["confirmed_despite_alert"] is None


def test_a_signed_convention_whose_only_copy_is_set_aside_is_left_out(build, world):
    convention, _ = build.signed(world.own, partner_name="CENTRE DE SANTE")
    convention.documents[0].review = "ecartee"  # as if its only copy had been set aside on upload
    db.session.commit()
    assert _entry(bundle_bytes(build_bundle(hospital=world.own.finess_et)), convention.reference) is None


def test_a_copy_confirmed_despite_the_alert_is_bundled_and_flagged(world):
    altered = attach_signed_copy(world.main, tampered_pdf())
    confirm_signed_copy(altered, REASON)
    db.session.commit()
    data = bundle_bytes(build_bundle(hospital=world.own.finess_et))
    entry = _entry(data, world.main.reference)
    assert entry["copy_version"] == 3 and entry["sha256"] == altered.sha256
    confirmation = entry["confirmed_despite_alert"]
    assert confirmation["reason"] == REASON and confirmation["at"] == "2026-12-02"
    assert confirmation["alerts"][0].startswith("La signature de Marie Durand est altérée")
    assert manifest(data)["format"] == "registre-hdp/lot-conventions-signees/1"  # a field added, none renamed
    rows = csv_rows(data, "manifest.csv")
    column = rows[0].index("Confirmée malgré l'alerte")
    assert rows[0][column - 1] == "Contrôle des signatures"  # appended after the existing columns
    flagged = [row[column] for row in rows[1:] if row[rows[0].index("Référence")] == world.main.reference]
    assert flagged == [f"oui : {REASON}"]
    others = [row[column] for row in rows[1:] if row[rows[0].index("Référence")] != world.main.reference]
    assert others and set(others) == {""}
