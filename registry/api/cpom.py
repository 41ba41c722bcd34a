"""/cpom and /cpoms (docs/interface.md, « CPOM »): the catalogue, a CPOM and its engagements, the yearly declarations
with their proofs, the ARS's proof requests and reviews, and a year's campaign.

The ARS of the region and administrators write CPOMs, engagements, proof requests and reviews; the users of a
covered hospital (and administrators) write declarations and proofs; nobody else sees a CPOM (404).
"""

from flask import Response, request
from flask.views import MethodView
from flask_login import current_user
from marshmallow import fields as ma
from marshmallow import validate
from webargs.flaskparser import abort

from registry.api.blueprint import MAX_ID, ApiBlueprint, load_json
from registry.api.fields import Boolean, Date, FrenchSchema, Integer, List, Nested, String, one_of, valid_finess
from registry.conventions.services import DOCX
from registry.core.access import require, signed_in
from registry.core.errors import NotFound
from registry.core.geography import REGIONS
from registry.core.scope import get_hospital, may_declare_cpom, may_write_cpom, visible_cpoms
from registry.cpom import avenants, campaign, exports, services
from registry.cpom.annex import annex_filename, render_annex
from registry.cpom.report import render_report, report_filename
from registry.cpom.assessment import COMPARATORS
from registry.cpom.catalogue import BUILT_IN, catalogue_of, loaded, spec_of
from registry.cpom.evaluation import evaluation_dict
from registry.cpom.models import Cpom, CpomAvenant, CpomCatalogue, CpomEngagement
from registry.cpom.workflow import DECISIONS
from registry.extensions import db
from registry.hospitals.models import HospitalProfile

blp = ApiBlueprint("api_cpom", "CPOM : catalogue des engagements « lien ville-hôpital », CPOM, déclarations annuelles, "
                               "preuves et revue par l'ARS.")
ID = f"int(max={MAX_ID})"
YEAR = "int(max=9999)"
ENGAGEMENT = f"/cpoms/<{ID}:cpom_id>/engagements/<{ID}:engagement_id>/years/<{YEAR}:year>"


class CpomInput(FrenchSchema):
    hospital = String(required=True, validate=valid_finess, metadata={"description": "FINESS ET de l'hôpital."})
    hospitals = List(String(validate=valid_finess), load_default=list,
                     metadata={"description": "Autres sites (FINESS ET) de la même entité juridique couverts."})
    catalogue = Integer(load_default=None, allow_none=True,
                        metadata={"description": "Catalogue chargé par l'ARS ; par défaut le dernier de la région, "
                                                 "sinon la fiche intégrée."})
    signed_on = Date(required=True)
    effective_on = Date(required=True)
    duration_years = Integer(load_default=5, validate=validate.Range(min=1, max=10, error="de 1 à 10 ans"))


class TargetInput(FrenchSchema):
    comparator = String(required=True, validate=one_of(COMPARATORS))
    value = ma.Float(load_default=None, allow_none=True, error_messages={"invalid": "nombre attendu"})


class EngagementInput(FrenchSchema):
    indicator = String(required=True, validate=validate.Length(min=1, max=60))
    target = Nested(TargetInput, required=True)
    applicable = Boolean(load_default=True)
    reason = String(load_default=None, allow_none=True, validate=validate.Length(max=2000))
    conventions = List(Integer(), load_default=list, metadata={"description": "Conventions liées (identifiants)."})
    avenant = Integer(load_default=None, allow_none=True,
                      metadata={"description": "L'avenant qui l'ajoute (requis une fois des valeurs déclarées)."})


class DeclarationInput(FrenchSchema):
    value = ma.Raw(load_default=None, allow_none=True, metadata={"description": "true/false, un nombre ou un texte."})
    numerator = ma.Float(load_default=None, allow_none=True, error_messages={"invalid": "nombre attendu"})
    denominator = ma.Float(load_default=None, allow_none=True, error_messages={"invalid": "nombre attendu"})
    items = List(String(validate=validate.Length(max=100)), load_default=list)
    comment = String(load_default=None, allow_none=True, validate=validate.Length(max=4000))


class ProofRequestInput(FrenchSchema):
    due = Date(required=True)


class ReviewInput(FrenchSchema):
    decision = String(required=True, validate=one_of(DECISIONS))
    comment = String(load_default=None, allow_none=True, validate=validate.Length(max=4000))


class CampaignQuery(FrenchSchema):
    region = String(validate=one_of(REGIONS))


