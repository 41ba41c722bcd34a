"""Organisation: every party of a partnership, from FINESS or created by hand (a CPTS association...)."""

from datetime import date

from sqlalchemy import JSON, Date, Float, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from registry.core.geography import departement_label, region_label
from registry.core.models import TimestampMixin
from registry.extensions import db
from registry.organisations.categories import partner_types_for_category

SOURCE_FINESS = "finess"
SOURCE_MANUAL = "manual"


def display_name(long_name: str | None, name: str) -> str:
    """How an organisation is named to people: its long name when FINESS gives one, else its name."""
    return long_name or name


class Organisation(TimestampMixin, db.Model):
    __tablename__ = "organisations"
    __table_args__ = (
        Index("ix_organisations_departement_category", "departement", "category_code"),
        Index("ix_organisations_region", "region"),
        Index("ix_organisations_finess_ej", "finess_ej"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    #: FINESS number of the site (entité géographique); null for partners outside FINESS.
    finess_et: Mapped[str | None] = mapped_column(String(9), unique=True)
    #: FINESS number of the legal entity (entité juridique) that runs the site.
    finess_ej: Mapped[str | None] = mapped_column(String(9))
    name: Mapped[str] = mapped_column(String(200))
    long_name: Mapped[str | None] = mapped_column(String(200))
    name_complement: Mapped[str | None] = mapped_column(String(100))
    #: FINESS "categetab" (3 digits) and its label as printed in the extract.
    category_code: Mapped[str | None] = mapped_column(String(3))
    category_label: Mapped[str | None] = mapped_column(String(120))
    #: FINESS "categagretab" (4 digits), the aggregated category.
    aggregate_code: Mapped[str | None] = mapped_column(String(4))
    aggregate_label: Mapped[str | None] = mapped_column(String(120))
    #: Street address as one line ("900 RTE DE PARIS"); distribution complement and lieu-dit/BP kept apart.
    address: Mapped[str | None] = mapped_column(String(200))
    address_complement: Mapped[str | None] = mapped_column(String(100))
    locality: Mapped[str | None] = mapped_column(String(100))
    postal_code: Mapped[str | None] = mapped_column(String(5))
    city: Mapped[str | None] = mapped_column(String(100))
    #: INSEE code of the commune (5 characters), when known.
    commune_code: Mapped[str | None] = mapped_column(String(5), index=True)
    departement: Mapped[str | None] = mapped_column(String(2))
    #: INSEE region code, derived from the département (see core.geography).
    region: Mapped[str | None] = mapped_column(String(2))
    siret: Mapped[str | None] = mapped_column(String(14))
    #: Répertoire national des associations number (W + 9 digits), for associations outside FINESS.
    rna: Mapped[str | None] = mapped_column(String(10))
    #: Who legally represents a partner outside FINESS (« Mme Claire Martin ») and as what (« Présidente »):
    #: what its conventions' drafts print when no other signatory is given.
    representative_name: Mapped[str | None] = mapped_column(String(120))
    representative_title: Mapped[str | None] = mapped_column(String(120))
    phone: Mapped[str | None] = mapped_column(String(20))
    fax: Mapped[str | None] = mapped_column(String(20))
    ape_code: Mapped[str | None] = mapped_column(String(6))
    #: Public-service status (codesph): 1 EPS, 6 ESPIC, 0 not concerned.
    sph_code: Mapped[str | None] = mapped_column(String(2))
    sph_label: Mapped[str | None] = mapped_column(String(120))
    opened_on: Mapped[date | None] = mapped_column(Date)
    authorised_on: Mapped[date | None] = mapped_column(Date)
    #: Last update date of the row in FINESS (datemaj).
    finess_updated_on: Mapped[date | None] = mapped_column(Date)
    latitude: Mapped[float | None] = mapped_column(Float)
    longitude: Mapped[float | None] = mapped_column(Float)
    #: "finess" when the row comes from an import, "manual" when created by a user.
    source: Mapped[str] = mapped_column(String(10), default=SOURCE_FINESS)
    #: Partner types chosen by hand for an organisation outside FINESS (a CPTS, an MMG...).
    manual_partner_types: Mapped[list[str]] = mapped_column(JSON, default=list)
    notes: Mapped[str | None] = mapped_column(Text)

    #: Its hôpital de proximité profile when it is one, else None (read only: the profile holds the link). Loaded
    #: on first access, or with the organisation where a query asks for it (a draft's parties).
    hospital_profile = relationship("HospitalProfile", primaryjoin="HospitalProfile.organisation_id == Organisation.id",
                                    foreign_keys="HospitalProfile.organisation_id", viewonly=True, uselist=False)

    @property
    def partner_types(self) -> list[str]:
        """Partner types this organisation can play: from its FINESS category, or chosen by hand."""
        derived = partner_types_for_category(self.category_code)
        return list(dict.fromkeys([*derived, *(self.manual_partner_types or [])])) or ["other"]

    @property
    def display_name(self) -> str:
        return display_name(self.long_name, self.name)

    @property
    def identifier(self) -> str:
        if self.finess_et:
            return f"FINESS {self.finess_et}"
        if self.siret:
            return f"SIRET {self.siret}"
        if self.rna:
            return f"RNA {self.rna}"
        return "sans identifiant"

    @property
    def representative(self) -> tuple[str, str]:
        """(name, title) of the legal representative recorded, « » for what is unknown."""
        return self.representative_name or "", self.representative_title or ""

    @property
    def town(self) -> str:
        """The commune's name: the city recorded, else the official name of the INSEE code (« » when unknown)."""
        if self.city or not self.commune_code:
            return self.city or ""
        from registry.organisations.communes import find_commune  # the list is read on first use only

        commune = find_commune(self.commune_code)
        return commune.name if commune else ""

    @property
    def departement_label(self) -> str:
        return departement_label(self.departement)

    @property
    def region_label(self) -> str:
        return region_label(self.region)

    def __repr__(self) -> str:
        return f"<Organisation {self.finess_et or self.id} {self.name!r}>"
