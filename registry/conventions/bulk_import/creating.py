"""Creating the stock: ``import_stock`` creates everything of a plan without problems: the partners to add, then
per row registering.register_signed (register_convention → attach_signed_copy → « signée », then the ARS
transmission date). It flushes and never commits: the caller commits once, so a failure on any row leaves nothing
behind (all or nothing).

Each row's PDF is verified once at import: the plan's check (check_stock, run again by the confirmation after the
hold, in the same request or job) keeps each row's report, and register_signed reuses it for the same bytes. The
preview's check is not reused: the confirmation comes later (another request or a worker), when the registry,
the held files or the trust roots may have changed, and a signature's verdict is judged at the time of the check.
"""

from registry.conventions.bulk_import.archive import PdfArchive
from registry.conventions.bulk_import.checking import ImportPlan
from registry.conventions.bulk_import.rows import Row
from registry.conventions.models import Convention
from registry.conventions.registering import register_signed
from registry.core.errors import DomainError
from registry.hospitals.services import add_partner

ADDED_PARTNER_NOTE = "Ajouté lors de l'import des conventions existantes."


def import_stock(hospital, plan: ImportPlan, archive: PdfArchive, *, actor=None, progress=None) -> list[Convention]:
    """Create every convention of a plan without problems, signed with its copy; flushes, the caller commits.
    ``progress(done, total)``, when given, is told after each convention.

    Conventions are numbered in the order of their effective dates, so the references of a year follow them.
    A refusal names its line; the caller's rollback then undoes every row (all or nothing).
    """
    if not plan.ready:
        raise DomainError(f"Import refusé : {len(plan.rows_with_problems)} ligne(s) à corriger.")
    partnerships = {p.partner_id: p for p in hospital.partnerships}
    for new in plan.new_partners:
        partnerships[new.organisation.id] = add_partner(hospital, new.organisation, partner_types=new.partner_types,
                                                        themes=new.themes, notes=ADDED_PARTNER_NOTE)
    created = []
    for row in sorted(plan.rows, key=lambda r: (r.effective_date, r.line)):
        try:
            created.append(_create(hospital, row, partnerships, archive, actor))
        except DomainError as error:
            raise DomainError(f"Ligne {row.line} : {error.message}", details=error.details) from error
        if progress is not None:
            progress(len(created), len(plan.rows))
    return created


def _create(hospital, row: Row, partnerships: dict, archive: PdfArchive, actor) -> Convention:
    terms = row.terms(hospital, [partnerships[line.organisation.id] for line in row.partners])
    data, problem = archive.read(row.entry)
    if problem:
        raise DomainError(problem)
    return register_signed(hospital, terms, data, signed_on=row.signed_on, actor=actor, report=row.report,
                           transmitted_on=row.transmitted_on).convention
