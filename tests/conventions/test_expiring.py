"""The follow-up: expiring() and the `expiring` command."""

import csv
import io
import json
from collections import Counter
from datetime import date

import pytest

from registry.conventions import lifecycle
from registry.conventions.followup import expiring
from registry.conventions.models import Convention
from registry.conventions.transitions import create_avenant, supersede, terminate, transition
from registry.core.errors import DomainError
from registry.core.scope import visible_conventions
from registry.extensions import db
from tests.conventions.builders import attach_signed_copy, registered_convention, signed_convention

AT = date(2029, 10, 1)


@pytest.fixture
def portfolio(hospital_with_partners, make_hospital, make_partnership):
    """One convention per situation, seen on AT = 1 October 2029; names say what each one is."""
    hospital, chu, ehpad = hospital_with_partners

    def signed(effective, months, **values):
        return signed_convention(hospital, [chu, ehpad], signed_on=date(2020, 1, 1), effective_date=effective,
                                 duration_months=months, **values)

    conventions = {
        "ends_in_91_days": signed(date(2027, 1, 1), 36),                        # 31/12/2029, renewal window
        "ends_in_30_days": signed(date(2028, 11, 1), 12, notice_months=0),      # 31/10/2029
        "expired": signed(date(2026, 7, 1), 36),                                # 30/06/2029
        "tacit_far": signed(date(2029, 1, 1), 36, tacit_renewal=True),          # 31/12/2031
        "tacit_ending": signed(date(2026, 11, 1), 12, tacit_renewal=True, notice_months=1),  # 31/10/2029
        "not_yet": signed(date(2030, 1, 1), 12),
        "replaced_signed": signed(date(2026, 1, 1), 36),                        # expired, successor signed
        "replaced_draft": signed(date(2026, 2, 1), 36),                         # expired, successor in draft
        "terminating": signed(date(2028, 1, 1), 60, tacit_renewal=True),       # terminated from 21/10/2029
        "terminated": signed(date(2025, 1, 1), 120),                            # terminated from 01/01/2029
        "draft": registered_convention(hospital, [chu], effective_date=date(2026, 11, 1), duration_months=36),
    }
    supersede(conventions["replaced_signed"], signed(date(2029, 1, 1), 60))
    supersede(conventions["replaced_draft"], registered_convention(hospital, [chu]))
    terminate(conventions["terminating"], on=date(2029, 10, 21), reason="Fin du partenariat")
    terminate(conventions["terminated"], on=date(2029, 1, 1), reason="Fusion")
    avenant = create_avenant(conventions["ends_in_30_days"], "Avenant")
    attach_signed_copy(avenant)
    transition(avenant, lifecycle.SIGNEE, date=date(2029, 1, 1), today=AT)
    other_hospital = make_hospital()
    conventions["other_hospital"] = signed_convention(
        other_hospital, [make_partnership(other_hospital)], signed_on=date(2020, 1, 1),
        effective_date=date(2027, 1, 1), duration_months=33)                  # 30/09/2029: expired
    db.session.commit()
    return hospital, {convention.reference: name for name, convention in conventions.items()}


def _by_name(rows, names):
    return {names[row.convention.reference]: row for row in rows}


def test_expiring_lists_ending_to_renew_and_expired(portfolio):
    _, names = portfolio
    rows = _by_name(expiring(30, AT), names)
    assert set(rows) == {"ends_in_30_days", "tacit_ending", "terminating", "ends_in_91_days", "expired",
                         "replaced_draft", "other_hospital"}
    summary = {name: (row.end, row.days_left, row.state, row.ends_within, row.category)
               for name, row in rows.items()}
    assert summary == {
        "ends_in_30_days": (date(2029, 10, 31), 30, "a_renouveler", True, "a_renouveler"),
        "tacit_ending": (date(2029, 10, 31), 30, "a_renouveler", True, "a_renouveler"),
        "terminating": (date(2029, 10, 20), 19, "en_vigueur", True, "echeance"),
        "ends_in_91_days": (date(2029, 12, 31), 91, "a_renouveler", False, "a_renouveler"),
        "expired": (date(2029, 6, 30), -93, "expiree", False, "expiree"),
        "replaced_draft": (date(2029, 1, 31), -243, "expiree", False, "expiree"),
        "other_hospital": (date(2029, 9, 30), -1, "expiree", False, "expiree"),
    }
    ordered = [names[row.convention.reference] for row in expiring(30, AT)]
    assert ordered == ["replaced_draft", "expired", "other_hospital", "terminating", "tacit_ending",
                       "ends_in_30_days", "ends_in_91_days"]  # soonest end first, then by reference
    assert rows["tacit_ending"].notice_deadline == date(2029, 9, 30)


def test_the_window_widens_with_the_days(portfolio):
    _, names = portfolio
    within = {names[row.convention.reference] for row in expiring(91, AT) if row.ends_within}
    assert within == {"ends_in_30_days", "tacit_ending", "terminating", "ends_in_91_days"}
    assert {names[row.convention.reference] for row in expiring(0, date(2029, 10, 31)) if row.ends_within} == {
        "ends_in_30_days", "tacit_ending"}


