"""The date-sensitive parts run on several days of the year, with the application's clock set to each.

Each day is chosen for what it can break: the end of a 31-day month, a leap day, an unaccented month after an
accented one (« août »), the last day of a year, and the days either side of a tacit renewal. The checks read
the day from the pages and commands themselves (no ``at`` given), so they prove that "today" comes from the one
clock (registry/core/clock.py) and not from the system.
"""

import json
import re
from datetime import date, timedelta

import pytest

from registry.conventions import lifecycle
from registry.conventions.lifecycle import RULES, TransitionRefused
from registry.conventions.transitions import transition
from registry.core import clock
from registry.core.french import french_date
from registry.documents.context import add_months
from registry.extensions import db
from tests.conventions.builders import attach_signed_copy, registered_convention, signed_convention
from tests.web.conftest import page, text

#: (clock date, how the pages must write it), the wording spelled out here rather than computed.
DAYS = [
    (date(2027, 1, 31), "31 janvier 2027"),
    (date(2028, 2, 29), "29 février 2028"),
    (date(2027, 8, 1), "1er août 2027"),
    (date(2026, 12, 31), "31 décembre 2026"),
]
#: A convention in force from 1 March 2027 for twelve months, renewed tacitly: its first period ends on
#: 29 February 2028 (a leap year), the renewal takes effect on 1 March 2028.
RENEWED = {"effective_date": date(2027, 3, 1), "duration_months": 12, "tacit_renewal": True, "notice_months": 2}


@pytest.fixture(params=DAYS, ids=[day.isoformat() for day, _ in DAYS])
def day(request):
    at, wording = request.param
    with clock.travel(at):
        yield at, wording


def test_the_clock_gives_the_day_it_was_set_to(day):
    at, wording = day
    assert clock.today() == at and clock.now().tzinfo is not None
    assert french_date(clock.today()) == wording


def test_the_follow_up_page_reads_its_day_from_the_clock(client, scene, login, day):
    at, wording = day
    ends_in_30 = signed_convention(scene.hdp, [scene.partnership], signed_on=add_months(at, -12),
                                   effective_date=add_months(at + timedelta(days=30), -12), duration_months=12)
    ended = signed_convention(scene.hdp, [scene.partnership], signed_on=add_months(at, -24),
                              effective_date=add_months(at, -24), duration_months=12)
    db.session.commit()
    login(scene.staff)

    response = client.get("/conventions/echeances")

    words = text(response)
    assert f"Au {wording}" in words
    end = ends_in_30.end_on(at)
    assert end == at + timedelta(days=29), "the last day in force is the day before the thirtieth"
    assert f"{ends_in_30.reference} " in words and f"{french_date(end)} 29 jours" in words
    assert ended.state_on(at) == lifecycle.EXPIREE and f"échue depuis {(at - ended.end_on(at)).days} jours" in words


def test_the_expiring_command_defaults_to_the_clock(runner, scene, day):
    at, _ = day
    soon = signed_convention(scene.hdp, [scene.partnership], signed_on=add_months(at, -12),
                             effective_date=add_months(at + timedelta(days=10), -12), duration_months=12)
    db.session.commit()

    result = runner.invoke(args=["expiring", "--days", "30", "--format", "json"])

    assert result.exit_code == 0, result.output
    document = json.loads(result.output)
    assert document["at"] == at.isoformat()
    (row,) = document["conventions"]
    assert row["reference"] == soon.reference and row["days_left"] == 9
    assert row["end_date"] == (at + timedelta(days=9)).isoformat()


def test_the_compliance_page_and_api_evaluate_on_the_clock_day(client, scene, login, token_headers, day):
    at, wording = day
    login(scene.admin)

    words = text(client.get(f"/hopitaux/{scene.hdp.finess_et}/conformite"))
    document = client.get("/api/v1/compliance", headers=token_headers(scene.admin)).get_json()

    assert f"évaluée au {wording}" in words
    assert document["at"] == at.isoformat()
    explicit = client.get(f"/api/v1/compliance?at={at.isoformat()}", headers=token_headers(scene.admin)).get_json()
    assert document == explicit


def test_a_signature_may_be_dated_today_but_not_tomorrow(scene, day):
    at, _ = day
    convention = registered_convention(scene.hdp, [scene.partnership], effective_date=at)
    attach_signed_copy(convention)

    with pytest.raises(TransitionRefused) as refused:
        transition(convention, lifecycle.SIGNEE, date=at + timedelta(days=1))
    assert "la date de signature ne peut pas être dans le futur" in refused.value.details

    transition(convention, lifecycle.SIGNEE, date=at)
    assert convention.signed_on == at and convention.state_on() == lifecycle.EN_VIGUEUR


def test_the_signature_form_offers_no_day_after_today(client, scene, login, day):
    at, _ = day
    convention = registered_convention(scene.hdp, [scene.partnership], effective_date=at)
    attach_signed_copy(convention)
    db.session.commit()
    login(scene.staff)

    body = page(client.get(f"/conventions/{convention.id}"))

    assert RULES[(lifecycle.BROUILLON, lifecycle.SIGNEE)].label in body
    assert re.search(rf'type="date"[^>]*max="{at.isoformat()}"|max="{at.isoformat()}"[^>]*type="date"', body)


@pytest.mark.parametrize("at, end, state", [
    (date(2028, 2, 28), date(2028, 2, 29), lifecycle.A_RENOUVELER),   # two days before the renewal
    (date(2028, 2, 29), date(2028, 2, 29), lifecycle.A_RENOUVELER),   # the first period's last day
    (date(2028, 3, 1), date(2029, 2, 28), lifecycle.EN_VIGUEUR),      # renewed: the second period
    (date(2028, 11, 1), date(2029, 2, 28), lifecycle.A_RENOUVELER),   # the next window (notice 2 months + 3)
])
def test_tacit_renewal_either_side_of_its_day(client, runner, scene, login, at, end, state):
    convention = signed_convention(scene.hdp, [scene.partnership], signed_on=date(2027, 2, 1), **RENEWED)
    db.session.commit()

    with clock.travel(at):
        login(scene.staff)  # a session signed in months before would have ended (accounts/sessions.py)
        assert (convention.end_on(), convention.state_on()) == (end, state)
        listed = json.loads(runner.invoke(args=["expiring", "--all", "--format", "json"]).output)["conventions"]
        words = text(client.get("/conventions/echeances"))

    if state == lifecycle.A_RENOUVELER:
        (row,) = listed
        assert (row["end_date"], row["days_left"], row["state"]) == (end.isoformat(), (end - at).days, state)
        assert f"{french_date(end)} fin de période, reconduction tacite" in words
    else:
        assert listed == []
        assert convention.reference not in words
