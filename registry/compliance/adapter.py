"""From the database to the checker: the facts of a set of hospitals, read in a constant number of queries.

``evaluate_hospitals`` is the one entry point of the pages, the exports, the `compliance` command and
GET /api/v1/compliance, so a verdict reads the same wherever it is shown.

It runs five queries whatever the number of hospitals: the hospitals with their establishment; their partnerships
with each partner's place; their main conventions (avenants excluded); the partner parties of those conventions;
the CPOMs covering them.
A sixth reads the place of the parties that are not (or no longer) partners of their hospital, only when there are
some. Columns are selected rather than ORM objects, because a national view reads tens of thousands of rows.

The rows of one hospital are its whole input: the checker is a pure function, so its verdicts are memoised on
(the rows, the day, the rule set). A change to any row the checker reads is a different key, so the memo can never
serve a stale verdict; it only spares re-evaluating the hospitals nothing changed for. Measured at national scale
(benchmarks/compliance_dashboard.py: 400 hospitals, 10,000 conventions), reading the rows takes about 70 ms and
building the facts and evaluating them about 600 ms more; the memo keeps the second part for the first request of
the day (the day is in the key) and for hospitals whose rows changed.

The first part is spared too when nothing was committed since the same call (same hospitals' select, day and rule
set): the database's data version (core/data_version.py), read before the rows, then equals the one read before the
rows of that call, whose results are given again. A commit anywhere, by any process, changes the version: the
results are computed again from the rows, and the memo still spares the hospitals whose rows did not change.
"""

import gc
import json
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import lru_cache
from types import MappingProxyType, SimpleNamespace

from sqlalchemy import Integer, Select, Text, bindparam, cast, func, select, type_coerce

from registry.compliance.checker import evaluate
from registry.compliance.facts import ConventionFacts, CpomFacts, HospitalFacts, PartnerFacts
from registry.compliance.rules import CURRENT, RuleSet
from registry.compliance.verdicts import Verdict
from registry.conventions.lifecycle import period_end, renewed_by
from registry.conventions.models import (COPY_CONFIRMED, COPY_SET_ASIDE, KIND_SIGNED, PARTY_PARTNER, Convention,
                                         ConventionDocument, ConventionParty)
from registry.core import clock
from registry.core.data_version import UnchangedCache, data_version
from registry.cpom.models import Cpom, CpomEngagement, CpomSite
from registry.documents.context import add_months
from registry.extensions import db
from registry.hospitals.models import HospitalProfile, Partnership
from registry.organisations.legal_status import finess_legal_status
from registry.organisations.models import Organisation

#: Where an establishment is, as PartnerFacts reads it: FINESS ET, name, long name, département, commune, and the
#: FINESS EJ of its legal entity.
_PLACE = (Organisation.finess_et, Organisation.name, Organisation.long_name, Organisation.departement,
          Organisation.commune_code, Organisation.finess_ej)
#: What the texts in force read of the hospital, after its place: listing and removal days, legal status (its own,
#: then FINESS's columns for the fallback), GHT support, the activities and equipment confirmed or declared.
_LEGAL = (cast(HospitalProfile.listed_on, Text), cast(HospitalProfile.removed_on, Text), HospitalProfile.legal_status,
          HospitalProfile.ght_support, cast(HospitalProfile.confirmed_activities, Text),
          cast(HospitalProfile.own_equipment, Text), cast(HospitalProfile.confirmed_equipment, Text),
          Organisation.sph_code, Organisation.category_code, Organisation.source)
#: The Organisation columns finess_legal_status reads, in _LEGAL's order.
_FINESS_STATUS = ("sph_code", "category_code", "source")
#: (hospital, day) verdicts kept per rule set, least recently used dropped first: a national view on two days
#: (about 300 hospitals each); an entry (its rows and its verdicts) weighs about 65 KB at 25 conventions a hospital.
MEMO_SIZE = 1000
#: The results of evaluate_hospitals by (hospitals' select, day, rule set), kept while no data changed
#: (core/data_version.py): a request that finds nothing changed reads no rows.
_unchanged = UnchangedCache()


@dataclass(frozen=True)
class PartnershipLink:
    """A partnership of the hospital, for « Rédiger la convention manquante » (its id preselects the partner)."""

    id: int
    partner: PartnerFacts
    #: Whether the partner is a party to one of the hospital's main conventions, whatever its status.
    has_convention: bool


