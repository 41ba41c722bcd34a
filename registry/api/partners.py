"""/hospitals/{finess_et}/partners: a hospital's partnerships, read by its scope, changed by its own users."""

from flask import abort
from flask.views import MethodView
from sqlalchemy import select
from werkzeug.exceptions import NotFound

from registry.api.blueprint import MAX_ID, ApiBlueprint, load_json
from registry.api.pagination import PaginationArgs, paginate
from registry.api.schemas import PartnershipInput, PartnershipPage, PartnershipSchema
from registry.core.access import signed_in
from registry.core.errors import DomainError
from registry.core.scope import get_hospital, get_organisation
from registry.extensions import db
from registry.hospitals.models import Partnership
from registry.hospitals.services import add_partner, remove_partner
from registry.organisations.models import Organisation
from registry.organisations.services import create_external_partner

blp = ApiBlueprint("api_partners", "Partenaires des hôpitaux de proximité.")


@blp.route("/hospitals/<finess:finess_et>/partners")
@signed_in
class PartnerList(MethodView):
    @blp.arguments(PaginationArgs, location="query")
    @blp.response(200, PartnershipPage)
    def get(self, args, finess_et):
        """Les partenariats de l'hôpital."""
        hospital = get_hospital(finess_et)
        query = select(Partnership).where(Partnership.hospital_id == hospital.id).order_by(Partnership.id)
        return paginate(query, args)

    @blp.json_body(PartnershipInput)
    @blp.response(201, PartnershipSchema)
    def post(self, finess_et):
        """Ajouter un partenaire : un établissement FINESS (« partner_finess ») ou un partenaire hors FINESS.

        Un partenaire hors FINESS (« partner ») déjà connu par son SIRET ou son RNA est réutilisé.
        Réservé aux administrateurs et aux utilisateurs de l'hôpital (403 pour l'ARS).
        """
        hospital = get_hospital(finess_et, for_edit=True)
        payload = load_json(PartnershipInput)
        partner = partner_of(payload)
        partnership = add_partner(hospital, partner, partner_types=payload["partner_types"],
                                  themes=payload["themes"], notes=payload.get("notes"),
                                  started_on=payload.get("started_on"))
        db.session.commit()
        return partnership


@blp.route(f"/hospitals/<finess:finess_et>/partners/<int(max={MAX_ID}):partnership_id>")
@signed_in
class PartnerItem(MethodView):
    @blp.response(204, description="Partenariat supprimé.")
    def delete(self, finess_et, partnership_id):
        """Retirer un partenaire de l'hôpital (ajout au contrat d'interface ; l'organisation reste au registre)."""
        hospital = get_hospital(finess_et, for_edit=True)
        partnership = db.session.scalar(select(Partnership).where(
            Partnership.id == partnership_id, Partnership.hospital_id == hospital.id))
        if partnership is None:
            abort(404)
        remove_partner(partnership)
        db.session.commit()


def partner_of(payload: dict) -> Organisation:
    """The partner named by the payload: a registry establishment, or a partner outside FINESS (created once)."""
    if "partner" in payload:
        # ``commune`` is an INSEE code there: a code is not read as a postcode
        return create_external_partner(partner_types=payload["partner_types"], postcodes=False, **payload["partner"])
    try:
        return get_organisation(payload["partner_finess"])
    except NotFound:
        message = f"établissement FINESS {payload['partner_finess']} introuvable dans le registre"
        raise DomainError(f"Partenariat refusé : {message}.", details={"json": {"partner_finess": [message]}}) from None
