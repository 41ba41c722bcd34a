"""Every user changes their own password: the current one first, the policy applied, the other sessions ended and
this one kept, audited; a refusal changes nothing."""

from registry.audit.models import AuditLog
from registry.extensions import db
from tests.factories import PASSWORD

URL = "/compte/mot-de-passe"
NEW = "une phrase de passe bien à moi"


def change(client, current=PASSWORD, new=NEW, confirm=None):
    return client.post(URL, data={"current": current, "new": new, "confirm": new if confirm is None else confirm})


def test_a_user_changes_their_password_and_their_other_sessions_end(app, client, make_user, login):
    user = make_user("hospital", organisations=())
    login(user)
    elsewhere = app.test_client()
    with app.app_context():
        elsewhere.post("/connexion", data={"email": user.email, "password": PASSWORD})
    assert "Changer de mot de passe" in client.get(URL).get_data(as_text=True)
    response = change(client)
    assert response.status_code == 302
    assert client.get("/conventions/echeances").status_code == 200  # this session goes on
    with app.app_context():
        assert elsewhere.get("/conventions/echeances").status_code == 302  # the other one has ended
    db.session.expire_all()
    assert user.check_password(NEW) and not user.check_password(PASSWORD)
    assert db.session.query(AuditLog).filter_by(action="user.password").count() == 1


def test_refusals_change_nothing(client, make_user, login):
    user = make_user("admin")
    login(user)
    for response, words in ((change(client, current="pas le bon"), "actuel est incorrect"),
                            (change(client, new="motdepasse2026"), "plus courants"),
                            (change(client, new="court"), "au moins 12"),
                            (change(client, confirm="autre chose encore"), "diffèrent"),
                            (change(client, new=PASSWORD), "différer")):
        body = response.get_data(as_text=True)
        assert response.status_code in (200, 422) and words in body, words
    db.session.expire_all()
    assert user.check_password(PASSWORD)


def test_anonymous_users_go_to_the_login_page(client):
    assert "/connexion" in client.get(URL).headers["Location"]
