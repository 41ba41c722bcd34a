"""The « Calendrier » page (create, regenerate or delete one's secret calendar address) and the feed itself, which
answers without a session but only to a valid token of an active user (docs/reminders.md)."""

from flask import Blueprint, abort, current_app, flash, redirect, render_template, url_for
from flask_login import current_user

from registry.accounts.models import ROLE_ARS, ROLE_HOSPITAL
from registry.core.access import public, roles
from registry.core.transaction import commit_or_error
from registry.extensions import limiter
from registry.reminders.calendar import calendar_of, delete_feed, feed_of, issue_feed, links, user_for_feed

bp = Blueprint("calendar", __name__)


def _feed_limit() -> str:
    return current_app.config["CALENDAR_RATE_LIMIT"]


def _page(token: str | None = None):
    user = current_user._get_current_object()
    address = None
    if token is not None:
        with links():
            address = url_for("calendar.feed", token=token, _external=True)
    return render_template("reminders/calendar.html", feed=feed_of(user), address=address)


@bp.route("/compte/calendrier", methods=["GET"])
@roles(ROLE_HOSPITAL, ROLE_ARS)
def page():
    return _page()


@bp.route("/compte/calendrier", methods=["POST"])
@roles(ROLE_HOSPITAL, ROLE_ARS)
def issue():
    """Create the address, or replace it (the old one stops answering); the new one is shown on this answer only."""
    token, _ = commit_or_error(lambda: issue_feed(current_user._get_current_object()))
    return _page(token)


@bp.route("/compte/calendrier/suppression", methods=["POST"])
@roles(ROLE_HOSPITAL, ROLE_ARS)
def delete():
    _, error = commit_or_error(lambda: delete_feed(current_user._get_current_object()))
    flash(error or "Adresse de calendrier supprimée : elle ne répond plus.", "warning" if error else "success")
    return redirect(url_for("calendar.page"))


@bp.route("/calendrier/<token>.ics", methods=["GET"])
@limiter.limit(_feed_limit)
@public
def feed(token: str):
    user = user_for_feed(token)
    if user is None:
        abort(404)
    with links():
        body = calendar_of(user)
    response = current_app.response_class(body, mimetype="text/calendar")
    response.headers["Content-Disposition"] = 'inline; filename="echeances.ics"'
    response.headers["Cache-Control"] = "no-store"
    return response
