"""HospitalProfile (the HdP listing) and Partnership (one per hospital-partner pair)."""

from datetime import date

from sqlalchemy import JSON, Date, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from registry.core.models import TimestampMixin
from registry.extensions import db
from registry.organisations.models import Organisation


class HospitalProfile(TimestampMixin, db.Model):
    """An establishment listed as hôpital de proximité by the director general of the ARS."""

    __tablename__ = "hospital_profiles"

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"), unique=True)
    listed_on: Mapped[date | None] = mapped_column(Date)
    #: Reference of the ARS decision that lists the hospital (arrêté du DG ARS).
    decision_ref: Mapped[str | None] = mapped_column(String(120))
    #: Territory served: département codes and INSEE commune codes; a partner there is "on its territory".
    territory_departements: Mapped[list[str]] = mapped_column(JSON, default=list)
    territory_communes: Mapped[list[str]] = mapped_column(JSON, default=list)
    #: Activities run by the hospital itself (codes of core.vocabulary.ACTIVITIES).
    internal_activities: Mapped[list[str]] = mapped_column(JSON, default=list)

    organisation: Mapped[Organisation] = relationship(lazy="joined", innerjoin=True)
    partnerships: Mapped[list["Partnership"]] = relationship(
        back_populates="hospital", cascade="all, delete-orphan", order_by="Partnership.id")

    @property
    def finess_et(self) -> str | None:
        return self.organisation.finess_et

    @property
    def name(self) -> str:
        return self.organisation.display_name

    def covers(self, organisation: Organisation) -> bool:
        """Whether an organisation lies on this hospital's territory (commune or département)."""
        if organisation.commune_code and organisation.commune_code in (self.territory_communes or []):
            return True
        return bool(organisation.departement) and organisation.departement in (self.territory_departements or [])

    def __repr__(self) -> str:
        return f"<HospitalProfile {self.finess_et}>"


class Partnership(TimestampMixin, db.Model):
    __tablename__ = "partnerships"
    __table_args__ = (UniqueConstraint("hospital_id", "partner_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    hospital_id: Mapped[int] = mapped_column(ForeignKey("hospital_profiles.id"), index=True)
    partner_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"), index=True)
    #: Roles the partner plays for this hospital (codes of core.vocabulary.PARTNER_TYPES).
    partner_types: Mapped[list[str]] = mapped_column(JSON, default=list)
    #: What the partnership covers (codes of core.vocabulary.THEMES).
    themes: Mapped[list[str]] = mapped_column(JSON, default=list)
    notes: Mapped[str | None] = mapped_column(Text)
    started_on: Mapped[date | None] = mapped_column(Date)
    ended_on: Mapped[date | None] = mapped_column(Date)

    hospital: Mapped[HospitalProfile] = relationship(back_populates="partnerships")
    partner: Mapped[Organisation] = relationship(lazy="joined", innerjoin=True)

    def __repr__(self) -> str:
        return f"<Partnership {self.hospital_id}->{self.partner_id} {self.partner_types}>"