@dataclass(frozen=True)
class HospitalCompliance:
    """One hospital's verdicts on a day, with what the pages need to link them. Shared: never modify it."""

    hospital_id: int
    facts: HospitalFacts
    departement: str | None
    at: date
    verdicts: tuple[Verdict, ...]
    #: Convention id by reference, to link every evidence and discarded convention to its page.
    convention_ids: MappingProxyType = field(default_factory=lambda: MappingProxyType({}), compare=False)
    partnerships: tuple[PartnershipLink, ...] = ()

    @property
    def finess_et(self) -> str:
        return self.facts.finess_et

    @property
    def name(self) -> str:
        return self.facts.name

    def verdict(self, code: str) -> Verdict:
        return next(item for item in self.verdicts if item.code == code)

    def as_dict(self) -> dict:
        """The GET /compliance hospital entry (docs/interface.md), with the département added."""
        return {"finess_et": self.finess_et, "name": self.name, "departement": self.departement,
                "requirements": [item.as_dict() for item in self.verdicts]}


@dataclass(frozen=True)
class HospitalRows:
    """Everything the checker reads about one hospital, as the database returned it: hashable, the memo's key."""

    #: (id, territory départements, territory communes, activities (JSON texts), *place, *legal facts (_LEGAL)).
    hospital: tuple
    #: Each row below starts with the hospital id.
    #: (_, partnership id, partner organisation id, partner types (JSON text), *place), by id.
    partnerships: tuple = ()
    #: (_, id, reference, status (its code), partner types, themes (JSON texts), signed_on, effective_date (texts),
    #: duration_months, tacit_renewal, terminated_on, created_at (texts), legal bases (JSON text),
    #: transmitted_to_ars_on (text), registered (no template: declared themes), current copy's review, a copy set
    #: aside (the three flags as the driver returns them: 0/1 or booleans)), by id. Dates are read as text: parsing
    #: ten thousand of them on every request cost more than the checker's memo saves; they are parsed on a miss.
    conventions: tuple = ()
    #: (_, convention id, organisation id) of every partner party, in the parties' order.
    parties: tuple = ()
    #: (_, organisation id, *place) of the parties that are not partners of the hospital.
    strangers: tuple = ()
    #: (_, CPOM id, effective_on (text), duration in years, applicable engagements) of the CPOMs covering it.
    cpoms: tuple = ()

    def __hash__(self) -> int:
        """The hospital's id: equal rows have equal hashes, and the memo's hit is decided by comparing every row
        (__eq__), so hashing the thirty thousand values too would only cost time on every request."""
        return hash(self.hospital[0])


def filter_hospitals(scope: Select, *, region: str | None = None, departement: str | None = None,
                     finess_et: str | None = None) -> Select:
    """The hospitals of a scope (core.scope.visible_hospitals) narrowed by region, département or number, by the
    name they are shown with.

    The filters narrow the scope, never widen it: an ARS asking for another region gets no hospital.
    """
    query = scope
    if region:
        query = query.where(Organisation.region == region)
    if departement:
        query = query.where(Organisation.departement == departement)
    if finess_et:
        query = query.where(Organisation.finess_et == finess_et)
    return query.order_by(func.coalesce(Organisation.long_name, Organisation.name), HospitalProfile.id)


def evaluate_hospitals(hospitals: Select, at: date | None = None,
                       ruleset: RuleSet = CURRENT) -> list[HospitalCompliance]:
    """The verdicts of every hospital ``hospitals`` selects (HospitalProfile joined to its Organisation, as
    visible_hospitals() builds it), in its order, on ``at`` (default today). Five or six queries after the data
    version's; that one alone when nothing was committed since the same call."""
    at = at or clock.today()
    connection = db.session.connection()
    version = data_version(connection)  # before the rows: what is kept with it was read after it
    key = (_statement_key(hospitals, connection.dialect), at, ruleset)
    results = _unchanged.get(version, key)
    if results is None:
        evaluated = _memo(ruleset)
        with _collector_paused():
            results = tuple(evaluated(rows, at) for rows in load_rows(hospitals))
        _unchanged.put(version, key, results)
    return list(results)


