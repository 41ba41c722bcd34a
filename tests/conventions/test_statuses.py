"""The one declaration of the convention statuses (registry/conventions/statuses.py).

Each flag's members are listed here explicitly: changing what a status allows is a deliberate edit of this file.
"""

from datetime import date

import pytest
from sqlalchemy import select

from registry.conventions import lifecycle
from registry.conventions.models import Convention
from registry.conventions.statuses import FLAGS, Status
from registry.extensions import db
from tests.conventions.builders import registered_convention

B, N, A, S, R = Status.BROUILLON, Status.EN_NEGOCIATION, Status.A_SIGNER, Status.SIGNEE, Status.RESILIEE


def test_the_stored_codes_and_labels_are_unchanged():
    """StrEnum members are their stored strings: database values, API values and URLs stay the same."""
    assert [str(status) for status in Status] == ["brouillon", "en_negociation", "a_signer", "signee", "resiliee"]
    assert [status.label for status in Status] == ["Brouillon", "En négociation", "À signer", "Signée", "Résiliée"]
    assert Status.SIGNEE == "signee" and Status("resiliee") is Status.RESILIEE and f"{Status.A_SIGNER}" == "a_signer"
    assert lifecycle.STATUSES == tuple(Status) and lifecycle.SIGNEE is Status.SIGNEE


@pytest.mark.parametrize("flag, members", [
    ("signed", (S, R)),
    ("active", (S,)),
    ("editable", (B, N)),
    ("deletable", (B, N)),
    ("attachable", (A, S)),
    ("bundled", (S, R)),
    ("correctable", (S, R)),
])
def test_each_flag_names_its_statuses(flag, members):
    assert Status.having(flag) == members
    assert [status for status in Status if getattr(status, flag)] == list(members)


def test_every_flag_is_tested_and_an_unknown_one_is_refused():
    assert set(FLAGS) == {"signed", "active", "editable", "deletable", "attachable", "bundled", "correctable"}
    with pytest.raises(ValueError):
        Status.having("signee")


def test_every_status_has_a_badge():
    assert all(status.badge.startswith("text-bg-") for status in Status)


def test_unknown_codes():
    assert Status.known("signee") and not Status.known("en_vigueur") and not Status.known(None)
    assert Status.label_of("a_signer") == "À signer" and Status.label_of("inconnu") == "inconnu"
    with pytest.raises(ValueError):
        Status.of("en_vigueur")


def test_the_transition_table_uses_the_enum():
    assert all(isinstance(rule.source, Status) and isinstance(rule.target, Status) for rule in lifecycle.TRANSITIONS)
    assert {rule.target for rule in lifecycle.TRANSITIONS} | {Status.BROUILLON} == set(Status)


def test_a_convention_reads_and_sets_its_status_as_the_enum(hospital_with_partners):
    hospital, chu, _ = hospital_with_partners
    convention = registered_convention(hospital, [chu])
    assert convention.status is Status.BROUILLON
    convention.status = "en_negociation"
    assert convention.status is Status.EN_NEGOCIATION
    db.session.commit()
    db.session.expire_all()
    assert convention.status is Status.EN_NEGOCIATION and convention.status.editable
    assert db.session.scalar(select(Convention.status).where(Convention.id == convention.id)) is N


def test_was_signed_clause_selects_signed_and_terminated_conventions(hospital_with_partners):
    hospital, chu, _ = hospital_with_partners
    draft = registered_convention(hospital, [chu])
    signed = registered_convention(hospital, [chu])
    signed.status, signed.signed_on = Status.SIGNEE, date(2026, 1, 5)
    db.session.flush()
    ids = set(db.session.scalars(select(Convention.id).where(Convention.was_signed_clause())))
    assert signed.id in ids and draft.id not in ids


def test_renews_tacitly_only_while_active():
    convention = Convention(status=Status.SIGNEE, tacit_renewal=True)
    assert convention.renews_tacitly
    convention.status = Status.RESILIEE
    assert not convention.renews_tacitly
    assert not Convention(status=Status.SIGNEE, tacit_renewal=False).renews_tacitly


def test_every_transition_asking_for_a_date_or_a_reason_has_its_words():
    """A new transition to a status needs the status's words in ARRIVALS, and nothing in the forms or pages."""
    from registry.conventions.statuses import arrival

    for rule in lifecycle.TRANSITIONS:
        words = arrival(rule.target)
        if rule.needs_date:
            assert words.date_label and words.date_help and words.event_date != "date :", rule
        if rule.needs_reason:
            assert words.reason_label, rule


def test_the_transition_forms_and_the_timeline_use_the_arrival_words(app):
    from registry.conventions.lifecycle_forms import transition_form

    with app.test_request_context():
        termination = transition_form(lifecycle.rule_for(S, R), formdata=None)
        assert termination.date.label.text == "Date d'effet de la résiliation"
        assert termination.comment.label.text == "Motif de la résiliation"
        back = transition_form(lifecycle.rule_for(A, N), formdata=None)
        assert back.comment.label.text == "Motif du retour en négociation"
