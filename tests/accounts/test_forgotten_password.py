"""« Mot de passe oublié » through the pages, with a real SMTP server (aiosmtpd): the link mailed to an active
account sets a new password once; the page answers the same for an unknown or deactivated address and sends
nothing; every request is audited; without mail settings the page says to ask an administrator."""

import re
from html import unescape

import pytest
from sqlalchemy import select

from registry.audit.models import AuditLog
from registry.extensions import db
from tests.reminders.conftest import BASE_URL, SENDER, smtp, smtp_port  # noqa: F401 (fixtures)

URL = "/connexion/mot-de-passe-oublie"
NEW = "une phrase de passe toute neuve"


@pytest.fixture
def app_config(smtp_port):  # noqa: F811
    return {"MAIL_SERVER": "127.0.0.1", "MAIL_PORT": smtp_port, "MAIL_DEFAULT_SENDER": SENDER, "BASE_URL": BASE_URL}


def _answer(response) -> str:
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", response.get_data(as_text=True))).split())


def test_the_login_page_leads_to_it(client):
    assert f'href="{URL}"' in client.get("/connexion").get_data(as_text=True)


def test_an_active_account_receives_a_one_time_link_that_sets_its_password(client, smtp, make_user):  # noqa: F811
    user = make_user("hospital", email="juriste@ch-exemple.fr")
    db.session.commit()

    response = client.post(URL, data={"email": "Juriste@CH-exemple.fr"}, follow_redirects=True)

    assert "un courriel vient de lui être envoyé" in _answer(response)
    [mail] = smtp.messages
    assert (mail["To"], mail["From"]) == ("juriste@ch-exemple.fr", SENDER)
    assert mail["Subject"] == "Registre des hôpitaux de proximité : choisir un nouveau mot de passe"
    body = mail.get_content()
    link = re.search(rf"{re.escape(BASE_URL)}/compte/nouveau-mot-de-passe/\S+", body).group(0)
    assert "pendant 72 heures" in body and f"{BASE_URL}/connexion" in body

    path = link.removeprefix(BASE_URL)
    assert client.post(path, data={"new": NEW, "confirm": NEW}).status_code == 302
    assert client.post("/connexion", data={"email": user.email, "password": NEW}).status_code == 302
    assert client.get(path).status_code == 404  # used once
    actions = db.session.scalars(select(AuditLog.action).where(AuditLog.object_id == user.id)).all()
    assert {"user.password_link", "user.password_link_mailed", "user.password"} <= set(actions)


@pytest.mark.parametrize("email", ["inconnu@ch-exemple.fr", "parti@ch-exemple.fr"])
def test_an_unknown_or_deactivated_address_gets_the_same_answer_and_no_mail(client, smtp, make_user,  # noqa: F811
                                                                            email):
    make_user("hospital", email="parti@ch-exemple.fr").active = False
    db.session.commit()

    response = client.post(URL, data={"email": email}, follow_redirects=True)

    assert f"Si un compte actif a l'adresse {email}, un courriel vient de lui être envoyé" in _answer(response)
    assert smtp.messages == []
    entry = db.session.scalar(select(AuditLog).where(AuditLog.action == "user.password_link_refused"))
    assert email in entry.summary and entry.actor_label != email


def test_a_bad_address_is_explained_and_sends_nothing(client, smtp):  # noqa: F811
    response = client.post(URL, data={"email": "pas une adresse"})
    assert response.status_code == 200 and "La demande n'a pas été envoyée" in _answer(response)
    assert smtp.messages == []


def test_an_unreachable_mail_server_gives_the_same_answer(app, client, make_user, caplog):
    app.config["MAIL_PORT"] = 9  # nothing listens there
    make_user("hospital", email="juriste@ch-exemple.fr")
    db.session.commit()

    response = client.post(URL, data={"email": "juriste@ch-exemple.fr"}, follow_redirects=True)

    assert "un courriel vient de lui être envoyé" in _answer(response)
    assert "courriel non envoyé à juriste@ch-exemple.fr" in caplog.text


def test_without_mail_settings_the_page_says_to_ask_an_administrator(app, client, smtp):  # noqa: F811
    app.config["BASE_URL"] = None
    page = _answer(client.get(URL))
    assert "demandez à l'administrateur du registre un lien" in page and "Recevoir un lien" not in page
    assert client.post(URL, data={"email": "juriste@ch-exemple.fr"}).status_code == 200
    assert smtp.messages == []
