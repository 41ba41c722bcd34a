"""The life of a CPOM after its signature (docs/cpom.md): more sites, its signed copy, avenants and the targets they
change, the conventions linked to an engagement, evaluations; and the two spreadsheet loads, an ARS's own catalogue
and activity-data values. Same rights as the rest of /cpoms: the ARS of the region and administrators write, the
covered hospitals read (and import their activity data), nobody else sees anything (404).
"""

from flask import request
from flask.views import MethodView
from flask_login import current_user
from marshmallow import validate
from webargs.flaskparser import abort

from registry.accounts.models import ROLE_ARS
from registry.api.blueprint import MAX_ID, ApiBlueprint, load_json
from registry.api.cpom import ID, TargetInput, avenant_dict, cpom_dict, engagement_dict, get_avenant, get_cpom, get_engagement
from registry.api.fields import Boolean, Date, FrenchSchema, Integer, List, Nested, String, one_of, valid_finess
from registry.conventions.bulk_import import ImportRefused
from registry.core.access import require, signed_in
from registry.core.errors import DomainError
from registry.core.geography import REGIONS
from registry.core.scope import get_hospital, may_declare_cpom, may_write_cpom
from registry.cpom import activity_import, avenants, catalogue_import, services
from registry.cpom.evaluation import KINDS, evaluation_dict, record_evaluation
from registry.extensions import db

blp = ApiBlueprint("api_cpom_changes", "CPOM après signature : sites, exemplaire signé, avenants et cibles, "
                                       "conventions liées, évaluations ; chargement d'un catalogue et des données "
                                       "d'activité.")


class SiteInput(FrenchSchema):
    hospital = String(required=True, validate=valid_finess)


class AvenantInput(FrenchSchema):
    signed_on = Date(required=True)
    effective_on = Date(required=True)
    object = String(required=True, validate=validate.Length(min=1, max=4000))


class TargetChangeInput(FrenchSchema):
    avenant = Integer(required=True, validate=validate.Range(min=1, max=MAX_ID))
    target = Nested(TargetInput, required=True)
    applicable = Boolean(load_default=True)
    reason = String(load_default=None, allow_none=True, validate=validate.Length(max=2000))


class ConventionsInput(FrenchSchema):
    conventions = List(Integer(validate=validate.Range(min=1, max=MAX_ID)), required=True)


class EvaluationInput(FrenchSchema):
    kind = String(required=True, validate=one_of(KINDS))
    held_on = Date(required=True)
    minutes = String(load_default=None, allow_none=True, validate=validate.Length(max=20000))


class UploadQuery(FrenchSchema):
    dry_run = Boolean(load_default=False)
    region = String(validate=one_of(REGIONS))
    name = String(validate=validate.Length(max=200))
    source = String(validate=validate.Length(max=2000))


def uploaded_file() -> tuple[bytes, str]:
    upload = request.files.get("file") if request.mimetype == "multipart/form-data" else None
    if upload is None:
        abort(400, messages={"form": ["corps multipart/form-data attendu (champ « file »)"]})
    return upload.read(), upload.filename or ""


@blp.route(f"/cpoms/<{ID}:cpom_id>/sites")
@signed_in
class Sites(MethodView):
    @blp.json_body(SiteInput)
    def post(self, cpom_id):
        """Couvrir un autre site HdP de la même entité juridique (ARS de la région, administrateur)."""
        cpom = get_cpom(cpom_id)
        require(may_write_cpom())
        services.add_site(cpom, get_hospital(load_json(SiteInput)["hospital"]), actor=current_user)
        db.session.commit()
        return cpom_dict(cpom)


@blp.route(f"/cpoms/<{ID}:cpom_id>/signed-copy")
@signed_in
class SignedCopy(MethodView):
    @blp.alt_response(201, description="L'exemplaire signé du CPOM, vérifié par son contenu.")
    def post(self, cpom_id):
        """Déposer l'exemplaire signé du CPOM (PDF ou document bureautique) dans le champ « file »."""
        cpom = get_cpom(cpom_id)
        require(may_write_cpom())
        data, filename = uploaded_file()
        services.attach_signed_copy(cpom, data, filename, actor=current_user)
        db.session.commit()
        return cpom_dict(cpom), 201


@blp.route(f"/cpoms/<{ID}:cpom_id>/avenants")
@signed_in
class Avenants(MethodView):
    @blp.json_body(AvenantInput)
    @blp.alt_response(201, description="L'avenant enregistré, numéroté.")
    def post(self, cpom_id):
        """Enregistrer un avenant (ARS de la région, administrateur) : seul moyen de changer une cible ou
        d'ajouter un engagement une fois des valeurs déclarées."""
        cpom = get_cpom(cpom_id)
        require(may_write_cpom())
        payload = load_json(AvenantInput)
        avenant = avenants.record_avenant(cpom, signed_on=payload["signed_on"], effective_on=payload["effective_on"],
                                          object=payload["object"], actor=current_user)
        db.session.commit()
        return avenant_dict(avenant), 201