def _statement_key(statement: Select, dialect) -> tuple:
    """The hospitals' select as SQL and parameters: equal for two selects that read the same hospitals."""
    compiled = statement.compile(dialect=dialect)
    return compiled.string, tuple(sorted((name, tuple(value) if isinstance(value, list) else value)
                                         for name, value in compiled.params.items()))


@contextmanager
def _collector_paused():
    """No cyclic garbage collection while the rows are read and evaluated.

    A national view reads about 30,000 short-lived rows, which trigger collections of a heap they are not
    garbage in (they are freed by reference counting when the call returns): measured, half the calls paid
    100 ms or more of collection. Objects that outlive the call are collected as usual afterwards.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _driver_value(flag):
    """A boolean column or condition read as the driver returns it (SQLite's 0/1 without SQLAlchemy's conversion to
    bool, which costs a call per row): for a column only tested for truth."""
    return type_coerce(flag, Integer)


#: The hospitals' ids, bound as one expanding parameter: one statement whatever their number.
_IDS = bindparam("hospital_ids", expanding=True)
#: Built once: the statements below only change by the ids they are given.
_PARTNERSHIPS = (select(Partnership.hospital_id, Partnership.id, Partnership.partner_id,
                        cast(Partnership.partner_types, Text), *_PLACE)
                 .join(Organisation, Organisation.id == Partnership.partner_id)
                 .where(Partnership.hospital_id.in_(_IDS)).order_by(Partnership.id))
#: The review of a convention's current signed copy ('' without alert; NULL without current copy), and whether
#: one of its copies is set aside: what ConventionFacts.copy_alert is made of.
_CURRENT_COPY_REVIEW = (select(func.coalesce(ConventionDocument.review, ""))
                        .where(ConventionDocument.convention_id == Convention.id,
                               ConventionDocument.kind == KIND_SIGNED, ConventionDocument.usable_clause())
                        .order_by(ConventionDocument.version.desc()).limit(1).correlate(Convention).scalar_subquery())
_COPY_SET_ASIDE = (select(ConventionDocument.id)
                   .where(ConventionDocument.convention_id == Convention.id, ConventionDocument.kind == KIND_SIGNED,
                          ConventionDocument.review == COPY_SET_ASIDE).correlate(Convention).exists())
#: Every column is read as the driver returns it, with no conversion per row: the status as its code (ConventionFacts
#: makes it a Status), the three flags as SQLite's 0/1 or PostgreSQL's booleans (only their truth is read).
_CONVENTIONS = (select(Convention.hospital_id, Convention.id, Convention.reference, cast(Convention.status, Text),
                       cast(Convention.partner_types, Text), cast(Convention.themes, Text),
                       cast(Convention.signed_on, Text), cast(Convention.effective_date, Text),
                       Convention.duration_months, _driver_value(Convention.tacit_renewal),
                       cast(Convention.terminated_on, Text), cast(Convention.created_at, Text),
                       cast(Convention.legal_bases, Text), cast(Convention.transmitted_to_ars_on, Text),
                       _driver_value(Convention.template_version_id.is_(None)), _CURRENT_COPY_REVIEW,
                       _driver_value(_COPY_SET_ASIDE))
                .where(Convention.hospital_id.in_(_IDS), Convention.parent_id.is_(None)).order_by(Convention.id))
_CPOMS = (select(CpomSite.hospital_id, Cpom.id, cast(Cpom.effective_on, Text), Cpom.duration_years,
                 select(func.count(CpomEngagement.id)).where(CpomEngagement.cpom_id == Cpom.id,
                                                             CpomEngagement.applicable.is_(True))
                 .correlate(Cpom).scalar_subquery())
          .join(Cpom, Cpom.id == CpomSite.cpom_id).where(CpomSite.hospital_id.in_(_IDS))
          .order_by(CpomSite.hospital_id, Cpom.id))
_PARTIES = (select(Convention.hospital_id, ConventionParty.convention_id, ConventionParty.organisation_id)
            .join(Convention, Convention.id == ConventionParty.convention_id)
            .where(Convention.hospital_id.in_(_IDS), Convention.parent_id.is_(None),
                   ConventionParty.role == PARTY_PARTNER)
            .order_by(ConventionParty.convention_id, ConventionParty.position, ConventionParty.id))


def load_rows(hospitals: Select) -> list[HospitalRows]:
    """The rows of every selected hospital, in the select's order."""
    connection = db.session.connection()
    found = connection.execute(hospitals.with_only_columns(
        HospitalProfile.id, cast(HospitalProfile.territory_departements, Text),
        cast(HospitalProfile.territory_communes, Text), cast(HospitalProfile.internal_activities, Text),
        *_PLACE, *_LEGAL)).all()
    if not found:
        return []
    ids = {"hospital_ids": [row[0] for row in found]}
    partnerships = _grouped(connection, _PARTNERSHIPS, ids)
    conventions = _grouped(connection, _CONVENTIONS, ids)
    parties = _grouped(connection, _PARTIES, ids)
    cpoms = _grouped(connection, _CPOMS, ids)
    strangers = _strangers(connection, partnerships, parties)
    return [HospitalRows(tuple(row), partnerships.get(row[0], ()), conventions.get(row[0], ()),
                         parties.get(row[0], ()), strangers.get(row[0], ()), cpoms.get(row[0], ())) for row in found]


