"""« Utilisateurs »: the administrator creates accounts, attaches them, deactivates them, gives one-time password
links and manages API tokens; each step audited, bad input changes nothing, only administrators get in."""

import re
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from registry.accounts.models import ApiToken, PasswordReset, User
from registry.accounts.services import create_token, user_for_token
from registry.audit.models import AuditLog
from registry.core import clock
from registry.extensions import db
from registry.accounts.administration import token_state
from tests.factories import PASSWORD, finess_for

NEW_PASSWORD = "une phrase de passe bien à moi"


def actions() -> list[str]:
    return db.session.scalars(select(AuditLog.action).order_by(AuditLog.id)).all()


def link_in(body: str) -> str:
    match = re.search(r'value="http://localhost(/compte/nouveau-mot-de-passe/[^"]+)"', body)
    assert match, body[body.find("<main"):][:3000]
    return match.group(1)


def test_only_administrators_reach_the_pages(client, make_user, login):
    login(make_user("ars", region="27"))
    assert client.get("/admin/utilisateurs/").status_code == 403
    assert client.post("/admin/utilisateurs/nouveau", data={"email": "x@ars.fr", "role": "admin"}).status_code == 403
    assert db.session.scalar(select(func.count(User.id))) == 1


def test_the_list_filters_by_text_role_and_state(client, make_user, login, make_organisation):
    admin = make_user("admin", email="chef@ars.fr")
    make_user("ars", region="27", email="agent.bfc@ars.fr")
    hospital = make_user("hospital", organisations=[make_organisation(name="CH DE SEMUR")], email="juriste@ch.fr")
    hospital.active = False
    login(admin)
    body = client.get("/admin/utilisateurs/").get_data(as_text=True)
    assert "3 comptes." in body and "CH DE SEMUR" in body and "Bourgogne-Franche-Comté" in body
    body = client.get("/admin/utilisateurs/?role=ars").get_data(as_text=True)
    assert "1 compte." in body and "agent.bfc@ars.fr" in body and "juriste@ch.fr" not in body
    body = client.get("/admin/utilisateurs/?statut=desactives").get_data(as_text=True)
    assert "1 compte." in body and "juriste@ch.fr" in body and "Désactivé" in body
    body = client.get("/admin/utilisateurs/?q=JURISTE").get_data(as_text=True)
    assert "1 compte." in body


def test_a_new_account_sets_its_password_through_a_one_time_link(app, client, make_user, login, make_organisation):
    hospital = make_organisation(name="CH D'IS SUR TILLE")
    login(make_user("admin"))
    response = client.post("/admin/utilisateurs/nouveau", data={
        "email": "Nouvelle.Juriste@ch-is.fr", "display_name": "Nouvelle juriste", "role": "hospital",
        "finess": f" {hospital.finess_et}\n{hospital.finess_et} "})
    assert response.status_code == 200
    link = link_in(response.get_data(as_text=True))
    user = db.session.scalar(select(User).where(User.email == "nouvelle.juriste@ch-is.fr"))
    assert [o.finess_et for o in user.organisations] == [hospital.finess_et]
    assert db.session.scalar(select(PasswordReset.token_hash)) != link.rsplit("/", 1)[1]  # only its hash is kept
    email = user.email
    db.session.commit()  # the test's read transaction ends before the other client writes (SQLite)

    newcomer = app.test_client()
    with app.app_context():
        assert newcomer.post("/connexion", data={"email": email, "password": NEW_PASSWORD}).status_code == 200
        assert "Choisir un mot de passe" in newcomer.get(link).get_data(as_text=True)
        refused = newcomer.post(link, data={"new": "court", "confirm": "court"})
        assert refused.status_code == 422 and "au moins 12" in refused.get_data(as_text=True)
        done = newcomer.post(link, data={"new": NEW_PASSWORD, "confirm": NEW_PASSWORD})
        assert done.status_code == 302 and done.headers["Location"] == "/connexion"
        assert newcomer.get(link).status_code == 404  # once only
        signed = newcomer.post("/connexion", data={"email": email, "password": NEW_PASSWORD})
        assert signed.status_code == 302
    assert {"user.create", "user.password_link", "user.password"} <= set(actions())


