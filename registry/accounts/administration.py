"""What an administrator does to accounts from the « Utilisateurs » pages: create, attach, deactivate, reset a
password with a one-time link, revoke API tokens. Every operation is audited; they flush, the caller commits."""

import secrets
from datetime import timedelta

from flask import current_app
from sqlalchemy import select, update

from registry.accounts.models import ROLE_ARS, ApiToken, PasswordReset, User
from registry.accounts.services import ROLES, attachments, create_user, set_new_password
from registry.audit.services import record_audit
from registry.core import clock
from registry.core.errors import DomainError
from registry.extensions import db

ROLE_LABELS = {"admin": "Administrateur", "hospital": "Établissement", "ars": "ARS"}


def create_account(email: str, role: str, *, finess: list[str], region: str | None,
                   display_name: str | None) -> tuple[User, str]:
    """A new account and the one-time link its owner sets a password with (nobody else ever knows it)."""
    user = create_user(email, secrets.token_urlsafe(32), role, finess=finess, region=region,
                       display_name=display_name)
    return user, issue_password_link(user)


def update_account(user: User, *, role: str, finess: list[str], region: str | None,
                   display_name: str | None) -> None:
    """Role, attachments and name; audited with what changed."""
    if role not in ROLES:
        raise DomainError(f"rôle inconnu « {role} »")
    organisations = attachments(role, finess, region)
    before = _described(user)
    user.role, user.display_name = role, (display_name or "").strip() or None
    user.region = region if role == ROLE_ARS else None
    user.organisations = organisations
    after = _described(user)
    changes = {key: [before[key], after[key]] for key in before if before[key] != after[key]}
    if changes:
        record_audit("user.update", user, f"Compte {user.email} modifié", changes=changes)


def _described(user: User) -> dict:
    return {"rôle": ROLE_LABELS.get(user.role, user.role), "nom": user.display_name or "",
            "région": user.region or "",
            "établissements": ", ".join(sorted(o.finess_et or "" for o in user.organisations))}


def set_active(user: User, active: bool, actor: User) -> None:
    """Deactivating ends every session of the account at once and makes its tokens useless (they need an active
    account); an administrator cannot deactivate their own account."""
    if not active and user.id == actor.id:
        raise DomainError("Vous ne pouvez pas désactiver votre propre compte.")
    if user.active == active:
        return
    user.active = active
    user.session_version = (user.session_version or 1) + 1
    record_audit("user.activate" if active else "user.deactivate", user,
                 f"Compte {user.email} {'réactivé' if active else 'désactivé'}")


def issue_password_link(user: User) -> str:
    """A one-time secret for /compte/nouveau-mot-de-passe/<secret>; the user's earlier unused links stop working."""
    now = clock.now()
    db.session.execute(update(PasswordReset).where(PasswordReset.user_id == user.id,
                                                   PasswordReset.used_at.is_(None)).values(used_at=now))
    secret = secrets.token_urlsafe(32)
    hours = current_app.config["PASSWORD_LINK_HOURS"]
    db.session.add(PasswordReset(user_id=user.id, token_hash=ApiToken.hash(secret),
                                 expires_at=now + timedelta(hours=hours)))
    record_audit("user.password_link", user, f"Lien de définition du mot de passe créé pour {user.email}, "
                 f"valable {hours} heures")
    return secret


def password_link(secret: str) -> PasswordReset | None:
    """The unused, unexpired link of an active account with this secret, else None."""
    if not secret or len(secret) > 100:
        return None
    link = db.session.scalar(select(PasswordReset).where(PasswordReset.token_hash == ApiToken.hash(secret)))
    if link is None or link.used_at is not None or not link.user.active:
        return None
    return None if clock.has_passed(link.expires_at) else link


def use_password_link(link: PasswordReset, password: str) -> User:
    """Set the password the link was made for, once; every session of the account ends and its lock is lifted."""
    user = link.user
    set_new_password(user, password)
    user.failed_logins, user.locked_until = 0, None
    link.used_at = clock.now()
    record_audit("user.password", user, f"Mot de passe de {user.email} défini par lien à usage unique", actor=user)
    return user


def revoke_token(token: ApiToken) -> None:
    if token.revoked:
        return
    token.revoked = True
    record_audit("token.revoke", token.user, f"Jeton d'API {token.prefix}… de {token.user.email} révoqué")


def token_state(token: ApiToken) -> str:
    """« révoqué », « expiré » or « actif », as the list shows it."""
    if token.revoked:
        return "révoqué"
    if clock.has_passed(token.expires_at):
        return "expiré"
    return "actif"
