"""The yearly campaign report (.docx) for an ARS: the engagements counted by status and by assessment, the rate of
targets met per indicator, the hospitals late (a value not declared, a proof requested and overdue), and each
hospital's engagements with their values.

An engagement counts once however many sites its CPOM covers; the hospitals' lists show it under each site. The
figures are ``campaign.year_state``'s (through ``exports.campaign_lines``), so the report, the exports and the API
agree. The document is built with python-docx (its tables follow the data) and written deterministically.
"""

import io
import zipfile
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime


from registry.core import clock
from registry.core.french import french_date
from registry.core.geography import region_label
from registry.cpom import workflow
from registry.cpom.assessment import ASSESSMENTS, ATTEINT, NON_ATTEINT, NON_EVALUABLE
from registry.cpom.catalogue import REGISTRY
from registry.cpom.assessment import ASSESSMENT_LABELS
from registry.cpom.exports import Line, campaign_lines
from registry.cpom.wording import shown_value, target_text
from registry.cpom.models import Cpom
from registry.documents.package import write_package


@dataclass(frozen=True)
class IndicatorRate:
    code: str
    label: str
    engagements: int
    met: int
    not_met: int
    not_evaluable: int
    not_applicable: int

    @property
    def rate(self) -> float | None:
        """Targets met among the engagements that could be assessed (met or not met); None when none could."""
        assessed = self.met + self.not_met
        return self.met / assessed if assessed else None


@dataclass(frozen=True)
class Late:
    """An engagement whose value is missing or whose requested proof is overdue."""

    line: Line
    reason: str

    @property
    def hospitals(self) -> str:
        return ", ".join(f"{site.name} ({site.finess_et})" for site in self.line.cpom.sites)


@dataclass
class Summary:
    year: int
    region: str | None
    today: date
    lines: list[Line]
    by_status: Counter = field(default_factory=Counter)
    by_assessment: Counter = field(default_factory=Counter)
    rates: list[IndicatorRate] = field(default_factory=list)
    late: list[Late] = field(default_factory=list)


def late_reason(line: Line, today: date) -> str | None:
    """« Non déclarée » for an applicable engagement the establishment declares and has not; « Preuve attendue le
    … » when the ARS's proof request is overdue; None otherwise."""
    state = line.state
    if line.spec.origin == REGISTRY or not state.target.applicable:
        return None
    if state.status == workflow.NON_DECLAREE:
        return "Valeur non déclarée"
    due = state.declaration.proof_due if state.declaration else None
    if state.status == workflow.PREUVE_DEMANDEE and due is not None and due < today:
        return f"Preuve attendue le {french_date(due)}, non fournie"
    return None


def summarise(cpoms: list[Cpom], year: int, region: str | None = None) -> Summary:
    """The report's figures for ``cpoms`` (``exports.campaign_cpoms``) in ``year``."""
    today = clock.today()
    lines = campaign_lines(cpoms, year)
    summary = Summary(year, region, today, lines)
    summary.by_status.update(line.state.status for line in lines)
    summary.by_assessment.update(line.state.assessment for line in lines)
    grouped: dict[str, list[Line]] = {}
    for line in lines:
        grouped.setdefault(line.engagement.indicator, []).append(line)
    for code, items in grouped.items():
        counts = Counter(line.state.assessment for line in items)
        summary.rates.append(IndicatorRate(code, items[0].spec.label, len(items), counts[ATTEINT],
                                           counts[NON_ATTEINT], counts[NON_EVALUABLE],
                                           len(items) - counts[ATTEINT] - counts[NON_ATTEINT] - counts[NON_EVALUABLE]))
    summary.late = [Late(line, reason) for line in lines if (reason := late_reason(line, today))]
    return summary


def _percent(part: int, whole: int) -> str:
    return f"{100 * part / whole:.0f} %" if whole else "—"


def _table(document, headings: list[str], rows: list[list[str]], widths: tuple[float, ...] = ()):
    """A table with a bold heading row; ``widths`` in centimetres, one per column (Word's even split without)."""
    table = document.add_table(rows=1, cols=len(headings))
    table.style = "Table Grid"
    for cell, heading in zip(table.rows[0].cells, headings):
        cell.paragraphs[0].add_run(heading).bold = True
    for row in rows:
        for cell, value in zip(table.add_row().cells, row):
            cell.text = value
    if widths:
        set_widths(table, widths)
    return table


def set_widths(table, widths: tuple[float, ...]) -> None:
    """Column widths in centimetres: on the grid (which LibreOffice reads) and on every cell (which Word reads)."""
    from docx.shared import Cm

    table.autofit = False
    for column, width in zip(table.columns, widths):
        column.width = Cm(width)
        for cell in column.cells:
            cell.width = Cm(width)


def _hospitals(lines: list[Line]) -> list[tuple[str, str, list[Line]]]:
    """(FINESS ET, name, lines) of each hospital covered, by FINESS ET."""
    hospitals: dict[str, tuple[str, list[Line]]] = {}
    for line in lines:
        for site in line.cpom.sites:
            hospitals.setdefault(site.finess_et or "", (site.name, []))[1].append(line)
    return [(finess, name, items) for finess, (name, items) in sorted(hospitals.items())]


