"""/conventions: create a convention (from a template, or registered as drafted elsewhere), read it, render its
Word drafts. Read through the hospital's scope; written by administrators and the hospital's own users."""

from flask import request, send_file, url_for
from flask.views import MethodView
from flask_login import current_user
from sqlalchemy import select

from registry.api.blueprint import MAX_ID, ApiBlueprint, load_json
from registry.api.convention_schemas import HOSPITAL_PARTY, ConventionInput, ConventionSchema
from registry.api.fields import FrenchSchema, String, valid_finess
from registry.conventions.models import ConventionDocument
from registry.conventions.services import (DOCX, DRAFT_LOADING, create_convention, generate_draft, get_draft,
                                           register_convention)
from registry.conventions.terms import ConventionTerms, Signatory
from registry.core.access import signed_in
from registry.core.errors import DomainError, NotFound
from registry.core.scope import get_convention, get_hospital
from registry.core.storage import document_store
from registry.documents.versions import current_version
from registry.extensions import db
from registry.hospitals.models import HospitalProfile, Partnership

blp = ApiBlueprint("api_conventions", "Conventions : création, lecture et projets Word.")

ID = f"int(max={MAX_ID})"
DOCX_ANSWER = {
    "description": "Le projet au format Word (.docx), en pièce jointe.",
    "content": {DOCX: {"schema": {"type": "string", "format": "binary"}}},
    "headers": {"X-Draft-Version": {"description": "Numéro de version du projet.", "schema": {"type": "integer"}},
                "X-Content-SHA256": {"description": "SHA-256 du fichier.", "schema": {"type": "string"}}},
}

#: The two bodies POST /conventions/{id}/drafts takes: none (a draft rendered from the template) or multipart.
DRAFT_BODY = {"required": False, "content": {"multipart/form-data": {"schema": {
    "type": "object", "required": ["file"],
    "properties": {"file": {"type": "string", "format": "binary",
                            "description": "Le document Word (.docx) reçu du partenaire, tel quel."},
                   "comment": {"type": "string", "maxLength": 1000, "description": "Commentaire facultatif."}}}}}}


class HospitalOnly(FrenchSchema):
    """The payload's hospital, read first: access is checked (403, 404) before the rest is validated."""

    hospital = String(required=True, validate=valid_finess)


@blp.route("/conventions")
@signed_in
class ConventionCreate(MethodView):
    @blp.json_body(ConventionInput)
    @blp.response(201, ConventionSchema)
    @blp.alt_response(403, description="Lecture seule pour l'utilisateur (ARS).")
    @blp.alt_response(404, description="Hôpital hors du périmètre de l'utilisateur.")
    def post(self):
        """Créer une convention : d'après un modèle (« template »), ou déjà rédigée hors de l'application.

        Sans « template » : la convention est enregistrée avec ses dates (passées comprises), sans projet Word ;
        « partner_types » et « themes » sont alors obligatoires. « partners » : identifiants de partenariat
        ou FINESS ET de partenaires de l'hôpital. Réservé aux administrateurs et aux utilisateurs de l'hôpital.
        """
        hospital = get_hospital(load_json(HospitalOnly)["hospital"], for_edit=True)
        payload = load_json(ConventionInput)
        partnerships = partnerships_of(hospital, payload["partners"])
        terms = terms_of(payload, partnerships, signatories_of(hospital, partnerships, payload["signatories"]))
        if "template" in payload:
            check_template_code(payload["template"])
            convention = create_convention(hospital, terms, template_code=payload["template"],
                                           clauses=payload["clauses"], fields=payload["fields"], actor=current_user)
        else:
            if payload["clauses"] or payload["fields"]:
                raise invalid("« clauses » et « fields » demandent un modèle (« template »).",
                              {key: ["sans modèle, ce champ doit être vide"]
                               for key in ("clauses", "fields") if payload[key]})
            convention = register_convention(hospital, terms, actor=current_user)
        db.session.commit()
        return convention


@blp.route(f"/conventions/<{ID}:convention_id>")
@signed_in
class ConventionItem(MethodView):
    @blp.response(200, ConventionSchema)
    def get(self, convention_id):
        """Une convention : statut, dates, parties et signataires, modèle, projets (404 hors du périmètre)."""
        return get_convention(convention_id)


