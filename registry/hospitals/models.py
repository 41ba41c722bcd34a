"""HospitalProfile (the HdP listing) and Partnership (one per hospital-partner pair)."""

from datetime import date

from sqlalchemy import JSON, Date, ForeignKey, String, Text, UniqueConstraint, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from registry.core.models import TimestampMixin
from registry.extensions import db
from registry.organisations.legal_status import finess_legal_status
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
    #: Activities the hospital declares it runs itself (codes of core.vocabulary.ACTIVITIES)...
    internal_activities: Mapped[list[str]] = mapped_column(JSON, default=list)
    #: ... and those of them the ARS has confirmed: only a confirmed one proves or waives a requirement.
    confirmed_activities: Mapped[list[str]] = mapped_column(JSON, default=list, server_default=text("'[]'"))
    #: Equipment it declares it has itself (core.vocabulary.EQUIPMENT); None: not declared. The ARS confirms.
    own_equipment: Mapped[list[str] | None] = mapped_column(JSON)
    confirmed_equipment: Mapped[list[str]] = mapped_column(JSON, default=list, server_default=text("'[]'"))
    #: « public » or « prive » as the ARS records it; None: as FINESS tells (``legal_status_known``).
    legal_status: Mapped[str | None] = mapped_column(String(10))
    #: The support establishment of its GHT (L6111-3-3): its FINESS number (ET or EJ), « self » when the HdP
    #: belongs to the support establishment itself, None when unknown.
    ght_support: Mapped[str | None] = mapped_column(String(9))
    #: Removal from the regional list (R6111-25 III): the day and the ground (core.vocabulary.REMOVAL_GROUNDS).
    removed_on: Mapped[date | None] = mapped_column(Date)
    removal_ground: Mapped[str | None] = mapped_column(String(1))

    organisation: Mapped[Organisation] = relationship(lazy="joined", innerjoin=True)
    partnerships: Mapped[list["Partnership"]] = relationship(
        back_populates="hospital", cascade="all, delete-orphan", order_by="Partnership.id")

    @property
    def finess_et(self) -> str | None:
        return self.organisation.finess_et

    @property
    def name(self) -> str:
        return self.organisation.display_name

    @property
    def legal_status_known(self) -> str | None:
        """« public » or « prive »: as the ARS recorded it, else as FINESS tells; None when neither does."""
        return self.legal_status or finess_legal_status(self.organisation)

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
