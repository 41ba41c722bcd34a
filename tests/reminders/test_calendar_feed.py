"""The calendar feed (.ics): the user's deadlines as all-day events (parsed back with icalendar), on several days of
the clock; the « Calendrier » page that creates, regenerates and deletes the secret address; who sees what."""

import re
from datetime import date, timedelta

import pytest
from icalendar import Calendar
from sqlalchemy import select

from registry.audit.models import AuditLog
from registry.conventions.transitions import terminate
from registry.core import clock
from registry.extensions import db
from registry.reminders.calendar import calendar_of, issue_feed, links
from registry.reminders.models import CalendarFeed
from tests.clock import TODAY
from tests.conventions.builders import registered_convention
from tests.reminders.conftest import BASE_URL


def _events(ics: bytes) -> dict[str, dict]:
    """UID → the event's fields, from the feed parsed back."""
    calendar = Calendar.from_ical(ics)
    assert calendar["VERSION"] == "2.0"
    return {str(event["UID"]): {"start": event.decoded("DTSTART"), "end": event.decoded("DTEND"),
                                "summary": str(event["SUMMARY"]), "description": str(event["DESCRIPTION"]),
                                "url": str(event["URL"]), "stamp": event.decoded("DTSTAMP")}
            for event in calendar.walk("VEVENT")}


def _feed(user, at):
    with links():
        return _events(calendar_of(user, at))


def _starts(events) -> dict[str, date]:
    return {uid: event["start"] for uid, event in events.items()}


def test_a_hospital_user_s_feed_has_its_notices_and_ends_as_all_day_events(region):
    fixed, tacit = region.conventions["is_fixed"], region.conventions["is_tacit"]
    events = _feed(region.users["is_juriste"], TODAY)
    assert _starts(events) == {
        f"convention-{fixed.id}-preavis@registre-hdp": date(2026, 12, 31),
        f"convention-{fixed.id}-fin@registre-hdp": date(2027, 3, 31),
        f"convention-{tacit.id}-preavis@registre-hdp": date(2028, 9, 30),  # this period's notice is past
    }  # nothing of Auxonne or Paris
    notice = events[f"convention-{fixed.id}-preavis@registre-hdp"]
    assert notice["end"] == date(2027, 1, 1)  # all day: DTEND is the next day, DTSTART a DATE
    assert not hasattr(notice["start"], "hour")
    assert notice["summary"] == f"Préavis à donner : {fixed.reference} « Filière gériatrique »"
    for text in (f"Référence : {fixed.reference}", "Hôpital : CH D'IS-SUR-TILLE",
                 "Partenaires : CHU DIJON BOURGOGNE et EHPAD LE CHAMP DE MARS",
                 "Préavis à donner avant le 31 décembre 2026 ; la convention prend fin le 31 mars 2027.",
                 f"{BASE_URL}/conventions/{fixed.id}"):
        assert text in notice["description"]
    assert notice["url"] == f"{BASE_URL}/conventions/{fixed.id}"
    assert abs(notice["stamp"] - clock.now()) < timedelta(minutes=1)
    assert events[f"convention-{fixed.id}-fin@registre-hdp"]["summary"].startswith("Fin de la convention ")
    assert "reconduite tacitement" in events[f"convention-{tacit.id}-preavis@registre-hdp"]["description"]


def test_the_events_follow_the_clock_with_the_same_uids(region):
    user, tacit, fixed = region.users["is_juriste"], region.conventions["is_tacit"], region.conventions["is_fixed"]
    tacit_uid = f"convention-{tacit.id}-preavis@registre-hdp"
    assert _starts(_feed(user, date(2026, 9, 1)))[tacit_uid] == date(2026, 9, 30)  # before this period's notice
    assert _starts(_feed(user, date(2026, 10, 1)))[tacit_uid] == date(2028, 9, 30)  # the day after: the next one
    later = _feed(user, date(2027, 4, 15))  # is_fixed has ended: its past deadlines stay in the calendar
    assert _starts(later)[f"convention-{fixed.id}-fin@registre-hdp"] == date(2027, 3, 31)
    terminate(tacit, on=date(2027, 2, 1), reason="Fin du partenariat")
    db.session.commit()
    events = _feed(user, TODAY)
    assert tacit_uid not in events  # a termination to come has only its end
    assert _starts(events)[f"convention-{tacit.id}-fin@registre-hdp"] == date(2027, 1, 31)
    assert _feed(user, date(2027, 2, 1)).keys() == {f"convention-{fixed.id}-preavis@registre-hdp",
                                                    f"convention-{fixed.id}-fin@registre-hdp"}  # terminated


def test_a_draft_is_not_in_the_feed_and_a_user_of_two_hospitals_gets_both(region):
    draft = registered_convention(region.is_sur_tille, [], effective_date=date(2026, 1, 1), duration_months=12)
    db.session.commit()
    events = _feed(region.users["both"], TODAY)
    assert not any(f"convention-{draft.id}-" in uid for uid in events)
    auxonne = region.conventions["auxonne_ending"]
    assert _starts(events)[f"convention-{auxonne.id}-fin@registre-hdp"] == date(2027, 1, 31)
    assert len(events) == 4


def test_an_ars_feed_has_its_region_s_statutory_conventions_to_conclude(region):
    events = _feed(region.users["ars_bfc"], TODAY)
    late = events[f"statutaire-{region.is_sur_tille.id}-l6111_3_2@registre-hdp"]
    running = events[f"statutaire-{region.auxonne.id}-l6111_3_2@registre-hdp"]
    assert late["start"] == date(2023, 5, 1) and running["start"] == date(2027, 3, 1)
    assert late["summary"] == "Convention obligatoire à conclure (délai dépassé) : CH D'IS-SUR-TILLE"
    assert "a expiré le 1er mai 2023" in late["description"]
    assert running["url"] == f"{BASE_URL}/hopitaux/{region.auxonne.organisation.finess_et}/conformite"
    assert all("PARIS" not in event["summary"] for event in events.values())
    assert [event["summary"] for event in _feed(region.users["ars_idf"], TODAY).values()] == [
        "Convention obligatoire à conclure (délai dépassé) : HOPITAL DE PARIS"]
    assert _feed(region.users["admin"], TODAY) == {}