def render_report(cpoms: list[Cpom], year: int, region: str | None = None) -> bytes:
    """The campaign report of ``year`` (.docx)."""
    import docx

    summary = summarise(cpoms, year, region)
    total = len(summary.lines)
    document = a4(docx.Document())
    document.add_paragraph(f"Campagne CPOM {year} – volet « lien ville-hôpital »", style="Title")
    where = region_label(region) if region else "toutes régions"
    hospitals = len(_hospitals(summary.lines))
    document.add_paragraph(f"{where} – rapport établi le {french_date(summary.today)} – {len(cpoms)} CPOM, "
                           f"{hospitals} {'hôpitaux' if hospitals > 1 else 'hôpital'}, {total} engagement"
                           f"{'s' if total > 1 else ''}.")
    document.add_paragraph("Chaque engagement compte une fois, quel que soit le nombre de sites couverts par son CPOM.")

    document.add_heading("1. Engagements par statut", level=1)
    _table(document, ["Statut", "Engagements", "Part"],
           [[workflow.STATUS_LABELS[status], str(summary.by_status[status]),
             _percent(summary.by_status[status], total)] for status in workflow.STATUSES])

    document.add_heading("2. Engagements par évaluation", level=1)
    _table(document, ["Évaluation", "Engagements", "Part"],
           [[ASSESSMENT_LABELS[code], str(summary.by_assessment[code]), _percent(summary.by_assessment[code], total)]
            for code in ASSESSMENTS])

    document.add_heading("3. Taux d'atteinte des cibles par indicateur", level=1)
    document.add_paragraph("Taux d'atteinte : cibles atteintes parmi les engagements évaluables (atteints ou non "
                           "atteints).")
    _table(document, ["Indicateur", "Engagements", "Atteints", "Non atteints", "Non évaluables", "Non applicables",
                      "Taux d'atteinte"],
           [[f"{rate.label} ({rate.code})", str(rate.engagements), str(rate.met), str(rate.not_met),
             str(rate.not_evaluable), str(rate.not_applicable),
             "—" if rate.rate is None else f"{100 * rate.rate:.0f} %"] for rate in summary.rates],
           (6.0, 1.8, 1.6, 1.6, 1.8, 1.8, 1.8))

    document.add_heading("4. Hôpitaux en retard", level=1)
    if summary.late:
        _table(document, ["Hôpital", "CPOM", "Indicateur", "Retard"],
               [[late.hospitals, f"n° {late.line.cpom.id} ({late.line.cpom.name})", late.line.spec.label,
                 late.reason] for late in summary.late], (4.5, 3.5, 4.5, 4.4))
    else:
        document.add_paragraph("Aucun retard : toutes les valeurs attendues sont déclarées et aucune preuve demandée "
                               "n'est en retard.")

    document.add_heading("5. Engagements par hôpital", level=1)
    for finess, name, items in _hospitals(summary.lines):
        document.add_heading(f"{name} – FINESS ET {finess}", level=2)
        _table(document, ["Indicateur", "Cible", "Valeur", "Statut", "Évaluation"],
               [[line.spec.label, target_text(line.state.target, line.spec), shown_value(line.state.value) or "—",
                 workflow.STATUS_LABELS[line.state.status], ASSESSMENT_LABELS[line.state.assessment]]
                for line in items], (6.5, 2.6, 2.6, 2.6, 2.6))
    if not summary.lines:
        document.add_paragraph(f"Aucun CPOM en vigueur en {year} dans ce périmètre.")

    return docx_bytes(document, f"Campagne CPOM {year}", datetime.combine(summary.today, datetime.min.time()),
                      author="Registre des hôpitaux de proximité")


def a4(document, margin_cm: float = 2.0):
    """The document on A4 paper with ``margin_cm`` on each side (python-docx's default template is US Letter)."""
    from docx.shared import Cm

    for section in document.sections:
        section.page_width, section.page_height = Cm(21), Cm(29.7)
        section.left_margin = section.right_margin = section.top_margin = section.bottom_margin = Cm(margin_cm)
    return document


def docx_bytes(document, title: str, created: datetime, author: str = "") -> bytes:
    """A python-docx document saved deterministically: fixed core properties, zip entries in a fixed order and
    with fixed timestamps (``documents.package.write_package``)."""
    package_rels = document.part.package.rels
    for rel_id, rel in list(package_rels.items()):
        if rel.reltype.endswith("/thumbnail"):  # python-docx's default template's picture, not this document's
            del package_rels[rel_id]
    properties = document.core_properties
    properties.title, properties.author, properties.comments = title, author, ""
    properties.last_modified_by, properties.revision = "", 1
    properties.created = properties.modified = created
    buffer = io.BytesIO()
    document.save(buffer)
    with zipfile.ZipFile(buffer) as archive:
        return write_package((name, archive.read(name)) for name in archive.namelist())


def report_filename(year: int, region: str | None = None) -> str:
    return f"cpom-rapport-{year}" + (f"-{region}" if region else "") + ".docx"