def cpom_dict(cpom: Cpom) -> dict:
    catalogue = catalogue_of(cpom)
    return {"id": cpom.id, "finess_ej": cpom.finess_ej, "name": cpom.name, "region": cpom.region,
            "catalogue": {"id": catalogue.id, "version": catalogue.name, "source": catalogue.source},
            "signed_copy": {"sha256": cpom.signed_copy_sha256, "filename": cpom.signed_copy_filename}
            if cpom.signed_copy_sha256 else None,
            "avenants": [avenant_dict(avenant) for avenant in cpom.avenants],
            "evaluations": [evaluation_dict(item) for item in cpom.evaluations],
            "signed_on": cpom.signed_on.isoformat(), "effective_on": cpom.effective_on.isoformat(),
            "duration_years": cpom.duration_years, "ends_on": cpom.ends_on.isoformat(),
            "midterm_due": cpom.midterm_due.isoformat(), "renewal_due": cpom.renewal_due.isoformat(),
            "hospitals": [site.finess_et for site in cpom.sites],
            "engagements": [engagement_dict(engagement) for engagement in cpom.engagements]}


def avenant_dict(avenant) -> dict:
    return {"id": avenant.id, "number": avenant.number, "signed_on": avenant.signed_on.isoformat(),
            "effective_on": avenant.effective_on.isoformat(), "object": avenant.object,
            "signed_copy": avenant.signed_copy_sha256}


def engagement_dict(engagement: CpomEngagement) -> dict:
    spec = spec_of(engagement)
    return {"id": engagement.id, "indicator": engagement.indicator, "label": spec.label, "kind": spec.kind,
            "target": {"comparator": engagement.comparator, "value": engagement.target_value},
            "applicable": engagement.applicable, "reason": engagement.reason,
            "avenant": engagement.avenant_id, "target_history": avenants.history(engagement),
            "conventions": [{"id": item.id, "reference": item.reference} for item in engagement.conventions],
            "years": [declaration_dict(item) for item in engagement.declarations]}


def declaration_dict(declaration) -> dict:
    state = campaign.year_state(declaration.engagement, declaration.year)
    return {"year": declaration.year, "status": declaration.status, "value": declaration.value,
            "source": declaration.source, "target": state.target.as_dict(),
            "numerator": declaration.numerator, "denominator": declaration.denominator,
            "items": declaration.items, "comment": declaration.comment,
            "proof_due": declaration.proof_due.isoformat() if declaration.proof_due else None,
            "review_comment": declaration.review_comment, "assessment": state.assessment,
            "proofs": [{"sha256": proof.sha256, "size": proof.size, "filename": proof.filename,
                        "media_type": proof.media_type} for proof in declaration.proofs]}


def get_cpom(cpom_id: int) -> Cpom:
    cpom = db.session.scalar(visible_cpoms().where(Cpom.id == cpom_id))
    if cpom is None:
        raise NotFound("CPOM introuvable ou hors de votre périmètre.")
    return cpom


def get_avenant(cpom: Cpom, avenant_id: int | None) -> CpomAvenant | None:
    if avenant_id is None:
        return None
    avenant = next((item for item in cpom.avenants if item.id == avenant_id), None)
    if avenant is None:
        raise NotFound("Avenant introuvable dans ce CPOM.")
    return avenant


def get_engagement(cpom_id: int, engagement_id: int) -> CpomEngagement:
    cpom = get_cpom(cpom_id)
    engagement = next((item for item in cpom.engagements if item.id == engagement_id), None)
    if engagement is None:
        raise NotFound("Engagement introuvable dans ce CPOM.")
    return engagement


class CatalogueQuery(FrenchSchema):
    region = String(validate=one_of(REGIONS))
    id = Integer(validate=validate.Range(min=1, max=MAX_ID))


@blp.route("/cpom/catalogue")
@signed_in
class Catalogue(MethodView):
    @blp.arguments(CatalogueQuery, location="query")
    def get(self, args):
        """Le catalogue des engagements : celui dont « id » est donné, ou le dernier chargé par l'ARS de la région
        (la vôtre par défaut), sinon la fiche « lien ville-hôpital » de l'ARS Île-de-France intégrée."""
        if args.get("id"):
            row = db.session.get(CpomCatalogue, args["id"])
            if row is None:
                raise NotFound("Catalogue introuvable.")
            return loaded(row).as_dict()
        row = services.latest_catalogue(args.get("region") or getattr(current_user, "region", None))
        return (loaded(row) if row else BUILT_IN).as_dict()


