"""The conventions blueprint and its template filters (pure: they query nothing). Its URL map, every view with
its address, is in urls.py; the views are in the *_routes.py modules."""

from flask import Blueprint

from registry.conventions.context import amended_articles
from registry.conventions.lifecycle import STATE_LABELS
from registry.conventions.statuses import Status

bp = Blueprint("conventions", __name__)

#: Templates read a status's label, badge and flags from the enum: ``ConventionStatus(convention.status).bundled``.
bp.add_app_template_global(Status, "ConventionStatus")


@bp.app_template_filter("convention_status")
def convention_status(code: str) -> str:
    return Status.label_of(code)


@bp.app_template_filter("convention_state")
def convention_state(code: str | None) -> str:
    """« En vigueur », « À renouveler »...: the French label of a derived state."""
    return STATE_LABELS.get(code, code or "")


@bp.app_template_filter("amended_articles")
def amended_articles_filter(convention) -> list[dict]:
    """The articles an avenant rewrites, for its page (``[{"number", "text"}]``, read from its values)."""
    return amended_articles(convention)
