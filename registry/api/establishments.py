"""GET /establishments: the FINESS registry (public data), searched by any signed-in user."""

from flask.views import MethodView

from registry.api.blueprint import ApiBlueprint
from registry.api.pagination import paginate
from registry.api.schemas import EstablishmentPage, EstablishmentQuery, EstablishmentSchema
from registry.core.access import signed_in
from registry.core.scope import get_organisation, readable_organisations
from registry.organisations.services import search_establishments

blp = ApiBlueprint("api_establishments", "Établissements du registre (FINESS et partenaires hors FINESS).")


@blp.route("/establishments")
@signed_in
class EstablishmentSearch(MethodView):
    @blp.arguments(EstablishmentQuery, location="query")
    @blp.response(200, EstablishmentPage)
    def get(self, args):
        """Rechercher des établissements (tous les critères donnés doivent correspondre)."""
        criteria = {key: value for key, value in args.items() if key not in ("page", "per_page")}
        return paginate(search_establishments(**criteria).where(readable_organisations()), args)


@blp.route("/establishments/<finess:finess_et>")
@signed_in
class EstablishmentItem(MethodView):
    @blp.response(200, EstablishmentSchema)
    def get(self, finess_et):
        """Un établissement, par son numéro FINESS ET."""
        return get_organisation(finess_et)