@blp.route(f"/conventions/<{ID}:convention_id>/drafts")
@signed_in
class DraftCreate(MethodView):
    @blp.doc(responses={"201": DOCX_ANSWER}, requestBody=DRAFT_BODY)
    @blp.alt_response(403, description="Lecture seule pour l'utilisateur (ARS).")
    @blp.alt_response(404, description="Convention hors du périmètre de l'utilisateur.")
    @blp.alt_response(409, description="Convention sans modèle, ou figée depuis son passage « à signer ».")
    @blp.alt_response(413, description="Fichier au-delà de MAX_UPLOAD_MB.")
    @blp.alt_response(422, description="Fichier refusé (« document_rejected ») : vide, pas un .docx, archive "
                                       "endommagée, macros (.docm), taille décompressée anormale.")
    def post(self, convention_id):
        """Produire une nouvelle version du projet Word de la convention ; la réponse est le fichier .docx.

        Avec un corps multipart/form-data : déposer la version Word reçue du partenaire (champ « file »,
        « comment » facultatif). Son contenu est vérifié, jamais son nom ; elle est enregistrée octet pour octet
        (modifications suivies et commentaires compris), numérotée à la suite des projets produits, tant que la
        convention est « brouillon » ou « en négociation » ; la réponse (201) décrit la version (origin
        « received »). Réservé aux administrateurs et aux utilisateurs de l'hôpital.
        """
        convention = get_convention(convention_id, for_edit=True, options=DRAFT_LOADING)
        if request.mimetype == "multipart/form-data":
            return draft_versions.receive_upload(convention)
        draft = generate_draft(convention, actor=current_user)
        # The answer is made before the commit, which would expire the rows it reads (a new transaction to read
        # them again); a commit that fails answers an error instead.
        response = docx_answer(draft)
        response.status_code = 201
        response.headers["Location"] = url_for("api_conventions.DraftItem", convention_id=convention.id,
                                               version=draft.version)
        db.session.commit()
        return response


@blp.route(f"/conventions/<{ID}:convention_id>/drafts/<{ID}:version>")
@signed_in
class DraftItem(MethodView):
    @blp.doc(responses={"200": DOCX_ANSWER})
    @blp.alt_response(404, description="Convention hors du périmètre, ou version inconnue.")
    def get(self, convention_id, version):
        """Télécharger à nouveau une version antérieure du projet Word."""
        convention = get_convention(convention_id)
        draft = get_draft(convention, version)
        if draft is None:
            raise NotFound(f"La convention {convention.reference} n'a pas de projet en version {version}.")
        return docx_answer(draft)


def docx_answer(draft: ConventionDocument):
    response = send_file(document_store().open(draft.sha256), mimetype=draft.media_type, as_attachment=True,
                         download_name=draft.filename, etag=draft.sha256)
    response.headers["X-Draft-Version"] = str(draft.version)
    response.headers["X-Content-SHA256"] = draft.sha256
    return response


def invalid(message: str, fields: dict) -> DomainError:
    """A 422 whose details name the payload's fields, as the request parser gives them."""
    return DomainError(f"Convention refusée : {message}", details={"json": fields})


def check_template_code(code: str) -> None:
    try:
        current_version(code)
    except NotFound as error:
        raise invalid(error.message, {"template": [f"modèle inconnu « {code} » (voir GET /templates)"]}) from None


def partnerships_of(hospital: HospitalProfile, refs: list) -> list[Partnership]:
    """The partnerships named by id or by the partner's FINESS ET, in order, each once; 422 naming the others."""
    partnerships = db.session.scalars(select(Partnership).where(Partnership.hospital_id == hospital.id)).all()
    by_ref = {p.id: p for p in partnerships} | {p.partner.finess_et: p for p in partnerships if p.partner.finess_et}
    unknown = {str(i): [f"« {ref} » n'est pas un partenaire de l'hôpital {hospital.finess_et}"]
               for i, ref in enumerate(refs) if ref not in by_ref}
    if unknown:
        names = ", ".join(f"« {refs[int(i)]} »" for i in unknown)
        raise invalid(f"partenaire inconnu de cet hôpital : {names}.", {"partners": unknown})
    return list(dict.fromkeys(by_ref[ref] for ref in refs))


#: The payload's keys that are a convention's terms (ConventionTerms' fields, partners and signatories aside).
TERMS_KEYS = ("partner_types", "themes", "effective_date", "duration_months", "tacit_renewal", "notice_months",
              "title", "legal_bases")


def terms_of(payload: dict, partnerships: list[Partnership], signatories: dict) -> ConventionTerms:
    """The terms a ``POST /conventions`` payload gives."""
    return ConventionTerms(partnerships=partnerships, signatories=signatories,
                           **{key: payload.get(key) for key in TERMS_KEYS})


def signatories_of(hospital: HospitalProfile, partnerships: list[Partnership], items: list[dict]) -> dict:
    """{organisation id: Signatory} from the payload's signatories, each naming a party of the convention."""
    organisations = {HOSPITAL_PARTY: hospital.organisation_id, hospital.finess_et: hospital.organisation_id}
    for partnership in partnerships:
        organisations[partnership.id] = partnership.partner_id
        if partnership.partner.finess_et:
            organisations[partnership.partner.finess_et] = partnership.partner_id
    unknown = {str(i): {"partner": [f"« {item['partner']} » n'est pas une partie de cette convention"]}
               for i, item in enumerate(items) if item["partner"] not in organisations}
    if unknown:
        raise invalid("signataire d'une partie inconnue.", {"signatories": unknown})
    return {organisations[item["partner"]]: Signatory(item["name"], item["title"]) for item in items}


from registry.api import lifecycle  # noqa: E402,F401  (the lifecycle endpoints, on this blueprint)
from registry.api import editing  # noqa: E402,F401  (PATCH and corrections, on this blueprint)
from registry.api import draft_versions  # noqa: E402,F401  (received versions and comparisons, on this blueprint)