@pytest.mark.parametrize("data, message", [
    ({"email": "pas-une-adresse", "role": "admin"}, "Adresse électronique invalide."),
    ({"email": "agent@hopital.test", "role": "admin"}, "Adresse électronique invalide."),
    ({"email": "agent@ars.fr", "role": "ars"}, "Un compte ARS doit indiquer sa région."),
    ({"email": "agent@ars.fr", "role": "chef"}, "Rôle inconnu."),
    ({"email": "agent@ch.fr", "role": "hospital"}, "au moins un numéro FINESS"),
    ({"email": "agent@ch.fr", "role": "hospital", "finess": "210987583"}, "clé de contrôle"),
    ({"email": "agent@ch.fr", "role": "hospital", "finess": finess_for("21", 999999)}, "introuvable dans le registre"),
    ({"email": "admin-existant@ars.fr", "role": "admin"}, "un compte existe déjà"),
])
def test_bad_input_creates_nothing_and_says_why(client, make_user, login, data, message):
    login(make_user("admin", email="admin-existant@ars.fr"))
    before = actions()
    response = client.post("/admin/utilisateurs/nouveau", data=data)
    body = response.get_data(as_text=True)
    assert response.status_code in (200, 422) and message in body, body[:3000]
    assert db.session.scalar(select(func.count(User.id))) == 1
    assert actions() == before


def test_attachments_change_and_the_change_is_audited(client, make_user, login, make_organisation):
    first, second = make_organisation(name="CH UN"), make_organisation(name="CH DEUX")
    user = make_user("hospital", organisations=[first])
    login(make_user("admin"))
    page = client.get(f"/admin/utilisateurs/{user.id}").get_data(as_text=True)
    assert first.finess_et in page
    response = client.post(f"/admin/utilisateurs/{user.id}", data={
        "role": "hospital", "finess": f"{first.finess_et}, {second.finess_et}", "display_name": "Juriste"})
    assert response.status_code == 302
    db.session.expire_all()
    assert {o.finess_et for o in user.organisations} == {first.finess_et, second.finess_et}
    entry = db.session.scalar(select(AuditLog).where(AuditLog.action == "user.update"))
    assert entry.changes["établissements"][1] == ", ".join(sorted([first.finess_et, second.finess_et]))
    response = client.post(f"/admin/utilisateurs/{user.id}", data={"role": "ars", "region": ""})
    assert response.status_code in (200, 422) and "Un compte ARS doit indiquer sa région" in response.get_data(
        as_text=True)
    db.session.expire_all()
    assert user.role == "hospital"


def test_deactivation_ends_sessions_and_tokens_at_once(app, client, make_user, login):
    user = make_user("ars", region="27")
    db.session.commit()
    token = create_token(user)
    db.session.commit()
    elsewhere = app.test_client()
    with app.app_context():
        assert elsewhere.post("/connexion", data={"email": user.email, "password": PASSWORD}).status_code == 302
        assert elsewhere.get("/conformite").status_code == 200
    admin = make_user("admin")
    login(admin)
    assert client.post(f"/admin/utilisateurs/{user.id}/desactiver").status_code == 302
    with app.app_context():
        assert elsewhere.get("/conformite").status_code == 302
        assert elsewhere.get("/api/v1/compliance", headers={"Authorization": f"Bearer {token}"}).status_code == 401
    refused = client.post(f"/admin/utilisateurs/{admin.id}/desactiver", follow_redirects=True)
    assert "propre compte" in refused.get_data(as_text=True)
    db.session.expire_all()
    assert admin.active and not user.active
    assert client.post(f"/admin/utilisateurs/{user.id}/reactiver").status_code == 302
    db.session.expire_all()
    assert user.active and user_for_token(token) is not None
    assert actions().count("user.deactivate") == 1 and "user.activate" in actions()


