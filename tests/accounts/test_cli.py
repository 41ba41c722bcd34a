from sqlalchemy import select

from registry.accounts.models import User
from registry.accounts.services import user_for_token
from registry.extensions import db


def test_create_user_reads_password_from_stdin(runner, make_organisation):
    hospital = make_organisation()
    db.session.commit()
    result = runner.invoke(args=["create-user", "Jurist@CH.fr", "--role", "hospital", "--finess", hospital.finess_et],
                           input="mot-de-passe-solide\n")
    assert result.exit_code == 0, result.output
    user = db.session.scalar(select(User).where(User.email == "jurist@ch.fr"))
    assert user.role == "hospital" and [o.finess_et for o in user.organisations] == [hospital.finess_et]
    assert user.check_password("mot-de-passe-solide")


def test_create_user_bad_input_is_one_line_error_and_changes_nothing(runner):
    result = runner.invoke(args=["create-user", "x@ars.fr", "--role", "ars", "--region", "99"],
                           input="mot-de-passe-solide\n")
    assert result.exit_code != 0
    assert "région" in result.output
    assert db.session.scalar(select(User)) is None


def test_create_token_prints_token_alone_on_last_line(runner, make_user):
    user = make_user("ars", region="27")
    db.session.commit()
    result = runner.invoke(args=["create-token", user.email])
    assert result.exit_code == 0, result.output
    token = result.output.strip().splitlines()[-1]
    assert token.startswith("hdp_") and " " not in token
    assert user_for_token(token).id == user.id


def test_create_token_unknown_user(runner):
    result = runner.invoke(args=["create-token", "nobody@example.fr"])
    assert result.exit_code != 0
    assert "aucun compte" in result.output


def test_an_account_the_command_creates_can_sign_in(runner, client):
    result = runner.invoke(args=["create-user", "Agent.Durand@ARS.sante.fr", "--role", "ars", "--region", "27"],
                           input="mot-de-passe-solide\n")
    assert result.exit_code == 0, result.output
    response = client.post("/connexion", data={"email": "agent.durand@ars.sante.fr",
                                               "password": "mot-de-passe-solide"})
    assert response.status_code == 302 and response.headers["Location"] == "/"


def test_an_address_the_login_form_refuses_is_refused_by_the_command(runner):
    result = runner.invoke(args=["create-user", "agent@hopital.test", "--role", "ars", "--region", "27"],
                           input="mot-de-passe-solide\n")
    assert result.exit_code != 0
    assert "adresse électronique invalide" in result.output and "Traceback" not in result.output
    assert db.session.scalar(select(User)) is None
