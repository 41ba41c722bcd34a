"""Editing a negotiated convention and correcting a signed one (registry/conventions/editing.py)."""

from datetime import date

import pytest
from sqlalchemy import select

from registry.audit.models import AuditLog
from registry.conventions import lifecycle
from registry.conventions.editing import correct_convention, edit_convention
from registry.conventions.services import generate_draft
from registry.conventions.terms import Signatory
from registry.core.errors import Conflict, DomainError
from registry.core.storage import document_store
from registry.extensions import db
from tests.conventions.builders import drafted_convention, make_convention
from tests.conventions.lifecycle_helpers import reload
from tests.conventions.test_services import _text


def _audits(convention, action):
    return list(db.session.scalars(select(AuditLog).where(
        AuditLog.object_type == "Convention", AuditLog.object_id == convention.id, AuditLog.action == action)))


@pytest.mark.parametrize("status", [lifecycle.BROUILLON, lifecycle.EN_NEGOCIATION])
def test_a_negotiated_convention_is_edited_and_the_change_audited(shipped_templates, hospital_with_partners,
                                                                   status):
    hospital, _, ehpad = hospital_with_partners
    convention = drafted_convention(hospital, ehpad, status=status)
    changes = edit_convention(convention, {"title": "Convention EHPAD révisée", "effective_date": date(2026, 3, 1),
                                           "fields": {"administrative_court": "Besançon"}})
    db.session.commit()
    convention = reload(convention)
    assert convention.title == "Convention EHPAD révisée" and convention.effective_date == date(2026, 3, 1)
    assert convention.fields["administrative_court"] == "Besançon"
    assert convention.fields["signing_place"] == "Dijon"  # the other fields are kept
    assert changes["effective_date"] == ["2025-01-01", "2026-03-01"]
    [entry] = _audits(convention, "convention.edit")
    assert entry.changes["title"][1] == "Convention EHPAD révisée"
    assert any(key.startswith("champ : ") and value == ["Dijon", "Besançon"] for key, value in entry.changes.items())
    assert "modifiée" in entry.summary and "Date d'effet" in entry.summary
    draft = generate_draft(convention)
    assert "Besançon" in _text(document_store().read(draft.sha256))


@pytest.mark.parametrize("status", [lifecycle.A_SIGNER, lifecycle.SIGNEE, lifecycle.RESILIEE])
def test_editing_is_refused_from_a_signer_on(shipped_templates, hospital_with_partners, status):
    hospital, _, ehpad = hospital_with_partners
    convention = drafted_convention(hospital, ehpad, status=status)
    with pytest.raises(Conflict, match="figés"):
        edit_convention(convention, {"title": "Autre"})
    db.session.rollback()
    assert reload(convention).title != "Autre" and not _audits(convention, "convention.edit")


def test_an_edit_is_checked_as_the_creation(shipped_templates, hospital_with_partners, make_partnership,
                                            make_hospital):
    hospital, _, ehpad = hospital_with_partners
    convention = drafted_convention(hospital, ehpad)
    stranger = make_partnership(make_hospital())
    for changes, message in [({"duration_months": 0}, "durée"), ({"clauses": ["inconnue"]}, "clause inconnue"),
                             ({"partnerships": []}, "au moins un partenaire"), ({"title": " "}, "intitulé"),
                             ({"partnerships": [stranger]}, "n'est pas partenaire"),
                             ({"themes": ["urgences"]}, "aucun article"), ({"reference": "X"}, "reference")]:
        with pytest.raises(DomainError, match=message):
            edit_convention(convention, changes)
        db.session.rollback()
    assert not _audits(convention, "convention.edit")


def test_parties_and_signatories_are_edited(shipped_templates, hospital_with_partners):
    hospital, chu, ehpad = hospital_with_partners
    convention = drafted_convention(hospital, ehpad)
    edit_convention(convention, {"partnerships": [chu, ehpad], "signatories": {
        ehpad.partner_id: Signatory("Paul Martin", "Directeur"), chu.partner_id: Signatory("Anne Roy", "DG")}})
    db.session.commit()
    convention = reload(convention)
    assert [party.organisation_id for party in convention.parties] == [
        hospital.organisation_id, chu.partner_id, ehpad.partner_id]
    assert convention.parties[2].signatory == ("Paul Martin", "Directeur")
    edit_convention(convention, {"partnerships": [chu]})
    db.session.commit()
    convention = reload(convention)
    assert [party.organisation_id for party in convention.parties] == [hospital.organisation_id, chu.partner_id]
    assert convention.parties[1].signatory == ("Anne Roy", "DG")
    [_, second] = sorted(_audits(convention, "convention.edit"), key=lambda entry: entry.id)
    assert second.changes["partners"] == [["CHU DIJON BOURGOGNE", "EHPAD LE CHAMP DE MARS"], ["CHU DIJON BOURGOGNE"]]


