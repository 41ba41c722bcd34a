"""Security headers on every answer: assets are all local, so the policy allows only this origin."""

from flask import current_app

CONTENT_SECURITY_POLICY = ("default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
                           "object-src 'none'; frame-ancestors 'none'; form-action 'self'; base-uri 'self'")


#: One year: browsers then refuse plain HTTP to the site (production only: it needs TLS before it).
HSTS = "max-age=31536000; includeSubDomains"


def add_security_headers(response):
    response.headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
    response.headers.setdefault("X-Content-Type-Options", "nosniff")
    response.headers.setdefault("X-Frame-Options", "DENY")
    response.headers.setdefault("Referrer-Policy", "same-origin")
    if response.mimetype == "text/html":  # pages show health-establishment data: never kept by a cache
        response.headers.setdefault("Cache-Control", "no-store")
    if current_app.config.get("PRODUCTION"):
        response.headers.setdefault("Strict-Transport-Security", HSTS)
    return response
