"""What is due and to whom, without sending: delays, deadlines of each kind of convention, scope."""

from datetime import date

import pytest

from registry.config import read_environment
from registry.conventions.transitions import terminate
from registry.core.errors import DomainError
from registry.extensions import db
from registry.reminders.due import END, LATE, NOTICE, STATUTORY, convention_deadlines, delay_for, delays, digests
from tests.clock import TODAY


def test_delays_are_read_largest_first(app):
    assert delays() == (180, 90, 30)
    assert delays("30, 90,180,90") == (180, 90, 30)
    assert delays([7, 0]) == (7, 0)
    for bad in ("", "six mois", "30,-1"):
        with pytest.raises(DomainError, match="REMINDER_DELAYS_DAYS"):
            delays(bad)


@pytest.mark.parametrize("days_left, delay", [(200, None), (180, 180), (120, 180), (90, 90), (31, 90), (30, 30),
                                              (0, 30), (-1, None)])
def test_the_reminder_due_is_the_smallest_delay_not_below_the_days_left(days_left, delay):
    assert delay_for(days_left, (180, 90, 30)) == delay


def test_deadlines_of_each_kind_of_convention(region):
    conventions = region.conventions
    assert convention_deadlines(conventions["is_fixed"], TODAY) == [
        (NOTICE, date(2026, 12, 31), date(2027, 3, 31)), (END, date(2027, 3, 31), date(2027, 3, 31))]
    # tacit renewal: the end of 31 December 2026 could only be denounced until 30 September 2026
    assert convention_deadlines(conventions["is_tacit"], TODAY) == [
        (NOTICE, date(2028, 9, 30), date(2028, 12, 31))]
    assert convention_deadlines(conventions["is_tacit"], date(2026, 9, 1)) == [
        (NOTICE, date(2026, 9, 30), date(2026, 12, 31))]
    assert convention_deadlines(conventions["auxonne_ending"], TODAY) == [
        (END, date(2027, 1, 31), date(2027, 1, 31))]  # no notice: only the end
    terminate(conventions["is_tacit"], on=date(2027, 2, 1), reason="Fin du partenariat")
    db.session.commit()
    assert convention_deadlines(conventions["is_tacit"], TODAY) == [(END, date(2027, 1, 31), date(2027, 1, 31))]


def test_each_user_gets_the_hospitals_they_see(region):
    due = {digest.email: digest for digest in digests(TODAY)}
    subjects = {email: {(item.kind, item.convention_id or item.hospital_id) for item in digest.reminders}
                for email, digest in due.items()}
    fixed, auxonne, paris = (region.conventions[name].id for name in ("is_fixed", "auxonne_ending", "paris_ending"))
    assert subjects == {
        "juriste@is.fr": {(NOTICE, fixed), (END, fixed)},
        "direction@ght21.fr": {(NOTICE, fixed), (END, fixed), (END, auxonne)},
        "juriste@auxonne.fr": {(END, auxonne)},
        "juriste@paris.fr": {(END, paris)},
        "ars@bfc.fr": {(STATUTORY, region.is_sur_tille.id), (STATUTORY, region.auxonne.id)},
        "ars@idf.fr": {(STATUTORY, region.paris.id)},
    }
    late = {item.hospital: item.delay_days for item in due["ars@bfc.fr"].reminders}
    assert late == {"CH D'IS-SUR-TILLE": LATE, "CH D'AUXONNE": 90}
    assert [item.deadline for item in due["direction@ght21.fr"].reminders] == [
        date(2026, 12, 31), date(2027, 1, 31), date(2027, 3, 31)]  # soonest first


def test_a_statutory_convention_in_force_stops_the_ars_reminder(region, make_partnership, make_organisation):
    from tests.conventions.builders import signed_convention

    cpts = make_partnership(region.auxonne, make_organisation(name="CPTS DU VAL DE SAONE", category_code="604"),
                            partner_types=["cpts"])
    convention = signed_convention(region.auxonne, [cpts], effective_date=date(2026, 11, 1), duration_months=60)
    convention.legal_bases = ["L6111-3-2"]
    convention.partner_types = ["cpts"]
    db.session.commit()
    bfc = next(digest for digest in digests(TODAY) if digest.email == "ars@bfc.fr")
    assert {item.hospital for item in bfc.reminders} == {"CH D'IS-SUR-TILLE"}


def test_mail_settings_come_from_the_environment(monkeypatch):
    monkeypatch.setenv("MAIL_SERVER", "smtp.example.fr")
    monkeypatch.setenv("MAIL_PORT", "587")
    monkeypatch.setenv("MAIL_USE_TLS", "true")
    monkeypatch.setenv("MAIL_USERNAME", "registre")
    monkeypatch.setenv("MAIL_PASSWORD", "secret")
    monkeypatch.setenv("MAIL_DEFAULT_SENDER", "registre@example.fr")
    monkeypatch.setenv("BASE_URL", "https://hdp.example.fr")
    monkeypatch.setenv("REMINDER_DELAYS_DAYS", "60,15")
    values = read_environment()
    assert values["MAIL_PORT"] == 587 and values["MAIL_USE_TLS"] is True
    assert {key: values[key] for key in ("MAIL_SERVER", "MAIL_USERNAME", "MAIL_PASSWORD", "MAIL_DEFAULT_SENDER",
                                         "BASE_URL", "REMINDER_DELAYS_DAYS")} == {
        "MAIL_SERVER": "smtp.example.fr", "MAIL_USERNAME": "registre", "MAIL_PASSWORD": "secret",
        "MAIL_DEFAULT_SENDER": "registre@example.fr", "BASE_URL": "https://hdp.example.fr",
        "REMINDER_DELAYS_DAYS": "60,15"}
    monkeypatch.setenv("MAIL_USE_TLS", "0")
    assert read_environment()["MAIL_USE_TLS"] is False
