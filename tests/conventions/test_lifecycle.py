"""The lifecycle: every transition of the table, its guards, events and audit, derived states, avenants,
supersession and deleting an unsigned convention (docs/lifecycle.md)."""

import itertools
import threading
from datetime import date, timedelta

import pytest
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from registry.audit.models import AuditLog
from registry.conventions import lifecycle
from registry.conventions.lifecycle import (A_RENOUVELER, A_SIGNER, BROUILLON, EN_NEGOCIATION, EN_VIGUEUR, EXPIREE,
                                            PAS_ENCORE_EN_VIGUEUR, RESILIEE, SIGNEE, STATUSES, TransitionRefused)
from registry.conventions.models import Convention, ConventionEvent
from registry.conventions.services import create_convention, generate_draft
from registry.conventions.terms import ConventionTerms
from registry.conventions.transitions import (create_avenant, delete_unsigned_convention, supersede, terminate,
                                              transition)
from registry.core.errors import Conflict, DomainError
from registry.extensions import db
from tests.conventions.builders import attach_signed_copy, registered_convention, signed_convention
from tests.conventions.conftest import EFFECTIVE

SIGNED_ON = date(2026, 6, 1)
TODAY = date(2026, 7, 1)
FIELDS = {"specialties": ["Cardiologie"], "administrative_court": "Dijon", "signing_place": "Dijon"}


def _count(model, *conditions) -> int:
    return db.session.scalar(select(func.count()).select_from(model).where(*conditions))


def _in_status(convention: Convention, status: str) -> Convention:
    """Put a convention in ``status`` directly (test set-up), with the dates that status implies."""
    if status in (SIGNEE, RESILIEE):
        convention.signed_on = SIGNED_ON
    if status == RESILIEE:
        convention.terminated_on, convention.termination_reason = date(2026, 6, 15), "fin du partenariat"
    convention.status = status
    db.session.flush()
    return convention


def _templated(hospital, partnerships):
    return create_convention(hospital, ConventionTerms(partnerships=partnerships, effective_date=EFFECTIVE,
        duration_months=36),
        template_code="second_recours", fields=dict(FIELDS))


# --- Every pair of statuses ------------------------------------------------------------------------------------

ALLOWED = {(BROUILLON, EN_NEGOCIATION), (EN_NEGOCIATION, A_SIGNER), (A_SIGNER, EN_NEGOCIATION),
           (A_SIGNER, SIGNEE), (BROUILLON, SIGNEE), (SIGNEE, RESILIEE)}


def test_the_table_is_the_documented_one():
    assert set(lifecycle.RULES) == ALLOWED


@pytest.mark.parametrize("source, target", list(itertools.product(STATUSES, STATUSES)))
def test_every_transition_of_a_registered_convention(hospital_with_partners, make_user, source, target):
    """All data guards met (copy uploaded, date and reason given): only the table decides."""
    hospital, chu, _ = hospital_with_partners
    actor = make_user("hospital", organisations=[hospital.organisation])
    convention = _in_status(registered_convention(hospital, [chu]), source)
    attach_signed_copy(convention)
    on = date(2026, 6, 20)
    if (source, target) in ALLOWED:
        event = transition(convention, target, actor=actor, comment="motif", date=on, today=TODAY)
        assert convention.status == target
        assert (event.from_status, event.to_status, event.actor_label) == (source, target, actor.email)
        assert event.date == (on if target in (SIGNEE, RESILIEE) else None)
        assert _count(ConventionEvent, ConventionEvent.convention_id == convention.id) == 1
        entry = db.session.scalar(select(AuditLog).where(AuditLog.action == "convention.transition"))
        assert entry.object_id == convention.id and entry.actor_id == actor.id
        assert entry.changes["status"] == [source, target]
    else:
        with pytest.raises(TransitionRefused) as refused:
            transition(convention, target, actor=actor, comment="motif", date=on, today=TODAY)
        assert refused.value.status == 409 and isinstance(refused.value, Conflict)
        assert "impossible" in refused.value.message or "déjà" in refused.value.message
        assert convention.status == source
        assert _count(ConventionEvent) == 0
        assert _count(AuditLog, AuditLog.action == "convention.transition") == 0


