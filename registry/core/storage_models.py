"""Tables of the shared storage (DOCUMENT_STORE = "database"): documents, uploads held for a confirmation and the
cached PDF previews of drafts. Empty with the file-system store, whose files live in STORAGE_DIR and instance/."""

from datetime import datetime

from sqlalchemy import BigInteger, DateTime, ForeignKey, Integer, LargeBinary, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from registry.core.models import utcnow
from registry.extensions import db


class StoredDocument(db.Model):
    """One document of the content-addressed store: written once, named by the SHA-256 of its bytes."""

    __tablename__ = "stored_documents"

    sha256: Mapped[str] = mapped_column(String(64), primary_key=True)
    size: Mapped[int] = mapped_column(BigInteger)
    data: Mapped[bytes] = mapped_column(LargeBinary)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class HeldUpload(db.Model):
    """An upload waiting between its preview and its confirmation (core.holding); its files are its parts."""

    __tablename__ = "held_uploads"

    token: Mapped[str] = mapped_column(String(32), primary_key=True)
    #: The session key it waits under (one upload per key and user).
    key: Mapped[str] = mapped_column(String(100), index=True)
    user_id: Mapped[int] = mapped_column(Integer, index=True)
    #: What the uploading page recorded (file names, options), as JSON.
    meta: Mapped[str] = mapped_column(Text)
    size: Mapped[int] = mapped_column(BigInteger)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow, index=True)
    #: Set while a confirmation uses it: a second confirmation finds it taken.
    claimed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class HeldUploadPart(db.Model):
    __tablename__ = "held_upload_parts"

    token: Mapped[str] = mapped_column(String(32), ForeignKey("held_uploads.token", ondelete="CASCADE"),
                                       primary_key=True)
    name: Mapped[str] = mapped_column(String(50), primary_key=True)
    data: Mapped[bytes] = mapped_column(LargeBinary)


class PdfPreview(db.Model):
    """The PDF preview of a draft, kept in the document store: the draft's .docx SHA-256 -> the PDF's."""

    __tablename__ = "pdf_previews"

    draft_sha256: Mapped[str] = mapped_column(String(64), primary_key=True)
    pdf_sha256: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
