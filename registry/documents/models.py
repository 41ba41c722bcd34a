"""TemplateVersion: every version of a convention template ever used, so a draft can name the one it came from."""

from datetime import datetime

from sqlalchemy import JSON, DateTime, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from registry.core.models import utcnow
from registry.extensions import db

SOURCE_SHIPPED = "shipped"
SOURCE_UPLOAD = "upload"


class TemplateVersion(db.Model):
    __tablename__ = "template_versions"
    __table_args__ = (UniqueConstraint("code", "version"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    #: Template code from its manifest (e.g. "second_recours").
    code: Mapped[str] = mapped_column(String(60), index=True)
    #: 1, 2, 3... per code, in the order the versions arrived.
    version: Mapped[int]
    name: Mapped[str] = mapped_column(String(200))
    #: SHA-256 of the .docx; its bytes live in the document store under that name.
    sha256: Mapped[str] = mapped_column(String(64))
    size: Mapped[int]
    manifest: Mapped[dict] = mapped_column(JSON)
    #: "shipped" (from convention_templates/) or "upload" (by an administrator).
    source: Mapped[str] = mapped_column(String(10))
    uploaded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    uploaded_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    @property
    def label(self) -> str:
        return f"{self.name} (version {self.version})"