def test_unknown_status_is_refused(hospital_with_partners):
    hospital, chu, _ = hospital_with_partners
    with pytest.raises(TransitionRefused, match="statut inconnu"):
        transition(registered_convention(hospital, [chu]), "archivee")


@pytest.mark.parametrize("status, offered", [
    (BROUILLON, [EN_NEGOCIATION, SIGNEE]), (EN_NEGOCIATION, [A_SIGNER]), (A_SIGNER, [EN_NEGOCIATION, SIGNEE]),
    (SIGNEE, [RESILIEE]), (RESILIEE, []),
])
def test_possible_transitions_are_the_page_actions(hospital_with_partners, status, offered):
    hospital, chu, _ = hospital_with_partners
    convention = _in_status(registered_convention(hospital, [chu]), status)
    assert [rule.target for rule in convention.possible_transitions()] == offered


# --- Guards -----------------------------------------------------------------------------------------------------

def test_a_templated_convention_goes_through_signature(shipped_templates, hospital_with_partners):
    hospital, chu, _ = hospital_with_partners
    convention = _templated(hospital, [chu])
    attach_signed_copy(convention)
    assert [rule.target for rule in convention.possible_transitions()] == [EN_NEGOCIATION]
    with pytest.raises(TransitionRefused, match="rédigée hors de l'application"):
        transition(convention, SIGNEE, date=SIGNED_ON, today=TODAY)
    transition(convention, EN_NEGOCIATION)
    with pytest.raises(TransitionRefused, match="produisez d'abord un projet"):
        transition(convention, A_SIGNER)
    generate_draft(convention)
    transition(convention, A_SIGNER)
    assert convention.status == A_SIGNER


def test_fields_are_frozen_from_a_signer_and_going_back_needs_a_reason(shipped_templates, hospital_with_partners):
    hospital, chu, _ = hospital_with_partners
    convention = _templated(hospital, [chu])
    convention.ensure_editable()
    transition(convention, EN_NEGOCIATION)
    generate_draft(convention)
    transition(convention, A_SIGNER)
    with pytest.raises(Conflict, match="figés"):
        convention.ensure_editable()
    with pytest.raises(Conflict, match="figés"):
        generate_draft(convention)
    for blank in (None, "", "   "):
        with pytest.raises(TransitionRefused, match="motif du retour en négociation"):
            transition(convention, EN_NEGOCIATION, comment=blank)
    event = transition(convention, EN_NEGOCIATION, comment="  le CHU demande une clause de plus ")
    assert event.comment == "le CHU demande une clause de plus"
    convention.ensure_editable()
    assert generate_draft(convention).version == 2


@pytest.mark.parametrize("copy, on, expected", [
    (False, SIGNED_ON, ["déposez la copie signée"]),
    (True, None, ["indiquez la date de signature"]),
    (False, None, ["déposez la copie signée", "indiquez la date de signature"]),
    (True, TODAY + timedelta(days=1), ["la date de signature ne peut pas être dans le futur"]),
])
def test_signing_needs_a_signed_copy_and_a_date(hospital_with_partners, copy, on, expected):
    hospital, chu, _ = hospital_with_partners
    convention = _in_status(registered_convention(hospital, [chu]), A_SIGNER)
    if copy:
        attach_signed_copy(convention)
    with pytest.raises(TransitionRefused) as refused:
        transition(convention, SIGNEE, date=on, today=TODAY)
    assert refused.value.details == expected
    assert refused.value.message.startswith("Passage à « Signée » refusé : ")
    assert convention.status == A_SIGNER and convention.signed_on is None


def test_signing_sets_the_signature_date(hospital_with_partners):
    hospital, chu, _ = hospital_with_partners
    convention = _in_status(registered_convention(hospital, [chu]), A_SIGNER)
    attach_signed_copy(convention)
    convention.sign(SIGNED_ON)
    db.session.flush()
    assert (convention.status, convention.signed_on) == (SIGNEE, SIGNED_ON)
    assert [(e.from_status, e.to_status, e.date, e.actor_label) for e in convention.events] == [
        (A_SIGNER, SIGNEE, SIGNED_ON, "système")]


