"""AuditLog: one row per write, login attempt and download; shown on the hospital page and in the journal."""

from datetime import datetime

from sqlalchemy import JSON, DateTime, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from registry.accounts.models import User
from registry.core.models import utcnow
from registry.hospitals.models import HospitalProfile
from registry.extensions import db


class AuditLog(db.Model):
    __tablename__ = "audit_log"
    __table_args__ = (Index("ix_audit_log_hospital_at", "hospital_id", "at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    #: Who acted, as text, so the trail survives the deletion of an account ("système" for commands).
    actor_label: Mapped[str] = mapped_column(String(254))
    #: Machine-readable action, e.g. "partnership.create".
    action: Mapped[str] = mapped_column(String(60))
    object_type: Mapped[str] = mapped_column(String(40))
    object_id: Mapped[int | None]
    #: The hospital whose trail shows this entry, when there is one.
    hospital_id: Mapped[int | None] = mapped_column(ForeignKey("hospital_profiles.id", ondelete="SET NULL"))
    #: French sentence shown in the trail.
    summary: Mapped[str] = mapped_column(String(500))
    #: {"field": [before, after]} for updates.
    changes: Mapped[dict | None] = mapped_column(JSON)

    actor: Mapped[User | None] = relationship(lazy="joined")
    hospital: Mapped[HospitalProfile | None] = relationship()
