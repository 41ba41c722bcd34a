"""Sessions that end when they should: a cookie copied before logout is refused after it, a session ends after
SESSION_IDLE_MINUTES without a request and SESSION_MAX_HOURS after the login, and a deactivated account is out."""

from datetime import timedelta

import pytest

from registry.core import clock
from registry.extensions import db

PAGE = "/conventions/echeances"


def signed_in(client) -> bool:
    response = client.get(PAGE)
    return response.status_code == 200


def test_a_cookie_copied_before_logout_is_refused_after_it(client, make_user, login):
    user = make_user("admin")
    login(user)
    stolen = client.get_cookie("session").value
    assert signed_in(client)
    client.post("/deconnexion")
    client.set_cookie("session", stolen)
    response = client.get(PAGE)
    assert response.status_code == 302 and "/connexion" in response.headers["Location"]
    login(user)  # the user signs in again with a new cookie
    assert signed_in(client)


def test_logging_out_on_one_browser_ends_the_others(app, client, make_user, login):
    user = make_user("admin")
    login(user)
    other = app.test_client()
    other.post("/connexion", data={"email": user.email, "password": "motdepasse-de-test"})
    assert signed_in(other)
    client.post("/deconnexion")
    assert not signed_in(other)


def test_an_idle_session_ends(client, make_user, login):
    login(make_user("admin"))
    start = clock.now()
    with clock.travel(start + timedelta(minutes=29)):
        assert signed_in(client)  # activity: the idle delay starts again
    with clock.travel(start + timedelta(minutes=58)):
        assert signed_in(client)
    with clock.travel(start + timedelta(minutes=58 + 30, seconds=59)):
        assert signed_in(client)  # never before the idle delay (activity is written at most once a minute)
    with clock.travel(start + timedelta(minutes=58 + 30 + 32)):
        assert not signed_in(client)


def test_an_idle_session_ends_within_a_minute_after_its_delay(client, make_user, login):
    login(make_user("admin"))
    start = clock.now()
    with clock.travel(start + timedelta(minutes=31, seconds=1)):
        assert not signed_in(client)


def test_a_session_ends_after_its_longest_lifetime_whatever_the_activity(client, make_user, login):
    login(make_user("admin"))
    start = clock.now()
    for minutes in range(20, 12 * 60, 20):
        with clock.travel(start + timedelta(minutes=minutes)):
            assert signed_in(client), minutes
    with clock.travel(start + timedelta(hours=12, minutes=5)):
        assert not signed_in(client)


def test_static_files_neither_extend_a_session_nor_send_its_cookie(client, make_user, login):
    """A browser fetches the icon late, after the next page has begun: its answer must not put back an old cookie."""
    login(make_user("admin"))
    start = clock.now()
    with clock.travel(start + timedelta(minutes=20)):
        static = client.get("/static/app.css")
        assert static.status_code == 200
        assert "Set-Cookie" not in static.headers
    with clock.travel(start + timedelta(minutes=32)):
        assert not signed_in(client)  # the style sheet at minute 20 was no activity


def test_a_page_records_the_activity_in_its_cookie_at_most_once_a_minute(client, make_user, login):
    """A page that changes nothing else sends no cookie within the minute: a lookup still running when a form is
    sent cannot put back, after the form's answer, a cookie without the message that answer added."""
    login(make_user("admin"))
    start = clock.now()
    client.get(PAGE)  # the first page may still change the session (the login's message shown, a CSRF token)
    assert "Set-Cookie" not in client.get(PAGE).headers
    assert "Set-Cookie" not in client.get("/etablissements/communes?q=Is").headers
    with clock.travel(start + timedelta(seconds=59)):
        assert "Set-Cookie" not in client.get(PAGE).headers
    with clock.travel(start + timedelta(minutes=1)):
        assert "Set-Cookie" in client.get(PAGE).headers
    with clock.travel(start + timedelta(minutes=1, seconds=30)):
        assert "Set-Cookie" not in client.get(PAGE).headers


@pytest.mark.parametrize("app_config", [{"SESSION_IDLE_MINUTES": 0, "SESSION_MAX_HOURS": 0}])
def test_zero_means_no_limit(client, make_user, login):
    login(make_user("admin"))
    with clock.travel(clock.now() + timedelta(days=3)):
        assert signed_in(client)


def test_a_deactivated_account_is_out_at_its_next_request(client, make_user, login):
    user = make_user("admin")
    login(user)
    user.active = False
    db.session.commit()
    assert not signed_in(client)


def test_a_cookie_without_a_session_version_is_refused(app, client, make_user):
    user = make_user("admin")
    db.session.commit()
    with client.session_transaction() as session:
        session["_user_id"] = str(user.id)  # as cookies were written before session versions
        session["_fresh"] = True
    assert not signed_in(client)
