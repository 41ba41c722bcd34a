"""What the checker reads: small frozen records an adapter fills from the database (or a test by hand).

Codes are those of core.vocabulary; sequences may be given as lists and are stored as tuples or frozensets.
An unknown code or status raises ValueError, so a mapping mistake in the adapter fails loudly.
"""

from dataclasses import dataclass, fields
from datetime import date

from registry.conventions.statuses import Status
from registry.core.vocabulary import (ACTIVITIES, EQUIPMENT, LEGAL_BASES, LEGAL_STATUSES,
                                      PARTNER_TYPES, THEMES, unknown_codes)



#: Field names per record class: dataclasses.fields() is slow, and a national view builds tens of thousands.
_FIELD_NAMES: dict[type, tuple[str, ...]] = {}


def _freeze(record, vocabularies: dict) -> None:
    """Store every list as a tuple (or a frozenset for code sets) and check codes against their vocabulary."""
    names = _FIELD_NAMES.get(type(record))
    if names is None:
        names = _FIELD_NAMES[type(record)] = tuple(item.name for item in fields(record))
    for name in names:
        value = getattr(record, name)
        if name in vocabularies:
            if value is None:
                continue
            value = value if type(value) is frozenset else frozenset(value)
            vocabulary = vocabularies[name]
            if any(code not in vocabulary for code in value):
                raise ValueError(f"{type(record).__name__}.{name}: unknown codes "
                                 f"{unknown_codes(sorted(value), vocabulary)}")
        elif isinstance(value, list):
            value = tuple(value)
        else:
            continue
        object.__setattr__(record, name, value)


@dataclass(frozen=True)
class PartnerFacts:
    """A partner organisation as a party to a convention, or as a partner of the hospital."""

    name: str
    #: None for a partner outside FINESS (a CPTS association, an MMG).
    finess_et: str | None = None
    #: The types it plays for this hospital (its Partnership's types).
    partner_types: frozenset[str] = frozenset()
    departement: str | None = None
    #: INSEE code of its commune.
    commune_code: str | None = None
    #: FINESS number of its legal entity (to recognise the GHT's support establishment by its EJ).
    finess_ej: str | None = None

    def __post_init__(self):
        _freeze(self, {"partner_types": PARTNER_TYPES})

    def is_establishment(self, finess: str | None) -> bool:
        """Whether this partner is the establishment numbered ``finess`` (its site or its legal entity)."""
        return finess is not None and finess in (self.finess_et, self.finess_ej)

    @property
    def key(self) -> str:
        """Identity used to tell whether a partner of the hospital is party to a convention."""
        return self.finess_et or self.name


@dataclass(frozen=True)
class CpomFacts:
    """A CPOM covering the hospital: its period and how many applicable engagements it holds."""

    effective_on: date
    ends_on: date
    engagements: int = 0


@dataclass(frozen=True)
class HospitalFacts:
    finess_et: str
    name: str
    territory_departements: frozenset[str] = frozenset()
    territory_communes: frozenset[str] = frozenset()
    #: Activities it declares it runs itself (core.vocabulary.ACTIVITIES)...
    internal_activities: frozenset[str] = frozenset()
    #: ... and those the ARS has confirmed: only these prove or waive a requirement.
    confirmed_activities: frozenset[str] = frozenset()
    #: Equipment it declares it has itself (core.vocabulary.EQUIPMENT); None when not declared...
    own_equipment: frozenset[str] | None = None
    #: ... and the equipment the ARS has confirmed.
    confirmed_equipment: frozenset[str] = frozenset()
    #: Its partners (Partnership rows), with or without a convention: named when a requirement is missing.
    partners: tuple[PartnerFacts, ...] = ()
    #: The day the DG ARS listed it; None when not recorded.
    listed_on: date | None = None
    #: The day it was removed from the list (R6111-25 III); None while listed.
    removed_on: date | None = None
    #: « public » or « prive » (organisations.legal_status); None when unknown.
    legal_status: str | None = None
    #: FINESS number (ET or EJ) of its GHT's support establishment, GHT_SELF, or None when unknown.
    ght_support: str | None = None
    #: The CPOMs recorded that cover it (none: the CPOM requirement cannot be evaluated).
    cpoms: tuple[CpomFacts, ...] = ()

    def __post_init__(self):
        _freeze(self, {"internal_activities": ACTIVITIES, "confirmed_activities": ACTIVITIES,
                       "own_equipment": EQUIPMENT, "confirmed_equipment": EQUIPMENT})
        if self.legal_status is not None and self.legal_status not in LEGAL_STATUSES:
            raise ValueError(f"HospitalFacts.legal_status: unknown status {self.legal_status!r}")
        object.__setattr__(self, "territory_departements", frozenset(self.territory_departements))
        object.__setattr__(self, "territory_communes", frozenset(self.territory_communes))

    @property
    def has_territory(self) -> bool:
        return bool(self.territory_departements or self.territory_communes)

    def covers(self, partner: PartnerFacts) -> bool:
        """Whether a partner lies on the territory: its commune or its département belongs to it."""
        return ((partner.commune_code is not None and partner.commune_code in self.territory_communes)
                or (partner.departement is not None and partner.departement in self.territory_departements))


@dataclass(frozen=True)
class ConventionFacts:
    """A convention (not an avenant) as the law counts it: what it declares to cover, its status and dates."""

    reference: str
    status: Status
    partner_types: frozenset[str] = frozenset()
    themes: frozenset[str] = frozenset()
    #: The partner parties (the hospital itself is not listed).
    partners: tuple[PartnerFacts, ...] = ()
    signed_on: date | None = None
    #: First day in force; None: in force from its signature.
    effective_date: date | None = None
    #: Last day of the period that contains the evaluation date, computed by the caller; None: open-ended.
    end_date: date | None = None
    #: The convention renews at ``end_date`` unless terminated: the period's end is not an end.
    tacit_renewal: bool = False
    #: Under tacit renewal, its first period is over on the evaluation date (computed by the caller).
    renewed: bool = False
    #: The day the termination takes effect: no longer in force from that day on.
    terminated_on: date | None = None
    #: The day it was created in the application: before that, an unsigned convention did not exist.
    created_on: date | None = None
    #: The articles it rests on (core.vocabulary.LEGAL_BASES).
    legal_bases: frozenset[str] = frozenset()
    #: The day the hospital sent it to the ARS; None when not recorded.
    transmitted_on: date | None = None
    #: Its themes were declared by the hospital (registered convention), not read from a drafted document.
    themes_declared: bool = False
    #: Its signed copy's review (conventions.models): COPY_SET_ASIDE when its only copies are set aside by the
    #: signature check (its signature is not proven), COPY_CONFIRMED when its current copy was confirmed despite
    #: the alert; None otherwise.
    copy_alert: str | None = None

    def __post_init__(self):
        if not Status.known(self.status):
            raise ValueError(f"ConventionFacts.status: unknown status {self.status!r}")
        object.__setattr__(self, "status", Status(self.status))
        _freeze(self, {"partner_types": PARTNER_TYPES, "themes": THEMES, "legal_bases": LEGAL_BASES})
