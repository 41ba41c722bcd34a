import pytest
from sqlalchemy import func, select

from registry.accounts.models import ApiToken, User
from registry.accounts.services import authenticate, create_token, create_user, user_for_token
from registry.core.errors import DomainError
from registry.extensions import db


def test_password_is_hashed_with_a_current_algorithm(app):
    app.config["PASSWORD_HASH_METHOD"] = "scrypt"
    user = create_user("agent@ars.fr", "un-mot-de-passe-long", "ars", region="27")
    assert user.password_hash.startswith("scrypt:")
    assert "un-mot-de-passe-long" not in user.password_hash
    assert authenticate("AGENT@ars.fr", "un-mot-de-passe-long") == user
    assert authenticate("agent@ars.fr", "mauvais") is None


@pytest.mark.parametrize("kwargs, message", [
    ({"email": "sans-arobase", "role": "admin"}, "adresse électronique invalide"),
    # Special-use domains the login form refuses: an account made with one could never sign in.
    ({"email": "agent@hopital.test", "role": "admin"}, "adresse électronique invalide"),
    ({"email": "agent@localhost", "role": "admin"}, "adresse électronique invalide"),
    ({"email": "agent@@ars.fr", "role": "admin"}, "adresse électronique invalide"),
    ({"email": "a@b.fr", "role": "chef"}, "rôle inconnu"),
    ({"email": "a@b.fr", "role": "admin", "password": "court"}, "au moins 12 caractères"),
    ({"email": "a@b.fr", "role": "admin", "password": "123456789012"}, "plus courants"),
    ({"email": "a@b.fr", "role": "admin", "password": "Password2026!"}, "plus courants"),
    ({"email": "a@b.fr", "role": "admin", "password": "aaaaaaaaaaaa"}, "plus courants"),
    ({"email": "marie.durand@ch.fr", "role": "admin", "password": "marie.durand-2026"}, "adresse électronique"),
    ({"email": "a@b.fr", "role": "ars"}, "région"),
    ({"email": "a@b.fr", "role": "hospital"}, "au moins un numéro FINESS"),
    ({"email": "a@b.fr", "role": "hospital", "finess": ["210000000"]}, "introuvable"),
])
def test_create_user_refuses_bad_input(app, kwargs, message):
    password = kwargs.pop("password", "mot-de-passe-correct")
    with pytest.raises(DomainError, match=message):
        create_user(kwargs.pop("email"), password, kwargs.pop("role"), **kwargs)
    assert db.session.scalar(select(func.count(User.id))) == 0


def test_create_user_refuses_duplicate_email(app, make_user):
    make_user("admin", email="dup@example.fr")
    with pytest.raises(DomainError, match="existe déjà"):
        create_user("DUP@example.fr", "mot-de-passe-correct", "admin")


def test_tokens_are_stored_hashed_and_revocable(app, make_user):
    user = make_user("admin")
    token = create_token(user)
    stored = db.session.scalar(select(ApiToken))
    assert stored.token_hash != token and token not in stored.prefix + stored.token_hash
    assert user_for_token(token) == user
    assert user_for_token(token + "x") is None
    stored.revoked = True
    assert user_for_token(token) is None


def test_inactive_user_cannot_log_in(app, make_user):
    user = make_user("admin")
    user.active = False
    assert authenticate(user.email, "motdepasse-de-test") is None
