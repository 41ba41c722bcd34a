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
from registry.hospitals.services import set_hospital_profile
from registry.organisations.models import Organisation

blp = ApiBlueprint("api_hospitals", "Hôpitaux de proximité : liste, inscription et profil.")

class LabelRequired(DomainError):
    """The listing date and decision reference are the ARS's; the hospital's users may change the rest."""

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

        Inscrire, et changer la date ou la référence de la décision : administrateur ou ARS de la région.
        Territoire et activités d'un hôpital déjà inscrit : aussi les utilisateurs de l'hôpital.
        Un champ absent garde sa valeur actuelle ; « territory » remplace tout le territoire.
        """
        organisation = get_organisation(finess_et)
        profile = visible_profile(finess_et)
        may_label = can_label(organisation)
        require(may_label or (profile is not None and can_edit_hospital(profile)))
        values = profile_values(profile, load_json(HospitalProfileInput))
        if not may_label and decision_changed(profile, values):
            raise LabelRequired("Seule l'ARS de la région peut changer la date ou la référence de la décision "
                                "d'inscription.")
        created = profile is None
        profile = set_hospital_profile(organisation, **values)
        db.session.commit()
        return profile, 201 if created else 200


def visible_profile(finess_et: str) -> HospitalProfile | None:
    """The establishment's profile if the user may see it; whoever may list it also sees it (can_label)."""
    return db.session.scalar(visible_hospitals().where(Organisation.finess_et == finess_et))


def profile_values(profile: HospitalProfile | None, payload: dict) -> dict:
    """The service's arguments: the payload over the current values (empty ones on creation)."""
    values = {"listed_on": None, "decision_ref": None, "territory_departements": [], "territory_communes": [],
              "internal_activities": []}
    if profile is not None:
        values = {key: getattr(profile, key) for key in values}
    values.update(payload.pop("territory", {}))
    values.update(payload)
    return values


def decision_changed(profile: HospitalProfile, values: dict) -> bool:
    """Whether the listing date or the decision reference would change (as the service stores them)."""
    decision_ref = (values["decision_ref"] or "").strip() or None
    return values["listed_on"] != profile.listed_on or decision_ref != profile.decision_ref
