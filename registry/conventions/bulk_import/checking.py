"""Checking the stock: ``check_stock`` parses every row, matches its partners, finds its PDF in the archive
(present, used once, a signed copy the registry accepts) and its duplicates (in the file or already in the
registry), and returns an ``ImportPlan``: what would be created and each row's problems. It writes nothing.
"""

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from registry.conventions.bulk_import.archive import PdfArchive
from registry.conventions.bulk_import.partners import NewPartner, find_partners, new_partners
from registry.conventions.bulk_import.rows import Row, parse_row
from registry.conventions.bulk_import.spreadsheet import Sheet
from registry.conventions.models import KIND_SIGNED, PARTY_PARTNER, Convention, ConventionDocument
from registry.conventions.signed_copies import check_signed_copy, copy_alerts
from registry.core import clock
from registry.extensions import db
from registry.signatures import SignedCopyRejected


@dataclass
class ImportPlan:
    rows: list[Row]
    new_partners: list[NewPartner]
    ignored_columns: list[str]
    #: Files of the archive that no row names (shown, never imported).
    unused_files: list[str]

    @property
    def rows_with_problems(self) -> list[Row]:
        return [row for row in self.rows if row.problems]

    @property
    def ready(self) -> bool:
        return bool(self.rows) and not self.rows_with_problems


def check_stock(hospital, sheet: Sheet, archive: PdfArchive, *, today: date | None = None) -> ImportPlan:
    """Every row checked against the vocabulary, the registry and the archive; nothing is written."""
    rows = [parse_row(line, cells, today=today or clock.today()) for line, cells in sheet.rows]
    find_partners(hospital, rows)
    used = _check_files(rows, archive)
    _find_duplicates(hospital, rows)
    return ImportPlan(rows=rows, new_partners=new_partners(rows), ignored_columns=sheet.ignored_columns,
                      unused_files=[e.name for e in archive.entries if e.key not in used])


def _check_files(rows: list[Row], archive: PdfArchive) -> set[str]:
    """Each row's PDF: present in the archive, used once, and a signed copy the registry accepts."""
    first_use: dict[str, int] = {}
    for row in rows:
        if not row.filename:
            continue
        entry, problem = archive.find(row.filename)
        if entry is not None and entry.key in first_use:
            problem = f"le fichier « {entry.name} » est déjà celui de la ligne {first_use[entry.key]}"
        if problem:
            row.problems.append(problem)
            continue
        first_use[entry.key] = row.line
        data, problem = archive.read(entry)
        if problem:
            row.problems.append(problem)
            continue
        try:
            report = check_signed_copy(data)
        except SignedCopyRejected as error:
            row.problems.append(f"« {entry.name} » : {error.message}")
            continue
        row.entry, row.sha256, row.report = entry, report["pdf"]["sha256"], report
        row.signature_label, row.warnings = report["label"], report["pdf"]["warnings"]
        row.alerts = copy_alerts(report)
    return set(first_use)


def _find_duplicates(hospital, rows: list[Row]) -> None:
    """The same convention twice in the file, or already in the registry (same partners, date and title, or
    the same PDF): importing a stock twice must not double it."""
    def key(partner_ids, effective_date, title):
        return frozenset(partner_ids), effective_date, title.casefold()

    existing = db.session.scalars(select(Convention).where(
        Convention.hospital_id == hospital.id, Convention.parent_id.is_(None)).options(
        selectinload(Convention.parties)))
    registered = {key((p.organisation_id for p in c.parties if p.role == PARTY_PARTNER), c.effective_date,
                      c.title): c.reference for c in existing}
    copies = {sha256: reference for sha256, reference in db.session.execute(
        select(ConventionDocument.sha256, Convention.reference).join(Convention)
        .where(Convention.hospital_id == hospital.id, ConventionDocument.kind == KIND_SIGNED))}
    seen_keys: dict[tuple, int] = {}
    seen_pdfs: dict[str, int] = {}
    for row in rows:
        if row.partners and row.effective_date:
            row_key = key((p.organisation.id for p in row.partners), row.effective_date, row.display_title)
            if row_key in registered:
                row.problems.append(f"déjà enregistrée : la convention {registered[row_key]} a les mêmes "
                                    "partenaires, la même date d'effet et le même intitulé")
            elif row_key in seen_keys:
                row.problems.append(f"en double : mêmes partenaires, date d'effet et intitulé qu'à la ligne "
                                    f"{seen_keys[row_key]}")
            seen_keys.setdefault(row_key, row.line)
        if row.sha256:
            if row.sha256 in copies:
                row.problems.append(f"ce PDF est déjà la copie signée de la convention {copies[row.sha256]}")
            elif row.sha256 in seen_pdfs:
                row.problems.append(f"ce PDF a le même contenu que celui de la ligne {seen_pdfs[row.sha256]}")
            seen_pdfs.setdefault(row.sha256, row.line)
