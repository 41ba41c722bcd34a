"""The conventions blueprint and its template filters (pure: they query nothing). Its URL map, every view with
its address, is in urls.py; the views are in the *_routes.py modules."""

from flask import Blueprint

from registry.conventions.context import amended_articles
from registry.conventions.lifecycle import STATE_LABELS, STATUS_LABELS

bp = Blueprint("conventions", __name__)


@bp.app_template_filter("convention_status")
def convention_status(code: str) -> str:
    return STATUS_LABELS.get(code, code)


@bp.app_template_filter("convention_state")
def convention_state(code: str | None) -> str:
    """« En vigueur », « À renouveler »...: the French label of a derived state."""
    return STATE_LABELS.get(code, code or "")


@bp.app_template_filter("amended_articles")
def amended_articles_filter(convention) -> list[dict]:
    """The articles an avenant rewrites, for its page (``[{"number", "text"}]``, read from its values)."""
    return amended_articles(convention)
