"""Signed-in sessions that end when they should: at logout (every cookie issued before is refused, the user's
session version having moved on), after SESSION_IDLE_MINUTES without a request, and SESSION_MAX_HOURS after the
login whatever the activity. Times are read from the application's clock (core.clock).

The session cookie stays Flask's signed cookie; what makes it revocable is the version it carries
(``User.get_id()`` = "id:version"), checked against the database on every request.
"""

from flask import current_app, request, session
from flask_login import current_user, login_user, logout_user

from registry.accounts.models import User
from registry.core import clock
from registry.core.access import is_api_request
from registry.extensions import db

SIGNED_IN_AT, SEEN_AT = "signed_in_at", "seen_at"
# The last activity is written into the cookie at most once a minute. A request that changes nothing else then sends
# no cookie back, so that a lookup still running when a form is sent (the communes' list, a job's status) cannot
# put back a cookie without the message the form's answer has just added. A session therefore ends between
# SESSION_IDLE_MINUTES and one minute more after the last request, never before.
ACTIVITY_RESOLUTION_SECONDS = 60


def load_user(session_id: str) -> User | None:
    """Flask-Login's user loader: the user whose id and current session version the cookie holds."""
    user_id, _, version = (session_id or "").partition(":")
    if not user_id.isdigit() or not version.isdigit():
        return None  # a cookie from before session versions, or a forged one
    user = db.session.get(User, int(user_id))
    return user if user is not None and (user.session_version or 1) == int(version) else None


def start(user: User) -> None:
    """Sign ``user`` in: a fresh session (only the CSRF token of the login page kept), its start and last activity
    recorded."""
    csrf_token = session.get("csrf_token")
    session.clear()
    if csrf_token:
        session["csrf_token"] = csrf_token
    login_user(user)
    now = clock.now().timestamp()
    session[SIGNED_IN_AT] = session[SEEN_AT] = now
    session.permanent = True


def end(user: User) -> None:
    """Sign out everywhere this user's session cookie may have been copied: the version moves on."""
    user.session_version = (user.session_version or 1) + 1
    db.session.commit()
    logout_user()
    session.clear()


def expire_idle_sessions():
    """before_request hook (pages only): a session idle or too old ends here, as if signed out. Static files neither
    end nor extend a session, and their answers carry no cookie."""
    if (request.endpoint or "").endswith("static") or is_api_request() or not current_user.is_authenticated \
            or SIGNED_IN_AT not in session and SEEN_AT not in session:
        return None
    now = clock.now().timestamp()
    idle = current_app.config.get("SESSION_IDLE_MINUTES")
    longest = current_app.config.get("SESSION_MAX_HOURS")
    seen = session.get(SEEN_AT, 0)
    if (idle and now - seen > idle * 60 + ACTIVITY_RESOLUTION_SECONDS) or \
            (longest and now - session.get(SIGNED_IN_AT, 0) > longest * 3600):
        logout_user()
        session.clear()
        return None
    if now - seen >= ACTIVITY_RESOLUTION_SECONDS:
        session[SEEN_AT] = now
    return None