@pytest.mark.parametrize("on, reason, expected", [
    (None, "fin du partenariat", ["indiquez la date d'effet de la résiliation"]),
    (date(2027, 6, 30), "  ", ["indiquez le motif de la résiliation"]),
    (None, None, ["indiquez le motif de la résiliation", "indiquez la date d'effet de la résiliation"]),
    (SIGNED_ON - timedelta(days=1), "trop tôt", ["la résiliation ne peut pas prendre effet avant la signature"]),
])
def test_termination_needs_a_date_and_a_reason(hospital_with_partners, on, reason, expected):
    hospital, chu, _ = hospital_with_partners
    convention = signed_convention(hospital, [chu], signed_on=SIGNED_ON)
    with pytest.raises(TransitionRefused) as refused:
        terminate(convention, on=on, reason=reason)
    assert refused.value.details == expected
    assert convention.status == SIGNEE and convention.terminated_on is None


def test_termination_keeps_its_date_reason_event_and_audit(hospital_with_partners, make_user):
    hospital, chu, _ = hospital_with_partners
    actor = make_user("admin")
    convention = signed_convention(hospital, [chu], signed_on=SIGNED_ON)
    terminate(convention, on=date(2028, 3, 1), reason="Reprise de l'activité par le GHT", actor=actor)
    db.session.commit()
    db.session.expire_all()
    assert (convention.status, convention.terminated_on) == (RESILIEE, date(2028, 3, 1))
    assert convention.termination_reason == "Reprise de l'activité par le GHT"
    assert [(e.from_status, e.to_status) for e in convention.events] == [(BROUILLON, SIGNEE), (SIGNEE, RESILIEE)]
    last = convention.events[-1]
    assert (last.actor_id, last.comment, last.date) == (actor.id, "Reprise de l'activité par le GHT", date(2028, 3, 1))
    summaries = db.session.scalars(select(AuditLog.summary).where(AuditLog.action == "convention.transition")
                                   .order_by(AuditLog.id)).all()
    assert summaries[-1] == (f"Convention {convention.reference} : Signée → Résiliée "
                             "(Reprise de l'activité par le GHT)")


@pytest.mark.parametrize("values", [
    {"status": SIGNEE},
    {"status": RESILIEE, "signed_on": SIGNED_ON},
    {"status": RESILIEE, "signed_on": SIGNED_ON, "terminated_on": date(2027, 1, 1)},
    {"status": "en_vigueur"},
])
def test_the_database_refuses_a_status_without_its_dates(hospital_with_partners, values):
    """Invariants 1 and 2 hold even for a write that bypasses the model's methods (CHECK constraints)."""
    hospital, chu, _ = hospital_with_partners
    convention = registered_convention(hospital, [chu])
    db.session.commit()
    for key, value in values.items():
        setattr(convention, key, value)
    with pytest.raises(IntegrityError):
        db.session.flush()
    db.session.rollback()


# --- Derived states ---------------------------------------------------------------------------------------------

def _signed(effective=date(2027, 1, 1), months=36, tacit=False, notice=3, **values) -> Convention:
    """A transient signed convention: derived states need no database."""
    values = {"status": SIGNEE, "signed_on": date(2026, 12, 1), **values}
    return Convention(effective_date=effective, duration_months=months, tacit_renewal=tacit, notice_months=notice,
                      parent_id=None, **values)


@pytest.mark.parametrize("at, state, end", [
    (date(2026, 12, 31), PAS_ENCORE_EN_VIGUEUR, date(2029, 12, 31)),
    (date(2027, 1, 1), EN_VIGUEUR, date(2029, 12, 31)),
    (date(2029, 6, 30), EN_VIGUEUR, date(2029, 12, 31)),
    (date(2029, 7, 1), A_RENOUVELER, date(2029, 12, 31)),  # 3 months of notice + 3 months of margin
    (date(2029, 12, 31), A_RENOUVELER, date(2029, 12, 31)),
    (date(2030, 1, 1), EXPIREE, date(2029, 12, 31)),
])
def test_states_of_a_fixed_term_convention(at, state, end):
    convention = _signed()
    assert (convention.state_on(at), convention.end_on(at)) == (state, end)