def test_an_edit_changing_nothing_records_nothing(shipped_templates, hospital_with_partners):
    hospital, _, ehpad = hospital_with_partners
    convention = drafted_convention(hospital, ehpad)
    assert edit_convention(convention, {"title": convention.title}) == {}
    assert not _audits(convention, "convention.edit")


def test_a_signed_convention_is_corrected_with_a_reason(shipped_templates, hospital_with_partners):
    hospital, _, ehpad = hospital_with_partners
    convention = drafted_convention(hospital, ehpad, status=lifecycle.SIGNEE)
    with pytest.raises(DomainError, match="motif de la correction"):
        correct_convention(convention, {"effective_date": date(2025, 2, 1)}, reason="  ")
    db.session.rollback()
    changes = correct_convention(convention, {"effective_date": date(2025, 2, 1), "signed_on": date(2025, 1, 15)},
                                 reason="Date d'effet mal saisie")
    db.session.commit()
    convention = reload(convention)
    assert convention.effective_date == date(2025, 2, 1) and convention.signed_on == date(2025, 1, 15)
    assert changes["signed_on"] == ["2025-01-01", "2025-01-15"]
    [entry] = _audits(convention, "convention.correct")
    assert entry.changes["reason"] == [None, "Date d'effet mal saisie"]
    assert "corrigée (Date d'effet mal saisie)" in entry.summary


def test_a_correction_keeps_the_dates_consistent(shipped_templates, hospital_with_partners):
    hospital, _, ehpad = hospital_with_partners
    convention = drafted_convention(hospital, ehpad, status=lifecycle.RESILIEE)
    for changes, message in [({"signed_on": date(2030, 1, 1)}, "futur"),
                             ({"terminated_on": date(2024, 1, 1)}, "avant la signature"),
                             ({"duration_months": 0}, "durée"), ({"signed_on": None}, "date de signature"),
                             ({"fields": {"signing_place": "Autun"}}, "document signé"),
                             ({"termination_reason": ""}, "motif de la résiliation")]:
        with pytest.raises(DomainError, match=message):
            correct_convention(convention, changes, reason="Erreur de saisie")
        db.session.rollback()
    correct_convention(convention, {"terminated_on": date(2026, 12, 31)}, reason="Date de la lettre")
    db.session.commit()
    assert reload(convention).terminated_on == date(2026, 12, 31)


@pytest.mark.parametrize("status", [lifecycle.BROUILLON, lifecycle.EN_NEGOCIATION, lifecycle.A_SIGNER])
def test_only_signed_conventions_are_corrected(shipped_templates, hospital_with_partners, status):
    hospital, _, ehpad = hospital_with_partners
    convention = drafted_convention(hospital, ehpad, status=status)
    with pytest.raises(Conflict, match="Seule une convention signée"):
        correct_convention(convention, {"title": "Autre"}, reason="Erreur")
    db.session.rollback()
    assert not _audits(convention, "convention.correct")


def test_a_signed_convention_cannot_say_termination(shipped_templates, hospital_with_partners):
    hospital, _, ehpad = hospital_with_partners
    convention = drafted_convention(hospital, ehpad, status=lifecycle.SIGNEE)
    with pytest.raises(DomainError, match="seule une convention résiliée"):
        correct_convention(convention, {"terminated_on": date(2026, 1, 1)}, reason="Erreur")


def test_a_correction_is_seen_by_the_compliance_check_at_once(make_organisation, make_hospital, make_partnership):
    """The compliance memo is keyed on the rows it reads: a corrected date is a new key, never a stale verdict."""
    from tests.compliance.test_adapter import verdicts

    hospital = make_hospital(make_organisation(name="CH SEMUR", category_code="106", departement="21"),
                             territory_departements=["21"], internal_activities=["usld"])
    ehpad = make_partnership(hospital, make_organisation(name="EHPAD LES TILLEULS", category_code="500",
                                                         departement="21", commune_code="21603"),
                             partner_types=["ehpad"])
    convention = make_convention(hospital, ehpad, themes=["retour_domicile"])
    db.session.commit()
    assert verdicts(hospital)["2b_ehpad"].verdict == "satisfait"
    correct_convention(convention, {"duration_months": 6}, reason="Durée mal saisie à l'import")  # ended in 2026
    db.session.commit()
    assert verdicts(hospital)["2b_ehpad"].verdict != "satisfait"
