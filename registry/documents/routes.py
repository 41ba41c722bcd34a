"""Template administration pages (administrators): list, upload a new template or a new version."""

from flask import Blueprint

bp = Blueprint("templates_admin", __name__, url_prefix="/administration/modeles")