def test_a_new_link_replaces_the_previous_one_and_links_expire(client, make_user, login):
    user = make_user("ars", region="27")
    login(make_user("admin"))
    first = link_in(client.post(f"/admin/utilisateurs/{user.id}/lien-mot-de-passe").get_data(as_text=True))
    second = link_in(client.post(f"/admin/utilisateurs/{user.id}/lien-mot-de-passe").get_data(as_text=True))
    assert client.get(first).status_code == 404
    assert client.get(second).status_code == 200
    with clock.travel(clock.now() + timedelta(hours=73)):
        expired = client.get(second)
        assert expired.status_code == 404 and "ne fonctionne plus" in expired.get_data(as_text=True)
    assert client.get("/compte/nouveau-mot-de-passe/n-importe-quoi").status_code == 404


def test_a_link_lifts_a_lock(client, make_user, login, app):
    user = make_user("ars", region="27")
    user.locked_until, user.failed_logins = clock.now() + timedelta(minutes=15), 0
    login(make_user("admin"))
    assert "Verrouillé" in client.get(f"/admin/utilisateurs/{user.id}").get_data(as_text=True)
    link = link_in(client.post(f"/admin/utilisateurs/{user.id}/lien-mot-de-passe").get_data(as_text=True))
    db.session.commit()
    with app.app_context():
        other = app.test_client()
        assert other.post(link, data={"new": NEW_PASSWORD, "confirm": NEW_PASSWORD}).status_code == 302
    db.session.expire_all()
    assert user.locked_until is None and user.check_password(NEW_PASSWORD)


def test_tokens_are_created_with_an_expiry_listed_and_revoked(client, make_user, login):
    user = make_user("ars", region="27")
    login(make_user("admin"))
    response = client.post(f"/admin/utilisateurs/{user.id}/jetons", data={"label": "outil régional", "days": "30"})
    token = re.search(r'id="jeton" type="text" readonly value="(hdp_[^"]+)"', response.get_data(as_text=True))[1]
    assert user_for_token(token).id == user.id
    stored = db.session.scalar(select(ApiToken).where(ApiToken.user_id == user.id))
    assert stored.label == "outil régional"
    page = client.get(f"/admin/utilisateurs/{user.id}").get_data(as_text=True)
    assert stored.prefix in page and token not in page and "actif" in page
    with clock.travel(clock.now() + timedelta(days=31)):
        assert user_for_token(token) is None
        assert token_state(stored) == "expiré"
    assert client.post(f"/admin/utilisateurs/{user.id}/jetons/{stored.id}/revoquer").status_code == 302
    assert user_for_token(token) is None
    assert "token.revoke" in actions()
    bad = client.post(f"/admin/utilisateurs/{user.id}/jetons", data={"days": "9999"}, follow_redirects=True)
    assert "Entre 1 et 730 jours." in bad.get_data(as_text=True)
    assert db.session.scalar(select(func.count(ApiToken.id))) == 1


def test_another_users_token_cannot_be_revoked_through_this_account(client, make_user, login):
    owner, other = make_user("ars", region="27"), make_user("ars", region="27")
    db.session.commit()
    create_token(owner)
    db.session.commit()
    token_id = db.session.scalar(select(ApiToken.id))
    login(make_user("admin"))
    assert client.post(f"/admin/utilisateurs/{other.id}/jetons/{token_id}/revoquer").status_code == 404
    assert client.get("/admin/utilisateurs/99999").status_code == 404


@pytest.mark.parametrize("app_config", [{"WTF_CSRF_ENABLED": True}])
def test_actions_need_the_csrf_token(client, make_user):
    from tests.web.test_partner_forms import _login_with_token

    user = make_user("ars", region="27")
    _login_with_token(client, make_user("admin"), PASSWORD)
    for action in ("desactiver", "lien-mot-de-passe", "jetons"):
        assert client.post(f"/admin/utilisateurs/{user.id}/{action}", data={"days": "30"}).status_code == 400
    assert client.post("/admin/utilisateurs/nouveau", data={"email": "x@ars.fr", "role": "admin"}).status_code == 400
    db.session.expire_all()
    assert user.active and db.session.scalar(select(func.count(User.id))) == 2
    assert db.session.scalar(select(func.count(ApiToken.id))) == 0
