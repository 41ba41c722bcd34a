"""Convention pages: drafting from a template, the convention page, drafts and previews."""

from flask import Blueprint

bp = Blueprint("conventions", __name__)