def _strangers(connection, partnerships: dict, parties: dict) -> dict[int, tuple]:
    """The place of each party that is not a partner of its hospital (a partnership removed since), grouped by
    hospital; one more query, only when there is such a party."""
    wanted = set()
    for hospital_id, rows in parties.items():
        partners = {row[2] for row in partnerships.get(hospital_id, ())}
        wanted.update((hospital_id, row[2]) for row in rows if row[2] not in partners)
    wanted = sorted(wanted)
    if not wanted:
        return {}
    places = {row[0]: row[1:] for row in connection.execute(
        select(Organisation.id, *_PLACE).where(Organisation.id.in_(sorted({org for _, org in wanted}))))}
    grouped: dict[int, list] = {}
    for hospital_id, organisation_id in wanted:
        grouped.setdefault(hospital_id, []).append((hospital_id, organisation_id, *places[organisation_id]))
    return {hospital_id: tuple(rows) for hospital_id, rows in grouped.items()}


def _grouped(connection, statement: Select, parameters: dict) -> dict[int, tuple]:
    """The rows of a statement whose first column is a hospital id, grouped by it, each group a tuple of rows (kept
    as returned: plain tuples, because they are compared as memo keys and a Row's comparison is slow)."""
    groups: dict[int, list] = {}
    for row in _plain_rows(connection, statement, parameters):
        groups.setdefault(row[0], []).append(row)
    return {hospital_id: tuple(rows) for hospital_id, rows in groups.items()}


def _plain_rows(connection, statement: Select, parameters: dict) -> list[tuple]:
    """A statement's rows as tuples: the driver's own when SQLAlchemy converts none of its columns (the statements
    above read dates as text and flags as the driver returns them), which spares making a Row of each row and then
    a tuple of the Row; otherwise the converted Rows, made tuples."""
    result = connection.execute(statement, parameters)
    if _converted(statement, connection.dialect):
        return list(map(tuple, result.all()))
    try:
        return result.cursor.fetchall()
    finally:
        result.close()


@lru_cache(maxsize=32)
def _converted(statement: Select, dialect) -> bool:
    """Whether SQLAlchemy converts what the driver returns for one of the statement's columns (a date, a boolean
    on SQLite, a status...). Asked without the driver's column type, which only numeric types read (on PostgreSQL):
    the statements above have none."""
    return any(column.type.dialect_impl(dialect).result_processor(dialect, None) is not None
               for column in statement.selected_columns)


@lru_cache(maxsize=8)
def _memo(ruleset: RuleSet):
    """The memoised evaluation of one hospital's rows under ``ruleset`` (one memo per rule set)."""
    @lru_cache(maxsize=MEMO_SIZE)
    def evaluated(rows: HospitalRows, at: date) -> HospitalCompliance:
        return compliance_of(rows, at, ruleset)
    return evaluated


def compliance_of(rows: HospitalRows, at: date, ruleset: RuleSet = CURRENT) -> HospitalCompliance:
    """Build the facts from one hospital's rows and evaluate them (no memo, no query)."""
    facts, conventions, partners = facts_of(rows, at)
    with_convention = {values[2] for values in rows.parties}
    links = tuple(PartnershipLink(values[1], partners[values[2]], values[2] in with_convention)
                  for values in rows.partnerships)
    return HospitalCompliance(
        rows.hospital[0], facts, rows.hospital[7], at, tuple(evaluate(facts, conventions, at, ruleset)),
        MappingProxyType({values[2]: values[1] for values in rows.conventions}), links)


