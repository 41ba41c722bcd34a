"""Account operations: create users and tokens, authenticate. They flush; the caller commits."""

import secrets
from datetime import timedelta
from functools import cache

from flask import current_app
from sqlalchemy import bindparam, func, select
from sqlalchemy.orm import joinedload
from werkzeug.security import check_password_hash, generate_password_hash

from registry.accounts.emails import email_problem
from registry.accounts.models import ROLE_ADMIN, ROLE_ARS, ROLE_HOSPITAL, ApiToken, User
from registry.accounts.passwords import password_problems
from registry.audit.services import ANONYMOUS, record_audit
from registry.core import clock
from registry.core.errors import DomainError
from registry.core.geography import REGIONS
from registry.extensions import db
from registry.organisations.models import Organisation

ROLES = (ROLE_ADMIN, ROLE_HOSPITAL, ROLE_ARS)
#: After this many wrong passwords in a row, an account refuses every login for LOCK_DURATION (besides the limit
#: per client address, which a distributed attempt would get round).
LOCK_AFTER_FAILURES = 10
LOCK_DURATION = timedelta(minutes=15)


def find_user(email: str) -> User | None:
    return db.session.scalar(select(User).where(func.lower(User.email) == email.strip().lower()))


def create_user(email: str, password: str, role: str, *, finess: list[str] = (), region: str | None = None,
                display_name: str | None = None) -> User:
    email = email.strip().lower()
    if problem := email_problem(email):
        raise DomainError(problem)
    if role not in ROLES:
        raise DomainError(f"rôle inconnu « {role} » (admin, hospital ou ars)")
    for problem in password_problems(password, email):
        raise DomainError(problem)
    if find_user(email):
        raise DomainError(f"un compte existe déjà pour {email}")
    organisations = attachments(role, finess, region)
    user = User(email=email, role=role, region=region if role == ROLE_ARS else None,
                display_name=display_name, organisations=organisations)
    user.set_password(password)
    db.session.add(user)
    db.session.flush()
    record_audit("user.create", user, f"Compte {email} créé (rôle {role})")
    return user


def attachments(role: str, finess: list[str], region: str | None) -> list[Organisation]:
    """What a role must be attached to: an ARS user to its region, a hospital user to one establishment at least
    (by FINESS ET, each in the registry); the establishments, or a DomainError."""
    if role == ROLE_ARS and region not in REGIONS:
        raise DomainError("un compte ARS doit indiquer sa région (code INSEE, par exemple 27)")
    if role == ROLE_HOSPITAL and not finess:
        raise DomainError("un compte établissement doit être rattaché à au moins un numéro FINESS")
    organisations = []
    for number in dict.fromkeys(finess) if role == ROLE_HOSPITAL else ():
        organisation = db.session.scalar(select(Organisation).where(Organisation.finess_et == number))
        if organisation is None:
            raise DomainError(f"établissement FINESS {number} introuvable dans le registre")
        organisations.append(organisation)
    return organisations


def authenticate(email: str, password: str, *, client: str | None = None) -> User | None:
    """The active user with this e-mail and password, else None; an unknown e-mail costs the same hash check as a
    known one, so that the time of the answer does not tell which addresses have an account. Every attempt is
    audited (``client``: the address it came from), and committed."""
    user = find_user(email or "")
    origin = f" depuis {client}" if client else ""
    if user is None:
        _DUMMY.check_password(password or "")
        record_audit("user.login_failed", None, f"Échec de connexion pour une adresse sans compte "
                     f"« {(email or '').strip()[:80]} »{origin}", actor=ANONYMOUS)
        db.session.commit()
        return None
    right = user.check_password(password or "")
    now = clock.now()
    if user.is_locked or not right or not user.active:
        why = ("compte verrouillé" if user.is_locked else "mot de passe erroné" if not right else "compte désactivé")
        record_audit("user.login_failed", user, f"Échec de connexion de {user.email} ({why}){origin}", actor=ANONYMOUS)
        if not right and not user.is_locked:
            user.failed_logins = (user.failed_logins or 0) + 1
            if user.failed_logins >= LOCK_AFTER_FAILURES:
                user.locked_until, user.failed_logins = now + LOCK_DURATION, 0
                record_audit("user.locked", user, f"Compte {user.email} verrouillé {LOCK_DURATION.seconds // 60} "
                             f"minutes après {LOCK_AFTER_FAILURES} mots de passe erronés", actor=user)
        db.session.commit()
        return None
    user.failed_logins, user.locked_until = 0, None
    record_audit("user.login", user, f"Connexion de {user.email}{origin}", actor=user)
    db.session.commit()
    return user


def unlock(user: User, *, actor=None) -> None:
    """Lift a lock before its end (an administrator, from the command line); audited."""
    user.failed_logins, user.locked_until = 0, None
    record_audit("user.unlocked", user, f"Compte {user.email} déverrouillé", actor=actor)


class _DummyAccount:
    """A password hash computed once per method, checked when the e-mail is unknown."""

    hashes: dict[str, str] = {}

    def check_password(self, password: str) -> bool:
        method = current_app.config.get("PASSWORD_HASH_METHOD", "scrypt")
        if method not in self.hashes:
            self.hashes[method] = generate_password_hash(secrets.token_hex(16), method=method)
        return check_password_hash(self.hashes[method], password)


_DUMMY = _DummyAccount()


def create_token(user: User, days: int | None = None, label: str | None = None) -> str:
    """A new API token for the user, valid ``days`` days (API_TOKEN_DAYS by default); the clear value is returned
    once and never stored."""
    days = days or current_app.config["API_TOKEN_DAYS"]
    token = "hdp_" + secrets.token_urlsafe(32)
    api_token = ApiToken(user_id=user.id, token_hash=ApiToken.hash(token), prefix=token[:12], label=label or None,
                         expires_at=clock.now() + timedelta(days=days))
    db.session.add(api_token)
    db.session.flush()
    record_audit("token.create", user, f"Jeton d'API {api_token.prefix}… créé pour {user.email}, valable "
                 f"{days} jours")
    return token


@cache
def _token_query():
    """A token by its hash, with its user and the organisations the user's scope reads: one query per API request.
    Built once (on first use, once the models are mapped): SQLAlchemy then keeps its cache key, which it would
    compute again for a statement built per request."""
    return select(ApiToken).where(ApiToken.token_hash == bindparam("token_hash")).options(
        joinedload(ApiToken.user).joinedload(User.organisations))


def user_for_token(token: str) -> User | None:
    if not token:
        return None
    api_token = db.session.scalars(_token_query(), {"token_hash": ApiToken.hash(token)}).unique().first()
    if api_token is None or api_token.revoked or not api_token.user.active:
        return None
    if clock.has_passed(api_token.expires_at):
        return None
    return api_token.user


def change_password(user: User, current: str, new: str) -> None:
    """The user's own new password, after the current one; every other session of the user ends (the caller signs
    this one in again)."""
    if not user.check_password(current or ""):
        raise DomainError("Le mot de passe actuel est incorrect.")
    set_new_password(user, new, ["le nouveau mot de passe doit différer de l'actuel"] if new == current else [])
    record_audit("user.password", user, f"Mot de passe de {user.email} changé par l'utilisateur", actor=user)


def set_new_password(user: User, password: str, problems: list[str] = ()) -> None:
    """The password policy applied, the password set, and every session of the user ended."""
    problems = [*password_problems(password, user.email), *problems]
    if problems:
        raise DomainError("Mot de passe refusé : " + " ; ".join(problems) + ".")
    user.set_password(password)
    user.session_version = (user.session_version or 1) + 1
