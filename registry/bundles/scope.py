"""Which signed copies a bundle holds: the latest signed copy of every signed (or terminated) convention and
avenant of a scope, read through the user's scoped queries (core.scope), so a bundle never holds more than its
reader may see.

A scope is a hospital, a département, a region, or a selection of conventions (with their avenants). The scope
narrows what the user may read, never widens it: a scope holding none of the user's hospitals is not found (404),
as anything out of the user's reach is in the rest of the application.
"""

from dataclasses import dataclass

from sqlalchemy import Select, and_, exists, func, or_, select

from registry.accounts.models import ROLE_ADMIN
from registry.conventions.models import KIND_SIGNED, Convention, ConventionDocument
from registry.conventions.statuses import Status
from registry.core.errors import DomainError, NotFound
from registry.core.geography import DEPARTEMENTS, REGIONS, departement_label, region_label
from registry.core.scope import visible_conventions, visible_hospitals
from registry.extensions import db
from registry.hospitals.models import HospitalProfile
from registry.organisations.identifiers import finess_problem
from registry.organisations.models import Organisation

HOSPITAL, DEPARTEMENT, REGION, SELECTION = KINDS = ("hospital", "departement", "region", "selection")
#: Most conventions a selection may name (the list shows at most 200 per page).
MAX_SELECTION = 1000


@dataclass(frozen=True)
class CommandLine:
    """The command line's reader: administrator-level (it sees everything in scope); it has no account, so its
    audit entries are the « système »'s."""

    is_authenticated: bool = True
    role: str = ROLE_ADMIN
    label: str = "la ligne de commande (administrateur)"


@dataclass(frozen=True)
class BundleScope:
    kind: str
    #: FINESS ET, département or region code; None for a selection.
    code: str | None = None
    #: Ids of the selected conventions (sorted, each once); their avenants come with them.
    ids: tuple[int, ...] = ()

    @classmethod
    def of(cls, *, hospital: str | None = None, departement: str | None = None,
           region: str | None = None) -> "BundleScope":
        """Exactly one of the three, checked (422 in French otherwise)."""
        given = [(kind, (value or "").strip()) for kind, value in
                 ((HOSPITAL, hospital), (DEPARTEMENT, departement), (REGION, region)) if (value or "").strip()]
        if len(given) != 1:
            raise DomainError("Indiquez exactement un périmètre : un hôpital (FINESS), un département ou une région.")
        kind, code = given[0]
        problem = {HOSPITAL: lambda: finess_problem(code),
                   DEPARTEMENT: lambda: None if code in DEPARTEMENTS else f"département inconnu « {code} »",
                   REGION: lambda: None if code in REGIONS else f"région inconnue « {code} »"}[kind]()
        if problem:
            raise DomainError(f"Périmètre invalide : {problem}.")
        return cls(kind, code)

    @classmethod
    def selection(cls, ids) -> "BundleScope":
        try:
            chosen = tuple(sorted({int(value) for value in ids}))
        except (TypeError, ValueError):
            raise DomainError("Sélection invalide : identifiants de conventions attendus.") from None
        if not chosen:
            raise DomainError("Cochez au moins une convention.")
        if len(chosen) > MAX_SELECTION:
            raise DomainError(f"Sélection trop grande : {MAX_SELECTION} conventions au plus.")
        return cls(SELECTION, ids=chosen)

    @property
    def label(self) -> str:
        """« l'hôpital FINESS 210987582 », « le département 21 – Côte-d'Or », « la région … (27) »..."""
        if self.kind == HOSPITAL:
            return f"l'hôpital FINESS {self.code}"
        if self.kind == DEPARTEMENT:
            return f"le département {departement_label(self.code)}"
        if self.kind == REGION:
            return f"la région {region_label(self.code)} ({self.code})"
        count = len(self.ids)
        return f"une sélection de {count} convention{'s' if count > 1 else ''}"

    @property
    def slug(self) -> str:
        """For file names: « hopital-210987582 », « departement-21 », « region-27 », « selection »."""
        return {HOSPITAL: "hopital", DEPARTEMENT: "departement", REGION: "region"}.get(self.kind, "selection") + (
            f"-{self.code}" if self.code else "")

    def as_dict(self) -> dict:
        return {"kind": self.kind, "code": self.code, "conventions": list(self.ids) if self.ids else None,
                "label": self.label}


def hospitals_in(scope: BundleScope, user) -> Select:
    """The HospitalProfile rows of the scope the user may read (joined to their Organisation), in bundle order."""
    query = visible_hospitals(user)
    if scope.kind == HOSPITAL:
        query = query.where(Organisation.finess_et == scope.code)
    elif scope.kind == DEPARTEMENT:
        query = query.where(Organisation.departement == scope.code)
    elif scope.kind == REGION:
        query = query.where(Organisation.region == scope.code)
    else:
        chosen = visible_conventions(user).with_only_columns(Convention.hospital_id).where(
            Convention.id.in_(scope.ids))
        query = query.where(HospitalProfile.id.in_(chosen))
    return query.order_by(Organisation.departement, Organisation.finess_et, HospitalProfile.id)


def check_scope(scope: BundleScope, user) -> None:
    """NotFound (404) when the scope holds nothing the user may read: a hospital, département or region without
    any of the user's hospitals, or a selection naming a convention out of the user's reach."""
    if scope.kind == SELECTION:
        seen = set(db.session.scalars(visible_conventions(user).with_only_columns(Convention.id)
                                      .where(Convention.id.in_(scope.ids))))
        if seen != set(scope.ids):
            raise NotFound("Convention introuvable ou hors de votre périmètre dans la sélection.")
        return
    if not db.session.scalar(select(exists(_hospital_ids(scope, user)))):
        raise NotFound(f"Aucun hôpital de proximité de votre périmètre pour {scope.label}.")


def _hospital_ids(scope: BundleScope, user) -> Select:
    return hospitals_in(scope, user).with_only_columns(HospitalProfile.id).order_by(None)


def _latest_signed_copies() -> Select:
    """The current copy's version of each convention: a copy set aside by its signature check (or discarded) never
    is; one confirmed despite the alert is, and its manifest record says so."""
    return (select(ConventionDocument.convention_id, func.max(ConventionDocument.version).label("version"))
            .where(ConventionDocument.kind == KIND_SIGNED, ConventionDocument.usable_clause())
            .group_by(ConventionDocument.convention_id))


def signed_copies(scope: BundleScope, user) -> Select:
    """(Convention, its current signed ConventionDocument) of every signed convention and avenant of the scope."""
    latest = _latest_signed_copies().subquery()
    query = (visible_conventions(user).add_columns(ConventionDocument)
             .join(latest, latest.c.convention_id == Convention.id)
             .join(ConventionDocument, and_(ConventionDocument.convention_id == Convention.id,
                                            ConventionDocument.kind == KIND_SIGNED,
                                            ConventionDocument.version == latest.c.version))
             .where(Convention.status.in_(Status.having("bundled"))))  # in force, expired or terminated alike
    if scope.kind == SELECTION:
        return query.where(or_(Convention.id.in_(scope.ids), Convention.parent_id.in_(scope.ids)))
    return query.where(Convention.hospital_id.in_(_hospital_ids(scope, user)))


def summarise(scope: BundleScope, user) -> tuple[int, int]:
    """(number of files, total size in bytes) of the scope's bundle: one query, for the download buttons."""
    row = db.session.execute(signed_copies(scope, user).with_only_columns(
        func.count(ConventionDocument.id), func.coalesce(func.sum(ConventionDocument.size), 0))).one()
    return int(row[0]), int(row[1])