@blp.route(f"/cpoms/<{ID}:cpom_id>/avenants/<{ID}:avenant_id>/signed-copy")
@signed_in
class AvenantSignedCopy(MethodView):
    @blp.alt_response(201, description="L'exemplaire signé de l'avenant.")
    def post(self, cpom_id, avenant_id):
        """Déposer l'exemplaire signé d'un avenant dans le champ « file »."""
        cpom = get_cpom(cpom_id)
        avenant = get_avenant(cpom, avenant_id)
        require(may_write_cpom())
        data, filename = uploaded_file()
        services.attach_signed_copy(avenant, data, filename, actor=current_user)
        db.session.commit()
        return avenant_dict(avenant), 201


@blp.route(f"/cpoms/<{ID}:cpom_id>/engagements/<{ID}:engagement_id>/target")
@signed_in
class Target(MethodView):
    @blp.json_body(TargetChangeInput)
    def put(self, cpom_id, engagement_id):
        """Changer la cible (ou l'applicabilité) d'un engagement par un avenant ; les années antérieures à sa date
        d'effet gardent l'ancienne cible."""
        engagement = get_engagement(cpom_id, engagement_id)
        require(may_write_cpom())
        payload = load_json(TargetChangeInput)
        avenant = get_avenant(engagement.cpom, payload["avenant"])
        avenants.change_target(engagement, avenant, comparator=payload["target"]["comparator"],
                               target_value=payload["target"]["value"], applicable=payload["applicable"],
                               reason=payload["reason"], actor=current_user)
        db.session.commit()
        return engagement_dict(engagement)


@blp.route(f"/cpoms/<{ID}:cpom_id>/engagements/<{ID}:engagement_id>/conventions")
@signed_in
class LinkedConventions(MethodView):
    @blp.json_body(ConventionsInput)
    def put(self, cpom_id, engagement_id):
        """Les conventions qui mettent en œuvre l'engagement (celles des hôpitaux couverts)."""
        engagement = get_engagement(cpom_id, engagement_id)
        require(may_write_cpom())
        services.link_conventions(engagement, load_json(ConventionsInput)["conventions"], actor=current_user)
        db.session.commit()
        return engagement_dict(engagement)


@blp.route(f"/cpoms/<{ID}:cpom_id>/evaluations")
@signed_in
class Evaluations(MethodView):
    @blp.json_body(EvaluationInput)
    @blp.alt_response(201, description="L'évaluation, avec l'évaluation de chaque engagement sur les années "
                                       "qu'elle rassemble.")
    def post(self, cpom_id):
        """Enregistrer l'évaluation à mi-parcours, finale ou annuelle, avec son compte rendu (ARS, administrateur)."""
        cpom = get_cpom(cpom_id)
        require(may_write_cpom())
        payload = load_json(EvaluationInput)
        evaluation = record_evaluation(cpom, kind=payload["kind"], held_on=payload["held_on"],
                                       minutes=payload["minutes"], actor=current_user)
        db.session.commit()
        return evaluation_dict(evaluation), 201


@blp.route("/cpom/catalogues")
@signed_in
class Catalogues(MethodView):
    @blp.arguments(UploadQuery, location="query")
    @blp.alt_response(201, description="Le catalogue chargé (nouvelle version de la région).")
    @blp.alt_response(200, description="Avec « dry_run=true » : l'aperçu, rien n'est enregistré.")
    def post(self, args):
        """Charger la fiche d'engagements de l'ARS (CSV ou XLSX, champ « file ») : chaque ligne est vérifiée,
        tout ou rien. « name » et « source » la nomment ; « region » pour un administrateur."""
        require(may_write_cpom())
        region = current_user.region if current_user.role == ROLE_ARS else args.get("region")
        if not region:
            raise DomainError("Catalogue refusé : indiquez la région (paramètre « region »).")
        data, _filename = uploaded_file()
        try:
            plan = catalogue_import.check_sheet(data)
        except ImportRefused as error:
            raise DomainError(str(error)) from None
        preview = {"indicators": [indicator.as_dict() for indicator in plan.indicators],
                   "problems": [{"line": line, "message": message} for line, message in plan.problems],
                   "ignored_columns": plan.ignored_columns}
        if args["dry_run"]:
            return preview, 200
        catalogue = catalogue_import.load_catalogue(region, args.get("name", ""), args.get("source", ""), plan,
                                                    actor=current_user)
        db.session.commit()
        return {"id": catalogue.id, "region": region, **preview}, 201


@blp.route("/cpom/activity-data")
@signed_in
class ActivityData(MethodView):
    @blp.arguments(UploadQuery, location="query")
    def post(self, args):
        """Importer des valeurs de données d'activité (CSV ou XLSX, champ « file » : finess, annee, indicateur,
        valeur ou numerateur et denominateur) : chaque ligne vérifiée, tout ou rien ; « dry_run=true » pour
        l'aperçu."""
        require(may_write_cpom() or may_declare_cpom())
        data, _filename = uploaded_file()
        try:
            plan = activity_import.check_activity(data)
        except ImportRefused as error:
            raise DomainError(str(error)) from None
        preview = {"rows": [{"line": row.line, "finess_et": row.finess, "indicator": row.engagement.indicator,
                             "year": row.year, "value": row.value, "numerator": row.numerator,
                             "denominator": row.denominator} for row in plan.rows],
                   "problems": [{"line": line, "message": message} for line, message in plan.problems]}
        if args["dry_run"]:
            return preview, 200
        imported = activity_import.import_activity(plan, actor=current_user)
        db.session.commit()
        return {"imported": imported, **preview}