def test_expiring_keeps_to_the_scope_given(portfolio, make_user):
    hospital, names = portfolio
    reader = make_user("hospital", organisations=[hospital.organisation])
    rows = expiring(30, AT, scope_select=visible_conventions(reader))
    assert "other_hospital" not in {names[row.convention.reference] for row in rows} and len(rows) == 6
    only_this = visible_conventions(reader).where(Convention.hospital_id == hospital.id)
    assert Counter(row.category for row in expiring(30, AT, only_this)) == {"expiree": 2, "a_renouveler": 3,
                                                                          "echeance": 1}
    outsider = make_user("ars", region="84")
    assert expiring(30, AT, scope_select=visible_conventions(outsider)) == []


def test_expiring_runs_a_bounded_number_of_queries(portfolio, hospital_with_partners, count_queries):
    hospital, chu, ehpad = hospital_with_partners

    def rows_and_queries():
        with count_queries() as queries:
            db.session.expire_all()
            rows = expiring(30, AT)
            for row in rows:  # everything the command prints is loaded already
                _ = (row.convention.hospital.organisation.name, [p.organisation.name for p in row.convention.parties],
                     row.convention.superseded_by)
        return len(rows), len(queries)

    rows_before, queries_before = rows_and_queries()
    for _ in range(5):
        signed_convention(hospital, [chu, ehpad], signed_on=date(2020, 1, 1), effective_date=date(2028, 11, 1),
                          duration_months=12)
    db.session.commit()
    rows_after, queries_after = rows_and_queries()
    assert rows_after == rows_before + 5
    assert queries_after == queries_before <= 3


@pytest.mark.parametrize("days", [-1, True, 1.5])
def test_days_must_be_a_whole_number_not_negative(app, days):
    with pytest.raises(DomainError, match="positif ou nul"):
        expiring(days, AT)


# --- The command ------------------------------------------------------------------------------------------------

def test_command_prints_the_conventions_ending_within_the_days(runner, portfolio):
    _, names = portfolio
    result = runner.invoke(args=["expiring", "--days", "30", "--at", "2029-10-01"])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0].split()[:3] == ["Référence", "FINESS", "Hôpital"]
    listed = {names[line.split()[0]] for line in lines[1:]}
    assert listed == {"ends_in_30_days", "tacit_ending", "terminating"}
    terminating = next(line for line in lines if names.get(line.split()[0]) == "terminating")
    assert "CHU DIJON BOURGOGNE ; EHPAD LE CHAMP DE MARS" in terminating and "2029-10-20" in terminating
    assert " 19 " in terminating and "en_vigueur" in terminating


def test_command_default_is_90_days_and_all_adds_the_rest(runner, portfolio):
    _, names = portfolio
    default = runner.invoke(args=["expiring", "--at", "2029-10-01", "--format", "json"])
    document = json.loads(default.output)
    assert document["days"] == 90 and document["at"] == "2029-10-01"
    assert {names[c["reference"]] for c in document["conventions"]} == {
        "ends_in_30_days", "tacit_ending", "terminating"}
    everything = json.loads(runner.invoke(args=["expiring", "--at", "2029-10-01", "--all", "--format",
                                                "json"]).output)
    assert len(everything["conventions"]) == 7
    expired = next(c for c in everything["conventions"] if names[c["reference"]] == "expired")
    assert expired == {"reference": expired["reference"], "hospital_finess": expired["hospital_finess"],
                       "hospital": "CH D'IS-SUR-TILLE", "partners": ["CHU DIJON BOURGOGNE", "EHPAD LE CHAMP DE MARS"],
                       "end_date": "2029-06-30", "days_left": -93, "state": "expiree", "tacit_renewal": False,
                       "notice_deadline": "2029-03-31"}


def test_command_csv(runner, portfolio):
    result = runner.invoke(args=["expiring", "--days", "30", "--at", "2029-10-01", "--format", "csv"])
    assert result.exit_code == 0
    rows = list(csv.DictReader(io.StringIO(result.output)))
    assert [row["end_date"] for row in rows] == ["2029-10-20", "2029-10-31", "2029-10-31"]
    assert {row["tacit_renewal"] for row in rows} == {"true", "false"}
    assert rows[0]["partners"] == "CHU DIJON BOURGOGNE ; EHPAD LE CHAMP DE MARS"


def test_command_says_when_nothing_ends(runner, app):
    result = runner.invoke(args=["expiring", "--days", "10"])
    assert result.exit_code == 0 and result.output.strip() == "Aucune convention ne prend fin dans les 10 jours."


@pytest.mark.parametrize("args, message", [
    (["--days", "-1"], "--days : indiquez un nombre entier de jours positif ou nul (reçu « -1 »)."),
    (["--days", "dix"], "--days : indiquez un nombre entier de jours positif ou nul (reçu « dix »)."),
    (["--at", "01/10/2029"], "--at : date attendue au format AAAA-MM-JJ (reçu « 01/10/2029 »)."),
])
def test_command_refuses_bad_input_in_one_line(runner, app, args, message):
    result = runner.invoke(args=["expiring", *args])
    assert result.exit_code != 0
    assert result.output.strip().splitlines() == [f"Error: {message}"]
