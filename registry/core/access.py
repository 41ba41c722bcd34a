"""Access control, enforced in one place.

Every view declares who may call it (``@public``, ``@signed_in``, ``@roles(...)``); a ``before_request`` hook
refuses any endpoint that declares nothing, so a new route cannot forget its check. Data is reached through the
scoped queries of ``registry.core.scope``, so forgetting an object check returns nothing rather than everything.
"""

from flask import abort, current_app, g, has_request_context, redirect, request, url_for
from flask_login import AnonymousUserMixin, current_user

#: Endpoints registered by extensions, with the policy they get.
EXTENSION_ENDPOINTS = {
    "static": "public",
    "bootstrap.static": "public",
    "api-docs.openapi_json": "public",
}


def _declare(policy, allowed_roles=()):
    def decorator(view):
        view.access_policy = policy
        view.access_roles = frozenset(allowed_roles)
        return view
    return decorator


def public(view):
    """Anyone, signed in or not (login page, OpenAPI document)."""
    return _declare("public")(view)


def signed_in(view):
    """Any signed-in user; the data it shows is still limited by the scoped queries."""
    return _declare("signed_in")(view)


def roles(*allowed):
    """Signed-in users with one of these roles."""
    return _declare("roles", allowed)


def policy_of(endpoint: str, method: str | None = None):
    """(policy, roles) declared for an endpoint and a method (by default the current request's method).

    A MethodView declares on the class for all its methods, or on a method (which wins); without a method
    (outside a request) only the class's declaration counts.
    """
    if endpoint in EXTENSION_ENDPOINTS:
        return EXTENSION_ENDPOINTS[endpoint], frozenset()
    view = current_app.view_functions.get(endpoint)
    view_class = getattr(view, "view_class", None)
    if view_class is not None:
        method = method or (request.method if has_request_context() else None)
        handler = getattr(view_class, method.lower(), None) if method else None
        if handler is None and method == "HEAD":
            handler = getattr(view_class, "get", None)
        view = handler if hasattr(handler, "access_policy") else view_class
    return getattr(view, "access_policy", None), getattr(view, "access_roles", frozenset())


def is_api_request() -> bool:
    return request.blueprint is not None and request.blueprint.startswith("api")


def authenticate_api_request():
    """The API reads only bearer tokens, never the session cookie (so it needs no CSRF token)."""
    from registry.accounts.services import user_for_token

    header = request.headers.get("Authorization", "")
    user = None
    if header.lower().startswith("bearer "):
        user = user_for_token(header[7:].strip())
    g._login_user = user or AnonymousUserMixin()


def enforce_access():
    """before_request hook: deny by default, then check the declared policy."""
    if request.endpoint is None:
        return None  # unknown URL: the 404 handler answers
    if is_api_request():
        authenticate_api_request()
    policy, allowed_roles = policy_of(request.endpoint)
    if policy is None:
        current_app.logger.error("Endpoint %s declares no access policy: refused", request.endpoint)
        abort(403)
    if policy == "public":
        return None
    if not current_user.is_authenticated:
        if is_api_request():
            abort(401)
        return redirect(url_for("accounts.login", next=request.full_path.rstrip("?")))
    if policy == "roles" and current_user.role not in allowed_roles:
        abort(403)
    return None


def require(condition: bool):
    """Abort with 403 unless the condition holds (object-level checks after a scoped load)."""
    if not condition:
        abort(403)

