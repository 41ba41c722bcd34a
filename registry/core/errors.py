"""Domain errors carry a French message for the user; handlers turn errors into pages or JSON."""

from flask import jsonify, render_template, request
from sqlalchemy.exc import OperationalError
from werkzeug.exceptions import HTTPException

from registry.extensions import db

FRENCH_STATUS = {
    400: "Requête invalide",
    401: "Authentification requise",
    403: "Accès refusé",
    404: "Page introuvable",
    405: "Méthode non autorisée",
    409: "Conflit",
    413: "Fichier trop volumineux",
    422: "Données invalides",
    429: "Trop de tentatives, réessayez dans une minute",
    500: "Erreur interne",
    503: "Service momentanément indisponible, réessayez dans un instant",
}
#: The database stayed busy longer than its wait (a long import on SQLite): nothing was written.
DATABASE_BUSY = ("La base de données est occupée par une autre opération (un import, par exemple) : rien n'a été "
                 "enregistré. Réessayez dans un instant.")


class DomainError(Exception):
    """A rule of the domain refused the operation; ``message`` is shown to the user as is."""

    status = 422
    code = "invalid"

    def __init__(self, message: str, details=None):
        super().__init__(message)
        self.message = message
        self.details = details


class NotFound(DomainError):
    status = 404
    code = "not_found"


class Conflict(DomainError):
    status = 409
    code = "conflict"


def is_api_request() -> bool:
    return request.path.startswith("/api/")


def json_error(status: int, code: str, message: str, details=None):
    body = {"error": {"code": code, "message": message, "details": details}}
    return jsonify(body), status


def register_error_handlers(app):
    @app.errorhandler(HTTPException)
    def handle_http(error: HTTPException):
        status = error.code or 500
        message = FRENCH_STATUS.get(status, error.name)
        if is_api_request():
            details = getattr(error, "data", {}).get("messages") if hasattr(error, "data") else None
            code = (error.name or "error").lower().replace(" ", "_")
            return json_error(status, code, message, details)
        return render_template("errors/error.html", status=status, message=message), status

    @app.errorhandler(DomainError)
    def handle_domain(error: DomainError):
        db.session.rollback()
        if is_api_request():
            return json_error(error.status, error.code, error.message, error.details)
        return render_template("errors/error.html", status=error.status, message=error.message), error.status

    @app.errorhandler(OperationalError)
    def handle_database_busy(error: OperationalError):
        db.session.rollback()
        if "database is locked" not in str(error.orig):
            return handle_unexpected(error)
        app.logger.warning("Database busy on %s: %s", request.path, error.orig)
        if is_api_request():
            return json_error(503, "database_busy", DATABASE_BUSY)
        return render_template("errors/error.html", status=503, message=DATABASE_BUSY), 503

    @app.errorhandler(Exception)
    def handle_unexpected(error: Exception):
        db.session.rollback()
        app.logger.exception("Unhandled error on %s", request.path)
        if is_api_request():
            return json_error(500, "internal_error", FRENCH_STATUS[500])
        return render_template("errors/error.html", status=500, message=FRENCH_STATUS[500]), 500
