"""/hospitals: the hôpitaux de proximité the user may see, and their listing and profile."""

from flask.views import MethodView

from registry.api.blueprint import ApiBlueprint, load_json
from registry.api.pagination import paginate
from registry.api.schemas import HospitalPage, HospitalProfileInput, HospitalQuery, HospitalSchema
from registry.core.access import require, signed_in
from registry.core.errors import DomainError
from registry.core.scope import can_edit_hospital, can_label, get_hospital, get_organisation, visible_hospitals
from registry.extensions import db
from registry.hospitals.models import HospitalProfile
from registry.hospitals.services import (ARS_FIELDS, DECLARATIONS, profile_values, set_hospital_profile,
                                         without_stale_confirmations)
from registry.organisations.models import Organisation

blp = ApiBlueprint("api_hospitals", "Hôpitaux de proximité : liste, inscription et profil.")

class NotYours(DomainError):
    """A field of the profile the user may not change: the listing and confirmations are the ARS's, the
    declarations the hospital's."""

    status = 403
    code = "forbidden"


@blp.route("/hospitals")
@signed_in
class HospitalList(MethodView):
    @blp.arguments(HospitalQuery, location="query")
    @blp.response(200, HospitalPage)
    def get(self, args):
        """Les hôpitaux de proximité visibles : tous (admin), ceux de la région (ARS), le sien (établissement)."""
        query = visible_hospitals()
        if args.get("region"):
            query = query.where(Organisation.region == args["region"])
        if args.get("departement"):
            query = query.where(Organisation.departement == args["departement"])
        return paginate(query.order_by(Organisation.name, HospitalProfile.id), args)


@blp.route("/hospitals/<finess:finess_et>")
@signed_in
class HospitalItem(MethodView):
    @blp.response(200, HospitalSchema)
    def get(self, finess_et):
        """Un hôpital de proximité et son profil (404 s'il est hors du périmètre de l'utilisateur)."""
        return get_hospital(finess_et)

    @blp.json_body(HospitalProfileInput)
    @blp.response(200, HospitalSchema, description="Profil mis à jour.")
    @blp.alt_response(201, schema=HospitalSchema, description="Établissement inscrit comme hôpital de proximité.")
    def put(self, finess_et):
        """Inscrire un établissement comme hôpital de proximité, ou modifier son profil.

        Inscrire, et tout ce que l'ARS enregistre (date et référence de l'arrêté, statut juridique, établissement
        support du GHT, retrait de la liste, confirmation des activités et équipements déclarés) : administrateur
        ou ARS de la région. Ce que l'hôpital déclare (activités exercées en son sein, équipements) : les
        utilisateurs de l'hôpital (ou un administrateur). Le territoire : l'un ou l'autre.
        Un champ absent garde sa valeur actuelle ; « territory » remplace tout le territoire.
        """
        organisation = get_organisation(finess_et)
        profile = visible_profile(finess_et)
        may_label = can_label(organisation)
        may_declare = profile is not None and can_edit_hospital(profile)
        require(may_label or may_declare)
        current = profile_values(profile)
        payload = load_json(HospitalProfileInput)
        given = set(payload)
        values = merged_values(current, payload)
        refuse_foreign_changes(current, values, may_label=may_label, may_declare=may_declare or profile is None)
        created = profile is None
        profile = set_hospital_profile(organisation, **without_stale_confirmations(values, given))
        db.session.commit()
        return profile, 201 if created else 200


def visible_profile(finess_et: str) -> HospitalProfile | None:
    """The establishment's profile if the user may see it; whoever may list it also sees it (can_label)."""
    return db.session.scalar(visible_hospitals().where(Organisation.finess_et == finess_et))


def merged_values(current: dict, payload: dict) -> dict:
    """The service's arguments: the payload over the current values (empty ones on creation)."""
    values = dict(current)
    values.update(payload.pop("territory", {}))
    values.update(payload)
    return values


def refuse_foreign_changes(current: dict, values: dict, *, may_label: bool, may_declare: bool) -> None:
    """403 when the payload changes a field of the other side (as the service stores it)."""
    def changed(fields) -> list[str]:
        return [field for field in fields if _stored(field, values[field]) != _stored(field, current[field])]
    if not may_label and (fields := changed(ARS_FIELDS)):
        raise NotYours("Seule l'ARS de la région enregistre l'inscription, le statut juridique, l'établissement "
                       "support du GHT, le retrait de la liste et les confirmations : " + ", ".join(fields) + ".",
                       details=fields)
    if not may_declare and (fields := changed(DECLARATIONS)):
        raise NotYours("Les activités et équipements sont déclarés par l'hôpital ; l'ARS les confirme "
                       "(confirmed_activities, confirmed_equipment) : " + ", ".join(fields) + ".", details=fields)


def _stored(field: str, value):
    if field == "decision_ref":
        return (value or "").strip() or None
    if isinstance(value, list):
        return sorted(value)
    return value