@blp.route("/cpoms")
@signed_in
class CpomCreate(MethodView):
    @blp.json_body(CpomInput)
    @blp.alt_response(201, description="Le CPOM créé, ses dates déduites (fin, évaluation à mi-parcours, "
                                        "demande de renouvellement).")
    @blp.alt_response(403, description="Réservé à l'ARS de la région et aux administrateurs.")
    def post(self):
        """Enregistrer le CPOM de l'établissement dont relève l'hôpital (ARS de la région, administrateur)."""
        hospital = get_hospital(load_json(CpomInput)["hospital"])
        require(may_write_cpom())
        payload = load_json(CpomInput)
        sites = tuple(get_hospital(finess) for finess in payload["hospitals"])
        catalogue = None
        if payload["catalogue"] is not None:
            catalogue = db.session.get(CpomCatalogue, payload["catalogue"])
            if catalogue is None:
                raise NotFound("Catalogue introuvable.")
        cpom = services.create_cpom(hospital, signed_on=payload["signed_on"], effective_on=payload["effective_on"],
                                    duration_years=payload["duration_years"], sites=sites, catalogue=catalogue,
                                    actor=current_user)
        db.session.commit()
        return cpom_dict(cpom), 201


@blp.route(f"/cpoms/<{ID}:cpom_id>")
@signed_in
class CpomItem(MethodView):
    def get(self, cpom_id):
        """Un CPOM, ses engagements et leurs déclarations (404 hors du périmètre)."""
        return cpom_dict(get_cpom(cpom_id))


@blp.route("/hospitals/<finess:finess_et>/cpoms")
@signed_in
class HospitalCpoms(MethodView):
    def get(self, finess_et):
        """Les CPOM qui couvrent un hôpital."""
        hospital = get_hospital(finess_et)
        cpoms = db.session.scalars(visible_cpoms().where(Cpom.sites.any(HospitalProfile.id == hospital.id))
                                   .order_by(Cpom.effective_on, Cpom.id))
        return {"cpoms": [cpom_dict(cpom) for cpom in cpoms]}


@blp.route(f"/cpoms/<{ID}:cpom_id>/engagements")
@signed_in
class EngagementCreate(MethodView):
    @blp.json_body(EngagementInput)
    @blp.alt_response(201, description="L'engagement créé : {\"id\"}.")
    def post(self, cpom_id):
        """Inscrire un engagement du catalogue au CPOM, avec sa cible (ARS de la région, administrateur)."""
        cpom = get_cpom(cpom_id)
        require(may_write_cpom())
        payload = load_json(EngagementInput)
        engagement = services.add_engagement(
            cpom, indicator=payload["indicator"], comparator=payload["target"]["comparator"],
            target_value=payload["target"]["value"], applicable=payload["applicable"], reason=payload["reason"],
            conventions=tuple(payload["conventions"]), avenant=get_avenant(cpom, payload["avenant"]),
            actor=current_user)
        db.session.commit()
        return {"id": engagement.id, **engagement_dict(engagement)}, 201


@blp.route(ENGAGEMENT)
@signed_in
class Declaration(MethodView):
    @blp.json_body(DeclarationInput)
    def put(self, cpom_id, engagement_id, year):
        """Déclarer la valeur de l'année (l'établissement) ; ratio et pourcentage calculés du numérateur et du
        dénominateur."""
        engagement = get_engagement(cpom_id, engagement_id)
        require(may_declare_cpom())
        payload = load_json(DeclarationInput)
        declaration = campaign.declare(engagement, year, value=payload["value"], numerator=payload["numerator"],
                                       denominator=payload["denominator"], items=payload["items"],
                                       comment=payload["comment"], actor=current_user)
        db.session.commit()
        return declaration_dict(declaration)


@blp.route(f"{ENGAGEMENT}/proofs")
@signed_in
class ProofCreate(MethodView):
    @blp.alt_response(201, description="La preuve enregistrée.")
    def post(self, cpom_id, engagement_id, year):
        """Déposer une preuve (PDF ou document bureautique, vérifié par son contenu) dans le champ « file »."""
        engagement = get_engagement(cpom_id, engagement_id)
        require(may_declare_cpom())
        upload = request.files.get("file") if request.mimetype == "multipart/form-data" else None
        if upload is None:
            abort(400, messages={"form": ["corps multipart/form-data attendu (champ « file »)"]})
        proof = campaign.attach_proof(engagement, year, upload.read(), upload.filename or "", actor=current_user)
        db.session.commit()
        return {"sha256": proof.sha256, "size": proof.size, "media_type": proof.media_type,
                "status": proof.declaration.status}, 201