def test_notice_deadline_and_renewal_window():
    assert lifecycle.notice_deadline(date(2029, 12, 31), 3) == date(2029, 9, 30)
    assert lifecycle.renewal_window_opens(date(2029, 12, 31), 3) == date(2029, 7, 1)
    assert lifecycle.renewal_window_opens(date(2029, 12, 31), 0) == date(2029, 10, 1)
    assert _signed(notice=0).state_on(date(2029, 9, 30)) == EN_VIGUEUR
    assert _signed(notice=12).state_on(date(2028, 10, 1)) == A_RENOUVELER


@pytest.mark.parametrize("at, state, end", [
    (date(2029, 12, 31), A_RENOUVELER, date(2029, 12, 31)),
    (date(2030, 1, 1), EN_VIGUEUR, date(2032, 12, 31)),   # renewed for another 36 months
    (date(2032, 7, 1), A_RENOUVELER, date(2032, 12, 31)),
    (date(2040, 5, 5), EN_VIGUEUR, date(2041, 12, 31)),   # fifth period
])
def test_tacit_renewal_renews_by_periods_of_the_duration(at, state, end):
    convention = _signed(tacit=True)
    assert (convention.state_on(at), convention.end_on(at)) == (state, end)


def test_tacit_periods_follow_each_other_without_gap_or_drift():
    """From 31 January by periods of one month: each period ends the day before the next begins."""
    convention = _signed(effective=date(2027, 1, 31), months=1, tacit=True)
    day, ends = date(2027, 1, 31), []
    while day < date(2029, 1, 31):
        end = convention.end_on(day)
        assert end >= day and convention.state_on(day) != EXPIREE
        if end == day:
            ends.append(end)
        day += timedelta(days=1)
    assert ends[:4] == [date(2027, 2, 27), date(2027, 3, 30), date(2027, 4, 29), date(2027, 5, 30)]
    assert len(ends) == 24


def test_states_of_a_terminated_convention():
    convention = _signed(tacit=True, status=RESILIEE, terminated_on=date(2028, 3, 1), termination_reason="x")
    assert convention.state_on(date(2028, 2, 29)) == EN_VIGUEUR  # terminated with effect from 1 March
    assert convention.end_on(date(2028, 2, 29)) == date(2028, 2, 29)
    assert convention.state_on(date(2028, 3, 1)) == RESILIEE
    assert convention.state_on(date(2035, 1, 1)) == RESILIEE


@pytest.mark.parametrize("status", [BROUILLON, EN_NEGOCIATION, A_SIGNER])
def test_an_unsigned_convention_has_no_state(status):
    assert _signed(status=status, signed_on=None).state_on(date(2028, 1, 1)) is None


def test_a_convention_without_duration_stays_in_force():
    convention = _signed(months=None)
    assert convention.end_on(date(2060, 1, 1)) is None
    assert convention.state_on(date(2060, 1, 1)) == EN_VIGUEUR


# --- Avenants ---------------------------------------------------------------------------------------------------

def test_avenants_are_numbered_under_their_convention(hospital_with_partners, make_user):
    hospital, chu, ehpad = hospital_with_partners
    actor = make_user("admin")
    convention = signed_convention(hospital, [chu, ehpad])
    convention.parties[1].signatory_name = "Paul Martin"
    first = create_avenant(convention, "Ajout de la télémédecine", actor=actor)
    second = create_avenant(convention, "Nouveau référent", effective_date=date(2028, 1, 1))
    assert (first.reference, second.reference) == (f"{convention.reference}-A1", f"{convention.reference}-A2")
    assert first.kind == "avenant" and convention.kind == "convention" and first.parent is convention
    assert convention.avenants == [first, second]
    assert (first.hospital_id, first.year, first.number, first.status) == (
        hospital.id, convention.year, convention.number, BROUILLON)
    assert [(p.organisation_id, p.role, p.signatory_name) for p in first.parties] == [
        (p.organisation_id, p.role, p.signatory_name) for p in convention.parties]
    assert first.created_by_id == actor.id
    assert _count(AuditLog, AuditLog.action == "convention.avenant") == 2
    # an avenant consumes no reference number of the hospital
    assert registered_convention(hospital, [chu]).number == convention.number + 1


