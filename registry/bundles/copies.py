"""The signed copies of a bundle's scope as plain values: what the layout and the manifest read of each copy, its
convention, hospital and parties, read as rows rather than entities.

A thousand conventions with their documents and parties built as ORM entities cost a bundle more than writing the
files' bytes (benchmarks/bundle.py); the manifest needs a few columns of each. The lifecycle rules stay
conventions/lifecycle.py's: they read ``Terms`` as they read a Convention.
"""

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import aliased

from registry.bundles.scope import BundleScope, signed_copies
from registry.conventions import lifecycle
from registry.conventions.models import PARTY_PARTNER, Convention, ConventionDocument, ConventionParty
from registry.conventions.statuses import Status
from registry.extensions import db
from registry.hospitals.models import HospitalProfile
from registry.organisations.models import Organisation, display_name

#: Signed copies read from the database at a time while a bundle is gathered (each batch also reads its parties).
BATCH = 250


@dataclass(frozen=True, slots=True)
class Terms:
    """What the lifecycle rules (lifecycle.end_on, lifecycle.state_on) read of a convention, and of its parent for
    an avenant (whose term is its parent's; an avenant's parent is always a main convention)."""

    status: Status
    signed_on: date | None
    effective_date: date | None
    duration_months: int | None
    tacit_renewal: bool
    notice_months: int
    terminated_on: date | None
    parent_id: int | None = None
    parent: "Terms | None" = None


@dataclass(frozen=True, slots=True)
class Party:
    role: str
    name: str
    finess_et: str | None
    siret: str | None
    rna: str | None


@dataclass(frozen=True, slots=True)
class SignedCopy:
    """A signed copy of the scope, with what the bundle says about its convention."""

    convention_id: int
    reference: str
    parent_reference: str | None
    title: str
    partner_types: list[str] | None
    terms: Terms
    hospital_id: int
    hospital_finess_et: str | None
    hospital_name: str
    departement: str | None
    parties: tuple[Party, ...]
    sha256: str
    size: int
    #: None for a copy stored before its CRC-32 was recorded.
    crc32: int | None
    version: int
    signature_report: dict | None
    review: str | None
    review_reason: str | None
    reviewed_at: datetime | None

    @property
    def kind(self) -> str:
        """As Convention.kind: "avenant" when the convention has a parent."""
        return "avenant" if self.terms.parent_id is not None else "convention"

    @property
    def partners(self) -> list[Party]:
        return [party for party in self.parties if party.role == PARTY_PARTNER]

    def end_on(self, at: date) -> date | None:
        return lifecycle.end_on(self.terms, at)

    def state_on(self, at: date) -> str | None:
        return lifecycle.state_on(self.terms, at)


def _terms_columns(convention) -> tuple:
    """The columns of ``Terms``, in its order, of ``convention`` (the model or an alias of it)."""
    return (convention.status, convention.signed_on, convention.effective_date, convention.duration_months,
            convention.tacit_renewal, convention.notice_months, convention.terminated_on)


#: The columns of a copy's row before its own terms and its parent's (read in this order by ``_copy``).
_COPY_COLUMNS = (Convention.id, Convention.reference, Convention.title, Convention.partner_types,
                 Convention.hospital_id, Convention.parent_id, Organisation.finess_et, Organisation.long_name,
                 Organisation.name, Organisation.departement, ConventionDocument.sha256, ConventionDocument.size,
                 ConventionDocument.crc32, ConventionDocument.version, ConventionDocument.signature_report,
                 ConventionDocument.review, ConventionDocument.review_reason, ConventionDocument.reviewed_at)
_TERMS = len(_terms_columns(Convention))


def load_signed_copies(scope: BundleScope, user) -> Iterator[SignedCopy]:
    """The scope's signed copies, streamed BATCH rows at a time (one query for the rows, one for the parties of each
    batch), so that the rows of a large scope are never all in memory."""
    parent = aliased(Convention, name="parent")  # made here: at import, it would configure every mapper
    query = (signed_copies(scope, user)
             .join(Convention.hospital).join(HospitalProfile.organisation)
             .outerjoin(parent, parent.id == Convention.parent_id)
             .with_only_columns(*_COPY_COLUMNS, parent.reference, *_terms_columns(Convention),
                                *_terms_columns(parent))
             .execution_options(yield_per=BATCH))
    for batch in db.session.execute(query).partitions():
        parties = _parties([row[0] for row in batch])
        for row in batch:
            yield _copy(row, parties.get(row[0], ()))


def _copy(row, parties: tuple[Party, ...]) -> SignedCopy:
    (convention_id, reference, title, partner_types, hospital_id, parent_id, finess_et, long_name, name, departement,
     sha256, size, crc32, version, report, review, reason, reviewed_at, parent_reference) = row[:-2 * _TERMS]
    parent = Terms(*row[-_TERMS:]) if parent_id is not None else None
    return SignedCopy(
        convention_id=convention_id, reference=reference, parent_reference=parent_reference, title=title,
        partner_types=partner_types, terms=Terms(*row[-2 * _TERMS:-_TERMS], parent_id=parent_id, parent=parent),
        hospital_id=hospital_id, hospital_finess_et=finess_et, hospital_name=display_name(long_name, name),
        departement=departement, parties=parties, sha256=sha256, size=size, crc32=crc32, version=version,
        signature_report=report, review=review, review_reason=reason, reviewed_at=reviewed_at)


def _parties(convention_ids: list[int]) -> dict[int, tuple[Party, ...]]:
    """The parties of these conventions, in their order (Convention.parties'), by convention."""
    rows = db.session.execute(
        select(ConventionParty.convention_id, ConventionParty.role, Organisation.long_name, Organisation.name,
               Organisation.finess_et, Organisation.siret, Organisation.rna)
        .join(ConventionParty.organisation)
        .where(ConventionParty.convention_id.in_(convention_ids))
        .order_by(ConventionParty.convention_id, ConventionParty.position, ConventionParty.id))
    parties: dict[int, list[Party]] = {}
    for convention_id, role, long_name, name, finess_et, siret, rna in rows:
        parties.setdefault(convention_id, []).append(Party(role, display_name(long_name, name), finess_et, siret, rna))
    return {convention_id: tuple(each) for convention_id, each in parties.items()}
