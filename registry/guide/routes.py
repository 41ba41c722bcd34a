"""« Aide »: the guide's pages and their images, for any signed-in user."""

from flask import Blueprint, abort, current_app, redirect, render_template, send_from_directory, url_for

from registry.core.access import public, signed_in
from registry.guide.pages import PAGES, guide_page

bp = Blueprint("guide", __name__, url_prefix="/aide")
bp.add_app_template_global(PAGES, "GUIDE_PAGES")  # the « Aide » menu of every page
#: The application's icon, asked for by browsers at the site's root whatever the page declares.
icon_bp = Blueprint("icon", __name__)


@bp.app_template_global()
def guide_url(slug: str) -> str:
    """A guide page's address: the first one is /aide/ itself."""
    return url_for("guide.index") if slug == "index" else url_for("guide.page", slug=slug)


@bp.get("/")
@signed_in
def index():
    return _show("index")


@bp.get("/<slug>")
@signed_in
def page(slug: str):
    if slug == "index":
        return redirect(url_for("guide.index"), code=308)
    return _show(slug)


def _show(slug: str):
    found = guide_page(current_app.config["GUIDE_DIR"], slug)
    if found is None:
        abort(404)
    return render_template("guide/page.html", page=found)


@bp.get("/images/<path:filename>")
@signed_in
def image(filename: str):
    return send_from_directory(current_app.config["GUIDE_DIR"] + "/images", filename, max_age=3600)


@icon_bp.get("/favicon.ico")
@public
def favicon():
    return send_from_directory(current_app.static_folder, "favicon.ico", max_age=86400)
