"""register_signed, the one workflow behind the « Enregistrer une convention existante » form and the stock
import: the convention, its signed copy (verified once), « signée » and the audit entries, all or nothing."""

from datetime import date

import pytest
from sqlalchemy import func, select

from registry import signatures
from registry.audit.models import AuditLog
from registry.conventions.bulk_import import import_stock
from registry.conventions.models import COPY_SET_ASIDE, Convention, ConventionDocument
from registry.conventions.registering import register_signed
from registry.conventions.signed_copies import check_signed_copy
from registry.conventions.terms import ConventionTerms
from registry.core.errors import DomainError
from registry.extensions import db
from tests.conventions.lifecycle_helpers import signed_pdf, tampered_pdf
from tests.conventions.test_bulk_import import pdf, plan_of, values


@pytest.fixture
def verifications(monkeypatch) -> list[int]:
    """Each PDF signature verification, counted (its size): the check wraps registry.signatures'."""
    calls, real = [], signatures.verify_signatures

    def counted(data, *args, **kwargs):
        calls.append(len(data))
        return real(data, *args, **kwargs)
    monkeypatch.setattr(signatures, "verify_signatures", counted)
    return calls


def terms_of(partnership, **overrides) -> ConventionTerms:
    terms = dict(partnerships=[partnership], partner_types=["second_recours"], themes=["telemedecine"],
                 effective_date=date(2019, 1, 1), duration_months=36, title="Convention de télémédecine")
    terms.update(overrides)
    return ConventionTerms(**terms)


def audit_actions() -> list[str]:
    return list(db.session.scalars(select(AuditLog.action).order_by(AuditLog.id)))


def test_it_registers_the_convention_signed_with_its_copy_and_audit_entries(app, hospital_with_partners):
    hospital, chu, _ = hospital_with_partners
    registered = register_signed(hospital, terms_of(chu), signed_pdf(), signed_on=date(2018, 12, 15),
                                 transmitted_on=date(2019, 1, 10))
    db.session.commit()
    convention = registered.convention
    assert (convention.status, convention.signed_on) == ("signee", date(2018, 12, 15))
    assert convention.signed_copies == [registered.copy] and convention.current_signed_copy == registered.copy
    assert registered.copy.review is None
    assert audit_actions()[:3] == ["convention.register", "convention.signed_copy", "convention.transition"]
    assert len(audit_actions()) == 4  # and the ARS transmission


def test_a_report_computed_before_is_reused_the_pdf_is_verified_once(app, hospital_with_partners, verifications):
    hospital, chu, _ = hospital_with_partners
    data = signed_pdf()
    report = check_signed_copy(data)  # what the form's validation does
    registered = register_signed(hospital, terms_of(chu), data, signed_on=date(2018, 12, 15), report=report)
    assert verifications == [len(data)]
    assert registered.copy.signature_report == report


def test_without_a_report_it_verifies_the_pdf_itself_once(app, hospital_with_partners, verifications):
    hospital, chu, _ = hospital_with_partners
    registered = register_signed(hospital, terms_of(chu), signed_pdf(), signed_on=date(2018, 12, 15))
    assert len(verifications) == 1
    assert registered.copy.signature_report["label"] == "intègre, certificat non vérifié"


def test_a_report_of_other_bytes_is_never_reused(app, hospital_with_partners, verifications):
    hospital, chu, _ = hospital_with_partners
    clean = check_signed_copy(signed_pdf())
    registered = register_signed(hospital, terms_of(chu), tampered_pdf(), signed_on=date(2018, 12, 15),
                                 report=clean)
    assert len(verifications) == 2  # the clean copy's check, then the tampered copy's own
    assert registered.copy.review == COPY_SET_ASIDE and registered.copy.signature_report != clean


def test_a_copy_with_an_altered_signature_is_set_aside_the_convention_still_signed(app, hospital_with_partners):
    hospital, chu, _ = hospital_with_partners
    data = tampered_pdf()
    registered = register_signed(hospital, terms_of(chu), data, signed_on=date(2018, 12, 15),
                                 report=check_signed_copy(data))
    assert registered.convention.status == "signee"
    assert registered.copy.review == COPY_SET_ASIDE and registered.convention.current_signed_copy is None


def test_a_refusal_leaves_nothing_once_rolled_back(app, hospital_with_partners):
    hospital, chu, _ = hospital_with_partners
    with pytest.raises(DomainError):
        register_signed(hospital, terms_of(chu), signed_pdf(), signed_on=date(2099, 1, 1))  # signed in the future
    db.session.rollback()
    assert db.session.scalar(select(func.count(Convention.id))) == 0
    assert db.session.scalar(select(func.count(ConventionDocument.id))) == 0


def test_the_stock_import_verifies_each_pdf_once_after_its_check(app, hospital_with_partners, verifications):
    hospital, chu, ehpad = hospital_with_partners
    rows = [values(chu, fichier_pdf="a.pdf"), values(ehpad, types_partenaires="ehpad", fichier_pdf="b.pdf")]
    plan, archive = plan_of(hospital, rows, {"a.pdf": pdf(1), "b.pdf": signed_pdf()})
    assert len(verifications) == 2 and plan.ready
    with archive:
        created = import_stock(hospital, plan, archive)
    assert len(verifications) == 2  # the plan's reports were reused
    assert [c.signed_copies[0].signature_report for c in created] == [row.report for row in plan.rows]


def test_a_plan_checked_on_other_bytes_verifies_again_at_import(app, hospital_with_partners, verifications):
    hospital, chu, _ = hospital_with_partners
    plan, first = plan_of(hospital, [values(chu, fichier_pdf="a.pdf")], {"a.pdf": pdf(1)})
    first.close()
    _, other = plan_of(hospital, [values(chu, fichier_pdf="a.pdf")], {"a.pdf": pdf(2)})
    assert len(verifications) == 2
    with other:
        plan.rows[0].entry = other.entries[0]
        [convention] = import_stock(hospital, plan, other)
    assert len(verifications) == 3
    assert convention.signed_copies[0].signature_report["pdf"]["sha256"] != plan.rows[0].report["pdf"]["sha256"]


def test_check_stock_keeps_each_row_report(app, hospital_with_partners):
    hospital, chu, _ = hospital_with_partners
    plan, archive = plan_of(hospital, [values(chu, fichier_pdf="a.pdf")], {"a.pdf": pdf(1)})
    archive.close()
    [row] = plan.rows
    assert row.report["pdf"]["sha256"] == row.sha256 and row.report["label"] == row.signature_label