@pytest.mark.parametrize("case, message", [
    ("unsigned", "seule une convention signée"),
    ("avenant", "pas à un autre avenant"),
    ("no title", "l'objet de l'avenant"),
])
def test_avenant_refusals(hospital_with_partners, case, message):
    hospital, chu, _ = hospital_with_partners
    parent = registered_convention(hospital, [chu]) if case == "unsigned" else signed_convention(hospital, [chu])
    if case == "avenant":
        parent = _in_status(create_avenant(parent, "Premier"), SIGNEE)
    with pytest.raises(DomainError, match=message):
        create_avenant(parent, "  " if case == "no title" else "Objet")


def test_an_avenant_has_its_own_lifecycle_and_follows_its_convention(hospital_with_partners):
    hospital, chu, _ = hospital_with_partners
    convention = signed_convention(hospital, [chu], signed_on=SIGNED_ON)
    avenant = create_avenant(convention, "Prolongation des consultations avancées", effective_date=date(2028, 1, 1))
    assert avenant.state_on(date(2028, 6, 1)) is None
    with pytest.raises(TransitionRefused, match="déposez la copie signée"):
        transition(avenant, SIGNEE, date=TODAY, today=TODAY)
    attach_signed_copy(avenant)
    transition(avenant, SIGNEE, date=TODAY, today=TODAY)
    assert [(e.from_status, e.to_status) for e in avenant.events] == [(BROUILLON, SIGNEE)]
    assert convention.events[-1].to_status == SIGNEE and len(convention.events) == 1  # the parent's own history
    assert avenant.state_on(date(2027, 12, 31)) == PAS_ENCORE_EN_VIGUEUR
    assert avenant.state_on(date(2028, 1, 1)) == EN_VIGUEUR
    assert avenant.end_on(date(2028, 1, 1)) == convention.end_on(date(2028, 1, 1)) == date(2029, 12, 31)
    assert avenant.state_on(date(2029, 8, 1)) == A_RENOUVELER
    terminate(convention, on=date(2028, 6, 1), reason="Fin du partenariat")
    assert avenant.state_on(date(2028, 6, 1)) == RESILIEE


def test_an_avenant_is_signed_only_while_its_convention_is(hospital_with_partners):
    hospital, chu, _ = hospital_with_partners
    convention = signed_convention(hospital, [chu], signed_on=SIGNED_ON)
    avenant = create_avenant(convention, "Objet")
    attach_signed_copy(avenant)
    terminate(convention, on=date(2026, 6, 20), reason="Fin")
    with pytest.raises(TransitionRefused, match="convention principale n'est pas"):
        transition(avenant, SIGNEE, date=TODAY, today=TODAY)


# --- Supersession -----------------------------------------------------------------------------------------------

def test_supersede_keeps_the_link_both_ways(hospital_with_partners, make_user):
    hospital, chu, _ = hospital_with_partners
    actor = make_user("admin")
    old = signed_convention(hospital, [chu])
    new = registered_convention(hospital, [chu], effective_date=date(2030, 1, 1))
    supersede(old, new, actor=actor)
    supersede(old, new, actor=actor)  # idempotent
    db.session.commit()
    db.session.expire_all()
    assert old.superseded_by is new and new.supersedes == [old]
    assert old.state_on(date(2028, 1, 1)) == EN_VIGUEUR  # supersession does not end the old one
    entries = db.session.scalars(select(AuditLog).where(AuditLog.action == "convention.supersede")).all()
    assert [(e.object_id, e.actor_id, e.changes) for e in entries] == [
        (old.id, actor.id, {"superseded_by": [None, new.reference]})]


@pytest.mark.parametrize("case, message", [
    ("itself", "elle-même"),
    ("other hospital", "même hôpital"),
    ("already", "déjà remplacée par"),
    ("unsigned", "jamais été signée"),
    ("cycle", "tournerait en rond"),
    ("avenant", "un avenant ne remplace pas"),
    ("terminated new", "est résiliée"),
])
def test_supersede_refusals(hospital_with_partners, make_hospital, make_partnership, case, message):
    hospital, chu, _ = hospital_with_partners
    old = signed_convention(hospital, [chu])
    new = signed_convention(hospital, [chu])
    if case == "itself":
        new = old
    elif case == "other hospital":
        other = make_hospital()
        new = registered_convention(other, [make_partnership(other)])
    elif case == "already":
        supersede(old, signed_convention(hospital, [chu]))
    elif case == "unsigned":
        old = registered_convention(hospital, [chu])
    elif case == "cycle":
        middle = signed_convention(hospital, [chu])
        supersede(new, middle)
        supersede(middle, old)
    elif case == "avenant":
        new = create_avenant(old, "Avenant")
    elif case == "terminated new":
        terminate(new, on=date(2026, 7, 1), reason="Fin")
    with pytest.raises(Conflict, match=message):
        supersede(old, new)


