"""The « Échéances » page as a file: the same sections and rows, one line per convention, in CSV or XLSX."""

from datetime import date

from flask import Response

from registry.conventions import lifecycle
from registry.conventions.followup import ENDING, EXPIRED, TO_RENEW, FollowUp
from registry.conventions.statuses import Status
from registry.core.spreadsheets import XLSX, csv_bytes, xlsx_bytes

SECTION_LABELS = {ENDING: "Arrive à échéance", TO_RENEW: "À renouveler", EXPIRED: "Expirée"}
HEADINGS = ("Section", "Référence", "Intitulé", "FINESS", "Hôpital", "Partenaires", "Fin", "Jours restants",
            "Préavis à donner avant le", "Reconduction tacite", "État", "Résiliation au")
WIDTHS = (18, 22, 36, 12, 34, 48, 12, 10, 14, 10, 16, 14)


def rows(sections: dict[str, list[FollowUp]]) -> list[list]:
    """A heading row, then each convention of each section, as the page shows them (dates as dates)."""
    lines = [list(HEADINGS)]
    for section, followups in sections.items():
        for row in followups:
            convention = row.convention
            tacit = convention.renews_tacitly
            lines.append([
                SECTION_LABELS[section], convention.reference, convention.title, convention.hospital.finess_et,
                convention.hospital.name, " ; ".join(party.organisation.display_name for party in convention.partners),
                row.end, row.days_left, row.notice_deadline if tacit else None, "oui" if tacit else "non",
                lifecycle.STATE_LABELS.get(row.state, row.state),
                convention.terminated_on if convention.status == Status.RESILIEE else None])
    return lines


def download(sections: dict[str, list[FollowUp]], export_format: str, today: date, days: int,
             finess: str | None) -> Response:
    """``export_format`` "csv" or "xlsx"; the file is named after the day, the window and the hospital chosen."""
    table = rows(sections)
    criteria = [["Critère", "Valeur"], ["Date", today], ["Fenêtre (jours)", days], ["Hôpital", finess or "tous"]]
    if export_format == "xlsx":
        body, mimetype = xlsx_bytes([("Échéances", table, WIDTHS), ("Critères", criteria, (18, 30))]), XLSX
    else:
        body, mimetype = csv_bytes(table), "text/csv"
    name = "-".join(["echeances", today.isoformat(), f"{days}j", *([finess] if finess else [])]) + "." + export_format
    return Response(body, mimetype=mimetype, headers={"Content-Disposition": f'attachment; filename="{name}"'})
