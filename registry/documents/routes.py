"""Template administration pages (administrators): list, upload a new template or a new version, download."""

import io
import json
from itertools import groupby

from flask import Blueprint, abort, flash, redirect, render_template, request, send_file, url_for
from flask_login import current_user
from sqlalchemy import select

from registry.conventions.services import DOCX
from registry.core.access import roles
from registry.core.errors import DomainError
from registry.documents.forms import TemplateUploadForm
from registry.documents.models import TemplateVersion
from registry.documents.uploads import read_manifest, rejected, store_template
from registry.documents.versions import TemplateRejected, template_bytes
from registry.extensions import db

bp = Blueprint("templates_admin", __name__, url_prefix="/administration/modeles")

#: French names of the parts of a template where a problem can be.
PARTS = {"document": "Corps du document", "header": "En-tête", "footer": "Pied de page",
         "footnotes": "Notes de bas de page", "properties": "Propriétés du document", "manifest": "Manifeste",
         "package": "Fichier"}


@bp.app_template_filter("template_part")
def template_part(code: str) -> str:
    return PARTS.get(code, code)


@bp.route("/")
@roles("admin")
def index():
    """Every template, newest version first within each, in one query."""
    versions = db.session.scalars(select(TemplateVersion).order_by(TemplateVersion.code,
                                                                   TemplateVersion.version.desc()))
    templates = [list(group) for _, group in groupby(versions, key=lambda version: version.code)]
    templates.sort(key=lambda group: group[0].name.lower())
    return render_template("documents/index.html", templates=templates)


def _prefill(form: TemplateUploadForm, code: str | None) -> TemplateVersion | None:
    """For a new version of a template: its current version, whose manifest fills the text area."""
    if not code:
        return None
    current = db.session.scalar(select(TemplateVersion).where(TemplateVersion.code == code)
                                .order_by(TemplateVersion.version.desc()).limit(1))
    if current is None:
        abort(404)
    if request.method == "GET":
        form.manifest_text.data = json.dumps(current.manifest, ensure_ascii=False, indent=2)
    return current


@bp.route("/televerser", methods=["GET", "POST"])
@roles("admin")
def upload():
    form = TemplateUploadForm()
    current = _prefill(form, request.args.get("modele"))
    problems, error = [], None
    if form.validate_on_submit():
        try:
            manifest, problems = read_manifest(form.manifest_source())
            if problems:
                raise rejected(problems)
            version, created = store_template(form.document.data.read(), manifest, current_user)
        except TemplateRejected as exc:
            db.session.rollback()
            problems, error = exc.details, "Rien n'a été enregistré : corrigez les problèmes listés ci-dessous."
        except DomainError as exc:
            db.session.rollback()
            error = exc.message
        else:
            db.session.commit()
            if created:
                flash(f"Version {version.version} du modèle « {version.name} » enregistrée.", "success")
            else:
                flash(f"Ce fichier et ce manifeste sont déjà la version {version.version} du modèle "
                      f"« {version.name} » : rien n'a changé.", "info")
            return redirect(url_for("templates_admin.index"))
    return render_template("documents/upload.html", form=form, current=current, problems=problems, error=error)


@bp.route("/<code>/versions/<int(max=2147483647):number>")
@roles("admin")
def download(code: str, number: int):
    version = db.session.scalar(select(TemplateVersion).where(TemplateVersion.code == code,
                                                              TemplateVersion.version == number))
    if version is None:
        abort(404)
    return send_file(io.BytesIO(template_bytes(version)), mimetype=DOCX, as_attachment=True,
                     download_name=f"{version.code} v{version.version}.docx")
