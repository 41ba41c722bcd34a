import pytest

from registry.accounts.models import User
from registry.extensions import db
from tests.factories import PASSWORD


def test_wrong_password_shows_french_error(client, make_user):
    user = make_user("admin")
    db.session.commit()
    response = client.post("/connexion", data={"email": user.email, "password": "faux"})
    assert response.status_code == 200
    assert "Adresse électronique ou mot de passe incorrect" in response.get_data(as_text=True)
    assert client.get("/").status_code == 302


def test_login_follows_only_local_next(client, make_user):
    user = make_user("admin")
    db.session.commit()
    response = client.post("/connexion?next=https://evil.example/x", data={"email": user.email, "password": PASSWORD})
    assert response.headers["Location"] == "/"
    client.post("/deconnexion")
    response = client.post("/connexion?next=/etablissements/", data={"email": user.email, "password": PASSWORD})
    assert response.headers["Location"] == "/etablissements/"


def test_a_hospital_user_of_one_hospital_lands_on_its_page(client, make_user, make_hospital, make_organisation):
    one, other = make_hospital(make_organisation()), make_hospital(make_organisation())
    single = make_user("hospital", organisations=[one.organisation])
    several = make_user("hospital", organisations=[one.organisation, other.organisation])
    ars = make_user("ars", region=one.organisation.region)
    db.session.commit()
    expected = {single: f"/hopitaux/{one.finess_et}", several: "/", ars: "/"}
    for user, location in expected.items():
        response = client.post("/connexion", data={"email": user.email, "password": PASSWORD})
        assert response.headers["Location"] == location, user
        client.post("/deconnexion")
    response = client.post("/connexion?next=/etablissements/", data={"email": single.email, "password": PASSWORD})
    assert response.headers["Location"] == "/etablissements/"  # an explicit destination wins


def test_logout_needs_post(client, make_user, login):
    login(make_user("admin"))
    assert client.get("/deconnexion").status_code == 405
    client.post("/deconnexion")
    assert client.get("/").status_code == 302


@pytest.mark.parametrize("app_config", [{"WTF_CSRF_ENABLED": True}])
def test_login_without_csrf_token_is_refused(client, make_user):
    user = make_user("admin")
    db.session.commit()
    response = client.post("/connexion", data={"email": user.email, "password": PASSWORD})
    assert response.status_code == 400
    assert client.get("/").status_code == 302


@pytest.mark.parametrize("app_config", [{"RATELIMIT_ENABLED": True, "LOGIN_RATE_LIMIT": "3 per minute"}])
def test_login_attempts_are_rate_limited(client, make_user):
    user = make_user("admin")
    db.session.commit()
    for _ in range(3):
        assert client.post("/connexion", data={"email": user.email, "password": "faux"}).status_code == 200
    response = client.post("/connexion", data={"email": user.email, "password": PASSWORD})
    assert response.status_code == 429
    assert "Trop de tentatives" in response.get_data(as_text=True)
    assert db.session.get(User, user.id) is not None


def test_an_unknown_e_mail_costs_a_password_check_too(app, make_user, monkeypatch):
    """The time of a refused login does not tell whether the address has an account: both check a hash."""
    from registry.accounts import services

    checked = []
    real = services.check_password_hash
    monkeypatch.setattr(services, "check_password_hash", lambda *args: checked.append(args) or real(*args))
    user = make_user("admin")
    assert services.authenticate("personne@example.fr", "n'importe quoi") is None
    assert len(checked) == 1
    assert services.authenticate(user.email, "mauvais mot de passe") is None
    assert services.authenticate(user.email, PASSWORD) == user


def test_every_login_attempt_is_audited_with_its_client_address(client, make_user):
    from sqlalchemy import select

    from registry.audit.models import AuditLog

    user = make_user("admin")
    db.session.commit()
    client.post("/connexion", data={"email": user.email, "password": "faux"},
                environ_base={"REMOTE_ADDR": "192.0.2.7"})
    client.post("/connexion", data={"email": "inconnu@ars.fr", "password": "faux"})
    client.post("/connexion", data={"email": user.email, "password": PASSWORD})
    entries = db.session.scalars(select(AuditLog).order_by(AuditLog.id)).all()
    assert [entry.action for entry in entries] == ["user.login_failed", "user.login_failed", "user.login"]
    failed, unknown, login = entries
    assert failed.object_id == user.id and failed.actor_label == "anonyme" and failed.actor_id is None
    assert "mot de passe erroné" in failed.summary and "192.0.2.7" in failed.summary
    assert unknown.object_type == "-" and "inconnu@ars.fr" in unknown.summary
    assert login.actor_id == user.id and "Connexion de" in login.summary
