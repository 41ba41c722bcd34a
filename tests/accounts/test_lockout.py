"""Per-account lockout: ten wrong passwords in a row lock the account for fifteen minutes, even against the right
password and whatever the client address; a success resets the count; the lock ends by itself or by unlock-user;
all audited."""

from datetime import timedelta

from registry.accounts.services import LOCK_AFTER_FAILURES, authenticate
from registry.audit.models import AuditLog
from registry.core import clock
from registry.extensions import db
from tests.factories import PASSWORD


def fail(user, times):
    for _ in range(times):
        assert authenticate(user.email, "pas le bon mot de passe") is None


def actions() -> list[str]:
    return [entry.action for entry in db.session.query(AuditLog).order_by(AuditLog.id)]


def test_ten_wrong_passwords_lock_the_account_for_fifteen_minutes(app, make_user):
    user = make_user("admin")
    fail(user, LOCK_AFTER_FAILURES)
    assert "user.locked" in actions()
    assert authenticate(user.email, PASSWORD) is None  # even the right password waits
    with clock.travel(clock.now() + timedelta(minutes=16)):
        assert authenticate(user.email, PASSWORD) == user
        db.session.expire_all()
        assert (user.failed_logins, user.locked_until) == (0, None)


def test_a_success_resets_the_count(app, make_user):
    user = make_user("admin")
    fail(user, LOCK_AFTER_FAILURES - 1)
    assert authenticate(user.email, PASSWORD) == user
    fail(user, LOCK_AFTER_FAILURES - 1)
    assert authenticate(user.email, PASSWORD) == user


def test_unlock_user_lifts_the_lock(app, runner, make_user):
    user = make_user("admin")
    fail(user, LOCK_AFTER_FAILURES)
    result = runner.invoke(args=["unlock-user", user.email])
    assert result.exit_code == 0 and "déverrouillé" in result.output
    assert authenticate(user.email, PASSWORD) == user
    assert actions()[-2:] == ["user.unlocked", "user.login"]
    assert runner.invoke(args=["unlock-user", "personne@example.fr"]).exit_code != 0


def test_the_login_page_says_so(client, make_user):
    user = make_user("admin")
    db.session.commit()
    for _ in range(LOCK_AFTER_FAILURES):
        client.post("/connexion", data={"email": user.email, "password": "faux mot de passe"})
    response = client.post("/connexion", data={"email": user.email, "password": PASSWORD})
    assert response.status_code == 200 and "verrouillé 15 minutes" in response.get_data(as_text=True)
