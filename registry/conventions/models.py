"""Convention, its parties and its documents; the lifecycle (issue 5) extends these tables."""

from datetime import date, datetime

from sqlalchemy import JSON, Boolean, Date, DateTime, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from registry.accounts.models import User
from registry.core.models import TimestampMixin, utcnow
from registry.documents.models import TemplateVersion
from registry.extensions import db
from registry.hospitals.models import HospitalProfile
from registry.organisations.models import Organisation

STATUS_DRAFT = "brouillon"
STATUSES = ("brouillon", "en_negociation", "a_signer", "signee", "resiliee")
PARTY_HOSPITAL = "hospital"
PARTY_PARTNER = "partner"
KIND_DRAFT = "draft"


class ReferenceCounter(db.Model):
    """The last reference number given per hospital and year; incremented in the creating transaction."""

    __tablename__ = "convention_reference_counters"

    hospital_id: Mapped[int] = mapped_column(ForeignKey("hospital_profiles.id", ondelete="CASCADE"),
                                             primary_key=True)
    year: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    last_number: Mapped[int] = mapped_column(default=0)


class Convention(TimestampMixin, db.Model):
    __tablename__ = "conventions"
    __table_args__ = (UniqueConstraint("hospital_id", "year", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    #: "<FINESS ET>-<year>-<number on 3 digits>", unique per hospital and year.
    reference: Mapped[str] = mapped_column(String(30), unique=True)
    hospital_id: Mapped[int] = mapped_column(ForeignKey("hospital_profiles.id"), index=True)
    year: Mapped[int]
    number: Mapped[int]
    title: Mapped[str] = mapped_column(String(300))
    #: Stored status (brouillon, en_negociation, a_signer, signee, resiliee); in force / expired are derived.
    status: Mapped[str] = mapped_column(String(20), default=STATUS_DRAFT)
    #: The template version it is drafted from; null for a convention drafted elsewhere and registered.
    template_version_id: Mapped[int | None] = mapped_column(ForeignKey("template_versions.id"))
    #: Optional clauses ticked (codes of the template's manifest).
    clauses: Mapped[list[str]] = mapped_column(JSON, default=list)
    #: Values of the template's own fields, as entered ({name: value}).
    fields: Mapped[dict] = mapped_column(JSON, default=dict)
    #: What the convention covers, which R6111-26 counts (codes of core.vocabulary).
    partner_types: Mapped[list[str]] = mapped_column(JSON, default=list)
    themes: Mapped[list[str]] = mapped_column(JSON, default=list)
    effective_date: Mapped[date | None] = mapped_column(Date)
    #: The duration is stored; the end date is derived from it (never both).
    duration_months: Mapped[int | None]
    tacit_renewal: Mapped[bool] = mapped_column(Boolean, default=True)
    notice_months: Mapped[int] = mapped_column(default=3)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))

    hospital: Mapped[HospitalProfile] = relationship()
    template_version: Mapped[TemplateVersion | None] = relationship()
    created_by: Mapped[User | None] = relationship()
    parties: Mapped[list["ConventionParty"]] = relationship(
        back_populates="convention", cascade="all, delete-orphan", order_by="ConventionParty.position")
    documents: Mapped[list["ConventionDocument"]] = relationship(
        back_populates="convention", cascade="all, delete-orphan", order_by="ConventionDocument.id")

    @property
    def partners(self) -> list["ConventionParty"]:
        return [party for party in self.parties if party.role == PARTY_PARTNER]

    @property
    def drafts(self) -> list["ConventionDocument"]:
        return [document for document in self.documents if document.kind == KIND_DRAFT]


class ConventionParty(db.Model):
    """A party to a convention (the hospital, one or more partners) and who signs for it."""

    __tablename__ = "convention_parties"
    __table_args__ = (UniqueConstraint("convention_id", "organisation_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    convention_id: Mapped[int] = mapped_column(ForeignKey("conventions.id", ondelete="CASCADE"), index=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"))
    role: Mapped[str] = mapped_column(String(10))
    position: Mapped[int] = mapped_column(default=0)
    signatory_name: Mapped[str | None] = mapped_column(String(120))
    #: The signatory's qualité (« Directeur », « Présidente »...).
    signatory_title: Mapped[str | None] = mapped_column(String(120))

    convention: Mapped[Convention] = relationship(back_populates="parties")
    organisation: Mapped[Organisation] = relationship(lazy="joined")


class ConventionDocument(db.Model):
    """A stored document of a convention: its drafts now, its signed copies next. Bytes are in the store."""

    __tablename__ = "convention_documents"
    __table_args__ = (UniqueConstraint("convention_id", "kind", "version"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    convention_id: Mapped[int] = mapped_column(ForeignKey("conventions.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(20))
    #: 1, 2, 3... per convention and kind.
    version: Mapped[int]
    sha256: Mapped[str] = mapped_column(String(64))
    size: Mapped[int]
    filename: Mapped[str] = mapped_column(String(200))
    media_type: Mapped[str] = mapped_column(String(120))
    template_version_id: Mapped[int | None] = mapped_column(ForeignKey("template_versions.id"))
    #: For a draft: the exact context it was rendered from, so it can be explained and rendered again.
    context: Mapped[dict | None] = mapped_column(JSON)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    convention: Mapped[Convention] = relationship(back_populates="documents")
    template_version: Mapped[TemplateVersion | None] = relationship()
    created_by: Mapped[User | None] = relationship()