@blp.route(f"{ENGAGEMENT}/proof-request")
@signed_in
class ProofRequest(MethodView):
    @blp.json_body(ProofRequestInput)
    def post(self, cpom_id, engagement_id, year):
        """Demander une preuve avant une date (ARS de la région, administrateur)."""
        engagement = get_engagement(cpom_id, engagement_id)
        require(may_write_cpom())
        declaration = campaign.request_proof(engagement, year, due=load_json(ProofRequestInput)["due"],
                                             actor=current_user)
        db.session.commit()
        return declaration_dict(declaration)


@blp.route(f"{ENGAGEMENT}/review")
@signed_in
class Review(MethodView):
    @blp.json_body(ReviewInput)
    def post(self, cpom_id, engagement_id, year):
        """Valider ou contester la valeur déclarée, avec un commentaire (ARS de la région, administrateur) ; une
        valeur validée est verrouillée."""
        engagement = get_engagement(cpom_id, engagement_id)
        require(may_write_cpom())
        payload = load_json(ReviewInput)
        declaration = campaign.review(engagement, year, decision=payload["decision"], comment=payload["comment"],
                                      actor=current_user)
        db.session.commit()
        return declaration_dict(declaration)


@blp.route(f"/cpom/campaigns/<{YEAR}:year>")
@signed_in
class Campaign(MethodView):
    @blp.arguments(CampaignQuery, location="query")
    def get(self, args, year):
        """La campagne d'une année : pour chaque hôpital couvert par un CPOM en vigueur cette année-là, chaque
        engagement avec son statut, sa valeur, sa cible et son évaluation."""
        query = visible_cpoms()
        if args.get("region"):
            query = query.where(Cpom.region == args["region"])
        hospitals: dict[str, list] = {}
        for cpom in db.session.scalars(query.order_by(Cpom.id)):
            if not cpom.effective_on.year <= year <= cpom.ends_on.year:
                continue
            states = [campaign.year_state(engagement, year).as_dict() for engagement in cpom.engagements]
            for site in cpom.sites:
                hospitals.setdefault(site.finess_et, []).extend(states)
        return {"year": year, "hospitals": [{"finess_et": finess, "engagements": engagements}
                                            for finess, engagements in sorted(hospitals.items())]}


class ExportQuery(FrenchSchema):
    region = String(validate=one_of(REGIONS))
    format = String(load_default="csv", validate=one_of(("csv", "xlsx")))
    matrix = Boolean(load_default=False)
    values = Boolean(load_default=False)


def _attachment(body: bytes, mimetype: str, name: str) -> Response:
    return Response(body, mimetype=mimetype, headers={"Content-Disposition": f'attachment; filename="{name}"'})


@blp.route(f"/cpom/campaigns/<{YEAR}:year>/export")
@signed_in
class CampaignExport(MethodView):
    @blp.arguments(ExportQuery, location="query")
    @blp.alt_response(200, description="Le fichier CSV ou XLSX.")
    def get(self, args, year):
        """La campagne d'une année en CSV ou XLSX : une ligne par hôpital × engagement (« matrix=true » : la
        matrice des hôpitaux par engagement) ; les mêmes statuts et évaluations que GET /cpom/campaigns/{year}."""
        cpoms = exports.campaign_cpoms(year, args.get("region"))
        return exports.download(cpoms, year, args["format"], region=args.get("region"), matrix_only=args["matrix"],
                                with_values=args["values"])


@blp.route(f"/cpom/campaigns/<{YEAR}:year>/report")
@signed_in
class CampaignReport(MethodView):
    @blp.arguments(CampaignQuery, location="query")
    @blp.alt_response(200, description="Le rapport .docx.")
    def get(self, args, year):
        """Le rapport de campagne d'une année (.docx) : statuts, évaluations, taux d'atteinte, retards."""
        cpoms = exports.campaign_cpoms(year, args.get("region"))
        return _attachment(render_report(cpoms, year, args.get("region")), DOCX,
                           report_filename(year, args.get("region")))


@blp.route(f"/cpoms/<{ID}:cpom_id>/annex")
@signed_in
class Annex(MethodView):
    @blp.alt_response(200, description="L'annexe .docx.")
    def get(self, cpom_id):
        """L'annexe « Volet lien ville-hôpital » du CPOM (.docx) : engagements, cibles, conventions liées."""
        cpom = get_cpom(cpom_id)
        return _attachment(render_annex(cpom), DOCX, annex_filename(cpom))