def _address(response) -> str:
    found = re.search(r'value="(https?://[^"]+/calendrier/[^"]+\.ics)"', response.get_data(as_text=True))
    assert found, response.get_data(as_text=True)[:2000]
    return found.group(1)


def _fetch(app, address: str):
    """The feed as a calendar client reads it: another client, no session."""
    with app.app_context():
        return app.test_client().get(address.removeprefix(BASE_URL))


def _audit_actions(user) -> list[str]:
    return list(db.session.scalars(select(AuditLog.action).where(AuditLog.action.like("calendar.%"),
                                                                AuditLog.actor_id == user.id).order_by(AuditLog.id)))


def test_create_fetch_regenerate_and_delete_the_address(app, client, login, region):
    user = region.users["is_juriste"]
    login(user)
    page = client.get("/compte/calendrier")
    assert page.status_code == 200
    assert "Créer mon adresse de calendrier" in page.get_data(as_text=True)
    assert 'href="/compte/calendrier">Calendrier</a>' in page.get_data(as_text=True)  # in the account menu

    first = _address(client.post("/compte/calendrier"))
    assert first.startswith(f"{BASE_URL}/calendrier/")
    assert db.session.scalar(select(CalendarFeed.token_hash)) not in first  # only the hash is stored
    shown_again = client.get("/compte/calendrier").get_data(as_text=True)
    assert first not in shown_again and "Régénérer l'adresse" in shown_again  # shown once

    response = _fetch(app, first)
    assert response.status_code == 200
    assert response.mimetype == "text/calendar"
    assert response.headers["Cache-Control"] == "no-store"
    assert f"convention-{region.conventions['is_fixed'].id}-fin@registre-hdp" in _events(response.data)

    second = _address(client.post("/compte/calendrier"))
    assert second != first
    assert _fetch(app, first).status_code == 404  # revoked
    assert _fetch(app, second).status_code == 200

    deleted = client.post("/compte/calendrier/suppression", follow_redirects=True)
    assert "Adresse de calendrier supprimée" in deleted.get_data(as_text=True)
    assert _fetch(app, second).status_code == 404
    assert db.session.scalar(select(CalendarFeed)) is None
    assert _audit_actions(user) == ["calendar.create", "calendar.regenerate", "calendar.delete"]
    again = client.post("/compte/calendrier/suppression", follow_redirects=True)
    assert "Vous n'avez pas d'adresse de calendrier." in again.get_data(as_text=True)


def test_unknown_tokens_and_deactivated_users_get_404(app, region):
    user = region.users["is_juriste"]
    token = issue_feed(user)
    db.session.commit()
    assert _fetch(app, f"/calendrier/{token}.ics").status_code == 200
    assert _fetch(app, f"/calendrier/{token[:-1]}.ics").status_code == 404
    assert _fetch(app, "/calendrier/.ics").status_code == 404
    user.active = False
    db.session.commit()
    assert _fetch(app, f"/calendrier/{token}.ics").status_code == 404


def test_each_user_s_feed_keeps_to_their_scope(app, region):
    tokens = {name: issue_feed(region.users[name]) for name in ("auxonne", "paris")}
    db.session.commit()
    auxonne = _events(_fetch(app, f"/calendrier/{tokens['auxonne']}.ics").data)
    assert list(auxonne) == [f"convention-{region.conventions['auxonne_ending'].id}-fin@registre-hdp"]
    paris = _events(_fetch(app, f"/calendrier/{tokens['paris']}.ics").data)
    assert list(paris) == [f"convention-{region.conventions['paris_ending'].id}-fin@registre-hdp"]


def test_the_page_tells_an_ars_user_what_its_calendar_holds(client, login, region):
    login(region.users["ars_bfc"])
    words = " ".join(client.get("/compte/calendrier").get_data(as_text=True).split())
    assert "les conventions obligatoires (articles L6111-3-2 et L6111-3-3)" in words
    assert "Créer mon adresse de calendrier" in words


def test_administrators_have_no_calendar_page(client, login, region):
    login(region.users["admin"])
    assert client.get("/compte/calendrier").status_code == 403
    assert client.post("/compte/calendrier").status_code == 403
    assert 'href="/compte/calendrier"' not in client.get("/").get_data(as_text=True)


@pytest.mark.parametrize("app_config", [{"WTF_CSRF_ENABLED": True, "BASE_URL": BASE_URL}])
def test_a_post_without_the_csrf_token_is_refused(client, region):
    assert client.post("/compte/calendrier").status_code == 400
    assert client.post("/compte/calendrier/suppression").status_code == 400
    assert db.session.scalar(select(CalendarFeed)) is None


@pytest.mark.parametrize("app_config", [{"RATELIMIT_ENABLED": True, "CALENDAR_RATE_LIMIT": "2 per minute"}])
def test_the_feed_is_rate_limited(client):
    assert [client.get("/calendrier/inconnu.ics").status_code for _ in range(3)] == [404, 404, 429]


def test_without_base_url_the_links_use_the_request_s_address(app, region):
    app.config["BASE_URL"] = None
    token = issue_feed(region.users["auxonne"])
    db.session.commit()
    events = _events(_fetch(app, f"/calendrier/{token}.ics").data)
    assert next(iter(events.values()))["url"].startswith("http://localhost/conventions/")