# --- Abandoning a draft -----------------------------------------------------------------------------------------

def test_an_unsigned_convention_is_deleted_not_terminated(hospital_with_partners, make_user):
    hospital, chu, _ = hospital_with_partners
    actor = make_user("admin")
    old = signed_convention(hospital, [chu])
    draft = registered_convention(hospital, [chu])
    transition(draft, EN_NEGOCIATION)
    supersede(old, draft)
    reference, draft_id = draft.reference, draft.id
    with pytest.raises(TransitionRefused, match="ne se résilie pas : supprimez-la"):
        terminate(draft, on=TODAY, reason="abandon")
    with pytest.raises(TransitionRefused, match="motif de l'abandon"):
        delete_unsigned_convention(draft, reason=" ")
    delete_unsigned_convention(draft, reason="Projet abandonné par le partenaire", actor=actor)
    db.session.commit()
    db.session.expire_all()
    assert db.session.get(Convention, draft_id) is None
    assert _count(ConventionEvent, ConventionEvent.convention_id == draft_id) == 0
    assert old.superseded_by_id is None
    entry = db.session.scalar(select(AuditLog).where(AuditLog.action == "convention.delete"))
    assert entry.summary == f"Convention {reference} abandonnée et supprimée : Projet abandonné par le partenaire"
    assert registered_convention(hospital, [chu]).reference != reference  # its number is not given again


@pytest.mark.parametrize("status, message", [(A_SIGNER, "repassez-la en négociation"), (SIGNEE, "résiliez-la"),
                                             (RESILIEE, "ne se supprime pas")])
def test_a_convention_sent_for_signature_is_not_deleted(hospital_with_partners, status, message):
    hospital, chu, _ = hospital_with_partners
    convention = _in_status(registered_convention(hospital, [chu]), status)
    with pytest.raises(TransitionRefused, match=message):
        delete_unsigned_convention(convention, reason="abandon")
    assert db.session.get(Convention, convention.id) is convention


# --- Concurrency (PostgreSQL: the row lock) ---------------------------------------------------------------------

def _race(app, convention_id: int, action) -> tuple[list, list]:
    """Run ``action(convention)`` in two threads at once, each in its own session; results and errors."""
    results, errors = [], []
    barrier = threading.Barrier(2)

    def worker():
        with app.app_context():
            try:
                convention = db.session.get(Convention, convention_id)
                barrier.wait()
                results.append(action(convention))
                db.session.commit()
            except Exception as error:  # reported to the test
                db.session.rollback()
                errors.append(error)
            finally:
                db.session.remove()

    threads = [threading.Thread(target=worker) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results, errors


@pytest.fixture
def postgresql_only(app):
    if db.engine.dialect.name != "postgresql":
        pytest.skip("concurrent writers need PostgreSQL's row locks (SQLite serialises whole transactions)")


def test_two_concurrent_signatures_make_one_event(app, postgresql_only, hospital_with_partners):
    hospital, chu, _ = hospital_with_partners
    convention = _in_status(registered_convention(hospital, [chu]), A_SIGNER)
    attach_signed_copy(convention)
    db.session.commit()
    results, errors = _race(app, convention.id, lambda c: transition(c, SIGNEE, date=SIGNED_ON, today=TODAY).id)
    assert len(results) == 1 and len(errors) == 1
    assert isinstance(errors[0], TransitionRefused) and "déjà « Signée »" in errors[0].message
    assert _count(ConventionEvent, ConventionEvent.convention_id == convention.id) == 1


def test_two_concurrent_avenants_get_distinct_numbers(app, postgresql_only, hospital_with_partners):
    hospital, chu, _ = hospital_with_partners
    convention = signed_convention(hospital, [chu])
    db.session.commit()
    results, errors = _race(app, convention.id, lambda c: create_avenant(c, "Avenant concurrent").reference)
    assert errors == []
    assert sorted(results) == [f"{convention.reference}-A1", f"{convention.reference}-A2"]
