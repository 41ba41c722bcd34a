"""/templates: the convention templates (any signed-in user) and their upload by administrators."""

from flask import jsonify, request
from flask.views import MethodView
from flask_login import current_user
from webargs.flaskparser import abort

from registry.api.blueprint import ApiBlueprint
from registry.api.template_schemas import (TemplateCheck, TemplateList, TemplateStored, TemplateUploadQuery,
                                           template_values)
from registry.core.access import roles, signed_in
from registry.documents.problems import Problem
from registry.documents.uploads import check_template, read_manifest, rejected, store_template
from registry.documents.versions import latest_versions
from registry.extensions import db

blp = ApiBlueprint("api_templates", "Modèles de convention : liste et téléversement (administrateurs).")

UPLOAD_BODY = {"required": True, "content": {"multipart/form-data": {"schema": {
    "type": "object", "required": ["file", "manifest"],
    "properties": {
        "file": {"type": "string", "format": "binary", "description": "Le modèle Word (.docx)."},
        "manifest": {"type": "string", "description": "Le manifeste : texte JSON, ou fichier .json."},
    }}}}}


@blp.route("/templates")
@signed_in
class Templates(MethodView):
    @blp.response(200, TemplateList)
    def get(self):
        """Les modèles de convention disponibles : le manifeste de la dernière version de chacun."""
        return {"templates": latest_versions()}

    @roles("admin")
    @blp.arguments(TemplateUploadQuery, location="query")
    @blp.doc(requestBody=UPLOAD_BODY)
    @blp.response(201, TemplateStored, description="Nouveau modèle, ou nouvelle version d'un modèle.")
    @blp.alt_response(200, schema=TemplateCheck,
                      description="Avec « dry_run=true » : le modèle est valide, rien n'est enregistré (ce "
                                  "schéma). Sans : ce fichier et ce manifeste sont déjà une version, renvoyée telle "
                                  "quelle (schéma TemplateStored, « created » faux).")
    @blp.alt_response(400, description="Corps multipart/form-data attendu.")
    @blp.alt_response(409, description="Même document Word qu'une version existante, avec un autre manifeste.")
    @blp.alt_response(413, description="Fichier au-delà de MAX_UPLOAD_MB.")
    @blp.alt_response(422, description="Modèle refusé : « error.details » liste chaque problème "
                                       "{message, part, paragraph, code, entry}.")
    def post(self, args):
        """Téléverser un modèle (ou une nouvelle version) : champs « file » (.docx) et « manifest » (JSON).

        Tout est vérifié avant d'enregistrer : document Word valide, syntaxe des balises, variables et clauses
        déclarées dans le manifeste (en-têtes et pieds de page compris), filtres connus, constructions refusées
        par le bac à sable, rendu d'essai. Réservé aux administrateurs.
        """
        data, manifest = read_upload()
        if args["dry_run"]:
            version, created = check_template(data, manifest)
            return jsonify(TemplateCheck().dump({"valid": True, "problems": [], "code": manifest["code"],
                                                 "version": version, "created": created})), 200
        version, created = store_template(data, manifest, current_user)
        db.session.commit()
        return {**template_values(version), "created": created}, 201 if created else 200


def read_upload() -> tuple[bytes, dict]:
    """The .docx bytes and the manifest of a multipart upload; 400 when it is not multipart, 422 (located
    problems) when a part is missing or the manifest is not JSON."""
    if request.mimetype != "multipart/form-data":
        abort(400, messages={"form": ["corps multipart/form-data attendu (champs « file » et « manifest »)"]})
    upload = request.files.get("file")
    data = upload.read() if upload is not None else b""
    manifest_file = request.files.get("manifest")
    manifest, problems = read_manifest(manifest_file.read() if manifest_file is not None
                                       else request.form.get("manifest"))
    if upload is None or not upload.filename:
        problems.insert(0, Problem(message="Le fichier du modèle (.docx) est manquant (champ « file »).",
                                   part="package", code="missing_file"))
    if problems:
        raise rejected(problems)
    return data, manifest
