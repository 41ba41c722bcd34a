"""The printable compliance report, one hospital's or a département's: an HTML page in French
(templates/compliance/report.html: A4, print CSS, page numbers) turned into PDF by WeasyPrint.

WeasyPrint, because it lays out HTML and CSS for print (running headers, « page 3 sur 7 », page breaks) from the
same Jinja templates and filters as the pages, in Python, with no browser or office suite to run; it is kept up
(a release every few months) and needs only Pango from the system. It is imported on the first report, never at
start-up. It fetches nothing: the report's styles are in its template and it has no image, so its URL fetcher
accepts only ``data:`` URLs and refuses any other (http, https, file...), wherever the URL would come from.
"""

from dataclasses import dataclass
from datetime import date

from flask import Response, render_template

from registry.compliance.adapter import HospitalCompliance
from registry.compliance.exports import attachment
from registry.compliance.overview import CELL_COLOURS, LABELS, ORDER, STANDING_LABELS, SYMBOLS, short_title
from registry.compliance.requirements import VERDICT_MEANINGS
from registry.compliance.rules import RuleSet
from registry.core import clock
from registry.core.errors import DomainError
from registry.core.slots import pdf_slot

#: The only URLs the PDF renderer may read: data embedded in the report itself.
ALLOWED_PROTOCOLS = ("data",)
BUSY = ("D'autres documents PDF sont en cours de production : réessayez dans un instant. Les exports CSV et Excel "
        "restent disponibles.")
UNAVAILABLE = ("Le rapport PDF ne peut pas être produit sur ce serveur : la bibliothèque WeasyPrint ou Pango, dont "
               "elle a besoin, n'y est pas installée ({}). Les exports CSV et Excel restent disponibles.")


class ReportUnavailable(DomainError):
    """No PDF now (503): the renderer cannot be loaded on this machine (`make system` installs Pango), or every
    PDF slot stayed busy."""

    status = 503
    code = "report_unavailable"


@dataclass(frozen=True)
class Report:
    """What the template shows: a title, the hospitals, and whether a matrix of them comes first."""

    title: str
    #: The line under the title: FINESS and département of one hospital, or how many hospitals.
    subtitle: str
    results: list[HospitalCompliance]
    ruleset: RuleSet
    at: date
    #: A table of every hospital × requirement before the details (a département's report).
    overview: bool


def hospital_report(result: HospitalCompliance, ruleset: RuleSet, departement: str) -> Report:
    return Report(f"Conformité : {result.name}", f"FINESS {result.finess_et} · {departement}", [result], ruleset,
                  result.at, overview=False)


def group_report(results: list[HospitalCompliance], ruleset: RuleSet, at: date, where: str) -> Report:
    """Several hospitals: a département's (``where`` its label), a region's or every one."""
    count = len(results)
    return Report(f"Conformité des hôpitaux de proximité : {where}",
                  f"{count} hôpita{'ux' if count != 1 else 'l'} de proximité", results, ruleset, at, overview=True)


def to_html(report: Report) -> str:
    """The report as a standalone HTML page (no link to anything)."""
    ruleset = report.ruleset
    return render_template(
        "compliance/report.html", report=report, ruleset=ruleset, at=report.at, generated=clock.now(),
        titles={code: short_title(code, ruleset) for code in ruleset.codes}, colours=CELL_COLOURS, labels=LABELS,
        symbols=SYMBOLS, order=ORDER, meanings=VERDICT_MEANINGS, standing_labels=STANDING_LABELS)


def to_pdf(report: Report) -> bytes:
    """The report's PDF; ReportUnavailable when WeasyPrint (or the Pango it loads) is missing."""
    html = to_html(report)
    try:
        from weasyprint import HTML
    except (ImportError, OSError) as error:  # OSError: Pango's shared library could not be loaded
        raise ReportUnavailable(UNAVAILABLE.format(type(error).__name__)) from error
    with pdf_slot(ReportUnavailable(BUSY)):  # a long report holds a CPU for seconds: a few at a time
        return HTML(string=html, url_fetcher=url_fetcher()).write_pdf()


def url_fetcher():
    """WeasyPrint's fetcher, allowed ``data:`` URLs only, with no redirect to follow."""
    from weasyprint import URLFetcher

    return URLFetcher(allowed_protocols=ALLOWED_PROTOCOLS, allow_redirects=False, timeout=1)


def pdf_response(report: Report, name: str) -> Response:
    return attachment(to_pdf(report), "application/pdf", name)
