"""« Journal »: the audit trail, filtered, paginated and exported; administrators read it all, an ARS its region."""

from flask import Blueprint, Response, current_app, render_template, request
from flask_login import current_user
from sqlalchemy.orm import joinedload

from registry.audit.models import AuditLog
from registry.audit.journal import EXPORT_LIMIT, WIDTHS, Criteria, JournalFilterForm, filtered, rows, visible_entries
from registry.conventions.filters import hospital_choices
from registry.core import clock
from registry.core.access import roles
from registry.core.spreadsheets import XLSX, csv_bytes, xlsx_bytes
from registry.extensions import db
from registry.organisations.routes import paginate

bp = Blueprint("journal", __name__, url_prefix="/journal")


def _filters() -> tuple[JournalFilterForm, Criteria]:
    form = JournalFilterForm(request.args)
    form.set_hospitals(hospital_choices())
    form.validate()
    return form, Criteria.of(form)


def _entries(criteria: Criteria):
    return filtered(visible_entries(current_user), criteria).options(joinedload(AuditLog.hospital))


@bp.route("/")
@roles("admin", "ars")
def index():
    form, criteria = _filters()
    page = paginate(_entries(criteria))
    return render_template("audit/journal.html", form=form, page=page, export_args=request.args.to_dict())


@bp.route("/export")
@roles("admin", "ars")
def export():
    form, criteria = _filters()
    entries = db.session.scalars(_entries(criteria).limit(EXPORT_LIMIT)).unique()
    table = rows(entries)
    export_format = "xlsx" if request.args.get("format") == "xlsx" else "csv"
    if export_format == "xlsx":
        body, mimetype = xlsx_bytes([("Journal", table, WIDTHS)]), XLSX
    else:
        body, mimetype = csv_bytes(table), "text/csv"
    name = f"journal-{clock.today().isoformat()}.{export_format}"
    current_app.logger.info("Journal exported by %s: %d entries", current_user.email, len(table) - 1)
    return Response(body, mimetype=mimetype, headers={"Content-Disposition": f'attachment; filename="{name}"'})
