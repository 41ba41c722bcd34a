"""/compliance: the verdicts of the hôpitaux de proximité the token's user may see, under the texts in force or the
2016 R6111-26 (docs/interface.md); /compliance/rule-sets: the rule sets."""

from math import ceil

from flask import current_app
from flask.views import MethodView
from marshmallow import validate
from sqlalchemy import func, select

from registry.api.blueprint import ApiBlueprint
from registry.api.fields import Boolean, Date, FrenchSchema, Integer, List, Nested, String, one_of
from registry.api.pagination import MAX_PAGE, PaginationArgs
from registry.compliance.adapter import evaluate_hospitals, filter_hospitals
from registry.compliance.exports import document
from registry.compliance.requirements import VERDICTS
from registry.compliance.rules import CURRENT, RULESETS
from registry.core import clock
from registry.core.access import signed_in
from registry.core.dates import FIRST_DAY, LAST_DAY, RANGE_MESSAGE
from registry.core.geography import DEPARTEMENTS, REGIONS
from registry.core.scope import visible_hospitals
from registry.extensions import db

blp = ApiBlueprint("api_compliance", "Conformité des hôpitaux de proximité aux textes en vigueur (L6111-3-2, "
                                     "L6111-3-3, R6111-24) ou à l'article R6111-26 dans sa rédaction de 2016.")
ALL_CODES = tuple(dict.fromkeys(code for ruleset in RULESETS.values() for code in ruleset.codes))


class ComplianceQuery(PaginationArgs):
    region = String(validate=one_of(REGIONS), metadata={
        "description": "Région de l'hôpital. Restreint le périmètre de l'utilisateur sans jamais l'élargir : "
                       "une ARS qui demande une autre région que la sienne reçoit une liste vide."})
    departement = String(validate=one_of(DEPARTEMENTS),
                         metadata={"description": "Département de l'hôpital (pas de son territoire)."})
    at = Date(validate=validate.Range(min=FIRST_DAY, max=LAST_DAY, error=RANGE_MESSAGE),
              metadata={"description": "Date d'évaluation (AAAA-MM-JJ) ; aujourd'hui par défaut."})
    rule_set = String(validate=one_of(RULESETS), metadata={
        "description": f"Jeu de règles ({', '.join(RULESETS)}) ; par défaut {CURRENT.id}, les textes en vigueur."})
    #: Unlike the lists, no page by default: the document holds every hospital unless a page is asked for.
    page = Integer(validate=validate.Range(min=1, max=MAX_PAGE, error="page de 1 à {max}"), metadata={
        "description": "Facultatif : sans « page » ni « per_page », le document contient tous les hôpitaux."})


class RequirementVerdictSchema(FrenchSchema):
    code = String(required=True, validate=validate.OneOf(ALL_CODES), metadata={
        "description": "Exigence du jeu de règles : " + " ; ".join(
            f"{ruleset.id} : {', '.join(ruleset.codes)}" for ruleset in RULESETS.values()) + "."})
    verdict = String(required=True, validate=validate.OneOf(VERDICTS))
    reason = String(required=True, metadata={"description": "Motif en français."})
    citation = String(required=True, metadata={"description": "Article, alinéa et version du texte."})
    evidence = List(String(), required=True, metadata={
        "description": "Références des conventions retenues (satisfait ou à risque), la meilleure d'abord."})
    title = String(metadata={"description": "Intitulé français de l'exigence."})
    reading = String(metadata={"description": "Lecture du texte par l'application, affichée près du verdict."})
    ruleset = String(metadata={"description": "Jeu de règles sur lequel le verdict repose."})
    deadline = String(allow_none=True, metadata={
        "description": "Convention à conclure dans un délai : dernier jour (AAAA-MM-JJ), sinon null."})
    flags = List(String(), metadata={"description": "Ce qui reste à faire : « non_transmise » (convention en vigueur "
                                                    "non transmise à l'ARS)."})
    recommended = Boolean(metadata={"description": "Partenariat seulement recommandé par les textes en vigueur."})


class HospitalComplianceSchema(FrenchSchema):
    finess_et = String(required=True)
    name = String(required=True)
    departement = String(allow_none=True)
    requirements = List(Nested(RequirementVerdictSchema), required=True)


class ComplianceDocument(FrenchSchema):
    """{"at", "hospitals": [{"finess_et", "name", "requirements": [...]}]}; `compliance --format json` prints the
    same document."""

    at = String(required=True, metadata={"description": "Date d'évaluation (AAAA-MM-JJ)."})
    rule_set = String(required=True, metadata={"description": "Code du jeu de règles appliqué."})
    ruleset = String(metadata={"description": "Jeu de règles appliqué, avec sa version."})
    hospitals = List(Nested(HospitalComplianceSchema), required=True)
    page = Integer(metadata={"description": "Seulement quand « page » ou « per_page » est demandé."})
    per_page = Integer()
    total = Integer(metadata={"description": "Nombre total d'hôpitaux (document paginé)."})
    pages = Integer()


@blp.route("/compliance")
@signed_in
class Compliance(MethodView):
    @blp.arguments(ComplianceQuery, location="query")
    @blp.response(200, ComplianceDocument)
    @blp.alt_response(422, description="Paramètre invalide (date, région, département, page).")
    def get(self, args):
        """Verdicts par hôpital de proximité et par exigence, avec motifs, citations et conventions retenues.

        Périmètre de l'utilisateur du jeton : tous les hôpitaux (administrateur), ceux de sa région (ARS), le
        sien (établissement). « region » et « departement » restreignent ce périmètre ; une région hors
        périmètre donne une liste vide, jamais une erreur. Mêmes verdicts que les pages et la commande
        `compliance --format json`.
        """
        at = args.get("at") or clock.today()
        ruleset = RULESETS.get(args.get("rule_set"), CURRENT)
        hospitals = filter_hospitals(visible_hospitals(), region=args.get("region"),
                                     departement=args.get("departement"))
        paging = {}
        if "page" in args or "per_page" in args:
            page, per_page = args.get("page", 1), args.get("per_page") or current_app.config["PAGE_SIZE"]
            total = db.session.scalar(select(func.count()).select_from(hospitals.order_by(None).subquery()))
            paging = {"page": page, "per_page": per_page, "total": total, "pages": ceil(total / per_page)}
            hospitals = hospitals.limit(per_page).offset((page - 1) * per_page)
        return {**document(evaluate_hospitals(hospitals, at, ruleset), at, ruleset), **paging}


class RuleSetSchema(FrenchSchema):
    code = String(required=True)
    title = String(required=True)
    version = Integer()
    default = Boolean(required=True)


class RuleSetList(FrenchSchema):
    rule_sets = List(Nested(RuleSetSchema), required=True)


@blp.route("/compliance/rule-sets")
@signed_in
class RuleSets(MethodView):
    @blp.response(200, RuleSetList)
    def get(self):
        """Les jeux de règles : les textes en vigueur (par défaut) et l'article R6111-26 dans sa rédaction de 2016."""
        return {"rule_sets": [{"code": ruleset.id, "title": ruleset.title, "version": ruleset.version,
                               "default": ruleset is CURRENT} for ruleset in RULESETS.values()]}
