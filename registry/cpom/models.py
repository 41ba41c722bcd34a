"""A CPOM (of a legal entity, covering some of its HdP sites), its engagements, and each year's declaration with
its proofs. The statuses of a declaration are ``workflow.py``'s; dates are derived (five years, mid-term...)."""

from datetime import date, datetime, timedelta

from sqlalchemy import JSON, Date, DateTime, Float, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from registry.conventions.models import Convention
from registry.core.models import TimestampMixin, utcnow
from registry.documents.context import add_months
from registry.extensions import db
from registry.hospitals.models import HospitalProfile


class Cpom(TimestampMixin, db.Model):
    __tablename__ = "cpoms"

    id: Mapped[int] = mapped_column(primary_key=True)
    #: The legal entity that signs it with the ARS (FINESS EJ) and its name.
    finess_ej: Mapped[str | None] = mapped_column(String(9), index=True)
    name: Mapped[str] = mapped_column(String(200))
    region: Mapped[str | None] = mapped_column(String(2), index=True)
    signed_on: Mapped[date] = mapped_column(Date)
    effective_on: Mapped[date] = mapped_column(Date)
    duration_years: Mapped[int] = mapped_column(Integer, default=5)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    #: The catalogue its engagements are chosen from: an ARS's loaded sheet, or None for the built-in one.
    catalogue_id: Mapped[int | None] = mapped_column(ForeignKey("cpom_catalogues.id"))
    #: The signed CPOM (a PDF or office file checked by content, stored by SHA-256 like signed copies).
    signed_copy_sha256: Mapped[str | None] = mapped_column(String(64))
    signed_copy_filename: Mapped[str | None] = mapped_column(String(255))

    sites: Mapped[list[HospitalProfile]] = relationship(secondary="cpom_sites", order_by="HospitalProfile.id")
    engagements: Mapped[list["CpomEngagement"]] = relationship(
        back_populates="cpom", cascade="all, delete-orphan", order_by="CpomEngagement.id")
    catalogue: Mapped["CpomCatalogue | None"] = relationship()
    avenants: Mapped[list["CpomAvenant"]] = relationship(
        back_populates="cpom", cascade="all, delete-orphan", order_by="CpomAvenant.number")
    evaluations: Mapped[list["CpomEvaluation"]] = relationship(
        back_populates="cpom", cascade="all, delete-orphan", order_by="CpomEvaluation.held_on")

    @property
    def ends_on(self) -> date:
        return add_months(self.effective_on, 12 * self.duration_years) - timedelta(days=1)

    @property
    def midterm_due(self) -> date:
        """The mid-term evaluation (L6114-1: « à échéance de la moitié de la durée du contrat »)."""
        return add_months(self.effective_on, 6 * self.duration_years)

    @property
    def renewal_due(self) -> date:
        """The renewal request is due one year before the end (L6114-1)."""
        return add_months(self.ends_on + timedelta(days=1), -12)

    def in_force_on(self, day: date) -> bool:
        return self.effective_on <= day <= self.ends_on


class CpomSite(db.Model):
    __tablename__ = "cpom_sites"

    cpom_id: Mapped[int] = mapped_column(ForeignKey("cpoms.id", ondelete="CASCADE"), primary_key=True)
    hospital_id: Mapped[int] = mapped_column(ForeignKey("hospital_profiles.id"), primary_key=True, index=True)


