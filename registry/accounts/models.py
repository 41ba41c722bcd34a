"""User accounts (roles admin, hospital, ars) and hashed API tokens."""

import hashlib
from datetime import datetime

from flask import current_app, has_app_context
from flask_login import UserMixin
from sqlalchemy import Boolean, Column, DateTime, ForeignKey, Integer, String, Table
from sqlalchemy.orm import Mapped, mapped_column, relationship
from werkzeug.security import check_password_hash, generate_password_hash

from registry.core import clock
from registry.core.models import TimestampMixin
from registry.extensions import db
from registry.organisations.models import Organisation

ROLE_ADMIN = "admin"
ROLE_HOSPITAL = "hospital"
ROLE_ARS = "ars"

#: Establishments a "hospital" user works for (by FINESS ET); they see and edit only those.
user_organisations = Table(
    "user_organisations",
    db.metadata,
    Column("user_id", ForeignKey("users.id", ondelete="CASCADE"), primary_key=True),
    Column("organisation_id", ForeignKey("organisations.id", ondelete="CASCADE"), primary_key=True),
)


class User(UserMixin, TimestampMixin, db.Model):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    display_name: Mapped[str | None] = mapped_column(String(120))
    password_hash: Mapped[str] = mapped_column(String(255))
    role: Mapped[str] = mapped_column(String(20))
    #: INSEE region code an "ars" user reads.
    region: Mapped[str | None] = mapped_column(String(2))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    #: Part of the session's user id: bumped at logout, so that every cookie issued before is refused.
    session_version: Mapped[int] = mapped_column(Integer, default=1, server_default="1")
    #: Wrong passwords in a row, and until when the account refuses every login (accounts/services.py).
    failed_logins: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    locked_until: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

    organisations: Mapped[list[Organisation]] = relationship(secondary=user_organisations, lazy="selectin")

    @property
    def is_active(self) -> bool:  # Flask-Login refuses inactive accounts
        return self.active

    def get_id(self) -> str:
        """What the session cookie holds: the id and the session version (accounts/sessions.py)."""
        return f"{self.id}:{self.session_version or 1}"

    def set_password(self, password: str) -> None:
        # Werkzeug's scrypt, a current memory-hard algorithm; tests may configure a cheaper method.
        method = current_app.config.get("PASSWORD_HASH_METHOD", "scrypt") if has_app_context() else "scrypt"
        self.password_hash = generate_password_hash(password, method=method)

    def check_password(self, password: str) -> bool:
        return check_password_hash(self.password_hash, password)

    @property
    def is_locked(self) -> bool:
        """Locked by wrong passwords in a row, until locked_until (accounts/services.py)."""
        return self.locked_until is not None and not clock.has_passed(self.locked_until)

    @property
    def is_admin(self) -> bool:
        return self.role == ROLE_ADMIN

    @property
    def label(self) -> str:
        return self.display_name or self.email

    def __repr__(self) -> str:
        return f"<User {self.email} {self.role}>"


class ApiToken(TimestampMixin, db.Model):
    """Only the SHA-256 of a token is stored; the token itself is shown once, at creation."""

    __tablename__ = "api_tokens"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    #: First characters of the token, to recognise it in a list without revealing it.
    prefix: Mapped[str] = mapped_column(String(12))
    revoked: Mapped[bool] = mapped_column(Boolean, default=False)
    #: What the token is for, as its owner's administrator named it.
    label: Mapped[str | None] = mapped_column(String(80))
    #: The token is refused from this instant on (tokens made before expiries existed have none).
    expires_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

    user: Mapped[User] = relationship(lazy="joined")

    @staticmethod
    def hash(token: str) -> str:
        return hashlib.sha256(token.encode()).hexdigest()


class PasswordReset(TimestampMixin, db.Model):
    """A one-time link to set a password, made by an administrator (a new account, a forgotten password).

    Like API tokens, only the SHA-256 of the link's secret is stored; it works once, until expires_at.
    """

    __tablename__ = "password_resets"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    expires_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    used_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

    user: Mapped[User] = relationship(lazy="joined")