def facts_of(rows: HospitalRows, at: date) -> tuple[HospitalFacts, list[ConventionFacts], dict[int, PartnerFacts]]:
    """What the checker reads: the hospital, its main conventions on ``at``, and each partner by organisation id.

    A party to a convention plays the types of its partnership with the hospital (none when the hospital no
    longer records it as a partner), as facts.PartnerFacts says.
    """
    (_, departements, communes, activities, finess_et, name, long_name, _, _, _, listed_on, removed_on, legal_status,
     ght_support, confirmed_activities, own_equipment, confirmed_equipment, *finess_columns) = rows.hospital
    partners: dict[int, PartnerFacts] = {}
    for _, _, organisation_id, partner_types, *place in rows.partnerships:
        partners[organisation_id] = _partner(place, _codes(partner_types))
    for _, organisation_id, *place in rows.strangers:
        partners.setdefault(organisation_id, _partner(place))
    parties: dict[int, list[PartnerFacts]] = {}
    for _, convention_id, organisation_id in rows.parties:
        parties.setdefault(convention_id, []).append(partners[organisation_id])
    conventions = [_convention(values, tuple(parties.get(values[1], ())), at) for values in rows.conventions]
    facts = HospitalFacts(
        finess_et=finess_et, name=long_name or name, territory_departements=_codes(departements),
        territory_communes=_codes(communes), internal_activities=_codes(activities),
        confirmed_activities=_codes(confirmed_activities),
        own_equipment=None if own_equipment in (None, "null") else _codes(own_equipment),
        confirmed_equipment=_codes(confirmed_equipment),
        partners=tuple(partners[values[2]] for values in rows.partnerships), listed_on=_day(listed_on),
        removed_on=_day(removed_on), ght_support=ght_support, cpoms=tuple(_cpom(values) for values in rows.cpoms),
        legal_status=legal_status or finess_legal_status(SimpleNamespace(**dict(zip(_FINESS_STATUS, finess_columns)))))
    return facts, conventions, partners


@lru_cache(maxsize=1024)
def _codes(text: str | None) -> tuple[str, ...]:
    """A JSON list of codes, decoded once per distinct text (there are few: '["ehpad"]', '["21"]'...)."""
    return tuple(json.loads(text)) if text else ()


def _partner(place, partner_types=()) -> PartnerFacts:
    finess_et, name, long_name, departement, commune_code, finess_ej = place
    return PartnerFacts(name=long_name or name, finess_et=finess_et, partner_types=partner_types,
                        departement=departement, commune_code=commune_code, finess_ej=finess_ej)


def _convention(values: tuple, partners: tuple[PartnerFacts, ...], at: date) -> ConventionFacts:
    """A main convention's facts, its end being the end of the period that contains ``at``, computed as the
    convention pages compute it (lifecycle.period_end)."""
    (_, _, reference, status, partner_types, themes, signed_on, effective_date, months, tacit_renewal,
     terminated_on, created_at, legal_bases, transmitted_on, registered, current_review, set_aside) = values
    effective_date = _day(effective_date)
    return ConventionFacts(
        reference=reference, status=status, partner_types=_codes(partner_types), themes=_codes(themes),
        partners=partners, signed_on=_day(signed_on), effective_date=effective_date,
        end_date=period_end(effective_date, months, bool(tacit_renewal), at), tacit_renewal=bool(tacit_renewal),
        renewed=renewed_by(effective_date, months, bool(tacit_renewal), at),
        terminated_on=_day(terminated_on), created_on=_day(created_at), legal_bases=_codes(legal_bases),
        transmitted_on=_day(transmitted_on), themes_declared=bool(registered),
        copy_alert=COPY_CONFIRMED if current_review == COPY_CONFIRMED else
        COPY_SET_ASIDE if current_review is None and set_aside else None)


def _cpom(values: tuple) -> CpomFacts:
    _, _, effective_on, years, engagements = values
    start = _day(effective_on)
    return CpomFacts(start, add_months(start, 12 * years) - timedelta(days=1), engagements or 0)


def _day(text: str | None) -> date | None:
    """A date or timestamp read as text (SQLite and PostgreSQL both start it with YYYY-MM-DD): the day."""
    return date.fromisoformat(text[:10]) if text else None