class CpomEngagement(db.Model):
    __tablename__ = "cpom_engagements"
    __table_args__ = (UniqueConstraint("cpom_id", "indicator"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    cpom_id: Mapped[int] = mapped_column(ForeignKey("cpoms.id", ondelete="CASCADE"), index=True)
    #: The code of an entry of the CPOM's catalogue (catalogue.catalogue_of).
    indicator: Mapped[str] = mapped_column(String(60))
    #: The target: ">=", "<=", "=" a value in the indicator's unit, or "present" (yes, at least one item...).
    comparator: Mapped[str] = mapped_column(String(10))
    target_value: Mapped[float | None] = mapped_column(Float)
    applicable: Mapped[bool] = mapped_column(default=True)
    #: Why it does not apply (required then).
    reason: Mapped[str | None] = mapped_column(Text)

    #: The avenant that added it (None: in the CPOM as signed).
    avenant_id: Mapped[int | None] = mapped_column(ForeignKey("cpom_avenants.id", ondelete="SET NULL"))

    cpom: Mapped[Cpom] = relationship(back_populates="engagements")
    conventions: Mapped[list[Convention]] = relationship(secondary="cpom_engagement_conventions",
                                                         order_by="Convention.id")
    target_changes: Mapped[list["CpomTargetChange"]] = relationship(
        back_populates="engagement", cascade="all, delete-orphan", order_by="CpomTargetChange.id")
    declarations: Mapped[list["CpomDeclaration"]] = relationship(
        back_populates="engagement", cascade="all, delete-orphan", order_by="CpomDeclaration.year")


class CpomDeclaration(db.Model):
    __tablename__ = "cpom_declarations"
    __table_args__ = (UniqueConstraint("engagement_id", "year"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    engagement_id: Mapped[int] = mapped_column(ForeignKey("cpom_engagements.id", ondelete="CASCADE"), index=True)
    year: Mapped[int] = mapped_column(Integer)
    #: workflow.STATUSES (a year without a row is « non_declaree »).
    status: Mapped[str] = mapped_column(String(20))
    #: The value: a bool, a number (a ratio or percentage computed from numerator and denominator), or text.
    value: Mapped[object] = mapped_column(JSON, nullable=True)
    numerator: Mapped[float | None] = mapped_column(Float)
    denominator: Mapped[float | None] = mapped_column(Float)
    items: Mapped[list[str]] = mapped_column(JSON, default=list)
    #: Who gave the value: workflow.SOURCES (the establishment, or an activity-data import).
    source: Mapped[str] = mapped_column(String(20), default="etablissement")
    comment: Mapped[str | None] = mapped_column(Text)
    declared_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    declared_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    proof_due: Mapped[date | None] = mapped_column(Date)
    review_comment: Mapped[str | None] = mapped_column(Text)
    reviewed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    reviewed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

    engagement: Mapped[CpomEngagement] = relationship(back_populates="declarations")
    proofs: Mapped[list["CpomProof"]] = relationship(
        back_populates="declaration", cascade="all, delete-orphan", order_by="CpomProof.id")


class CpomProof(db.Model):
    __tablename__ = "cpom_proofs"

    id: Mapped[int] = mapped_column(primary_key=True)
    declaration_id: Mapped[int] = mapped_column(ForeignKey("cpom_declarations.id", ondelete="CASCADE"), index=True)
    sha256: Mapped[str] = mapped_column(String(64))
    size: Mapped[int] = mapped_column(Integer)
    filename: Mapped[str] = mapped_column(String(255))
    media_type: Mapped[str] = mapped_column(String(120))
    uploaded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    uploaded_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    declaration: Mapped[CpomDeclaration] = relationship(back_populates="proofs")


class CpomCatalogue(db.Model):
    """An ARS's own engagement sheet, loaded from CSV/XLSX: a version is never changed, a new load is a new row."""

    __tablename__ = "cpom_catalogues"

    id: Mapped[int] = mapped_column(primary_key=True)
    region: Mapped[str] = mapped_column(String(2), index=True)
    name: Mapped[str] = mapped_column(String(200))
    #: Where it comes from (the sheet and its author), shown with every engagement chosen from it.
    source: Mapped[str] = mapped_column(Text)
    #: The rows, as catalogue.Indicator.as_dict() gives them.
    entries: Mapped[list[dict]] = mapped_column(JSON)
    loaded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    loaded_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class CpomEngagementConvention(db.Model):
    __tablename__ = "cpom_engagement_conventions"

    engagement_id: Mapped[int] = mapped_column(ForeignKey("cpom_engagements.id", ondelete="CASCADE"),
                                               primary_key=True)
    convention_id: Mapped[int] = mapped_column(ForeignKey("conventions.id", ondelete="CASCADE"), primary_key=True,
                                               index=True)


class CpomAvenant(db.Model):
    """An avenant to the CPOM: the only way its engagements and targets change once the campaign has begun."""

    __tablename__ = "cpom_avenants"
    __table_args__ = (UniqueConstraint("cpom_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    cpom_id: Mapped[int] = mapped_column(ForeignKey("cpoms.id", ondelete="CASCADE"), index=True)
    number: Mapped[int] = mapped_column(Integer)
    signed_on: Mapped[date] = mapped_column(Date)
    #: From when its changes apply: a changed target is the one of the years from this date's year on.
    effective_on: Mapped[date] = mapped_column(Date)
    object: Mapped[str] = mapped_column(Text)
    signed_copy_sha256: Mapped[str | None] = mapped_column(String(64))
    signed_copy_filename: Mapped[str | None] = mapped_column(String(255))
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    cpom: Mapped[Cpom] = relationship(back_populates="avenants")


class CpomTargetChange(db.Model):
    """A target (or applicability) changed by an avenant: before and after, so each year keeps its own target."""

    __tablename__ = "cpom_target_changes"

    id: Mapped[int] = mapped_column(primary_key=True)
    engagement_id: Mapped[int] = mapped_column(ForeignKey("cpom_engagements.id", ondelete="CASCADE"), index=True)
    avenant_id: Mapped[int] = mapped_column(ForeignKey("cpom_avenants.id", ondelete="CASCADE"), index=True)
    comparator_before: Mapped[str] = mapped_column(String(10))
    value_before: Mapped[float | None] = mapped_column(Float)
    applicable_before: Mapped[bool] = mapped_column()
    comparator_after: Mapped[str] = mapped_column(String(10))
    value_after: Mapped[float | None] = mapped_column(Float)
    applicable_after: Mapped[bool] = mapped_column()
    reason: Mapped[str | None] = mapped_column(Text)
    changed_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    engagement: Mapped[CpomEngagement] = relationship(back_populates="target_changes")
    avenant: Mapped[CpomAvenant] = relationship()


class CpomEvaluation(db.Model):
    """A mid-term, final or annual evaluation: the years it gathers, each engagement's assessment at that date (kept
    as it was decided), and the minutes."""

    __tablename__ = "cpom_evaluations"

    id: Mapped[int] = mapped_column(primary_key=True)
    cpom_id: Mapped[int] = mapped_column(ForeignKey("cpoms.id", ondelete="CASCADE"), index=True)
    #: evaluation.KINDS: mi_parcours, finale, annuelle.
    kind: Mapped[str] = mapped_column(String(20))
    held_on: Mapped[date] = mapped_column(Date)
    first_year: Mapped[int] = mapped_column(Integer)
    last_year: Mapped[int] = mapped_column(Integer)
    minutes: Mapped[str | None] = mapped_column(Text)
    #: [{"engagement": id, "indicator": code, "years": {year: assessment}, "overall": assessment}]
    results: Mapped[list[dict]] = mapped_column(JSON)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    cpom: Mapped[Cpom] = relationship(back_populates="evaluations")
