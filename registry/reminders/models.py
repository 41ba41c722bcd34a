"""The record of the reminders sent (one row per recipient, subject, deadline and delay, so each goes out once), and
the users' calendar feeds."""

from datetime import date, datetime

from sqlalchemy import Date, DateTime, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from registry.accounts.models import User
from registry.core.models import utcnow
from registry.extensions import db


class SentReminder(db.Model):
    """A reminder that reached the SMTP server in a digest. Written only once the mail was accepted."""

    __tablename__ = "sent_reminders"
    __table_args__ = (UniqueConstraint("user_id", "subject", "deadline", "delay_days"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    #: The address the digest went to (the user's address may change later).
    email: Mapped[str] = mapped_column(String(254))
    #: due.KINDS: preavis, fin (a convention), statutaire (a statutory convention missing or late).
    kind: Mapped[str] = mapped_column(String(20))
    #: What the reminder is about, stable from one run to the next: « convention:12:preavis »,
    #: « statutaire:3:l6111_3_2 » (hospital id, requirement code).
    subject: Mapped[str] = mapped_column(String(120))
    hospital_id: Mapped[int] = mapped_column(ForeignKey("hospital_profiles.id", ondelete="CASCADE"), index=True)
    convention_id: Mapped[int | None] = mapped_column(ForeignKey("conventions.id", ondelete="CASCADE"), index=True)
    deadline: Mapped[date] = mapped_column(Date)
    #: The configured delay (days before the deadline) this reminder stood for; -1 (due.LATE) after the deadline.
    delay_days: Mapped[int]
    sent_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class CalendarFeed(db.Model):
    """A user's calendar feed (.ics): only the SHA-256 of its secret token is stored, the token is shown once.
    One per user; regenerating replaces the row, so the old address stops answering."""

    __tablename__ = "calendar_feeds"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), unique=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    user: Mapped[User] = relationship(lazy="joined")
