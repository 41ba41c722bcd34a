"""GET /bundles: the signed-convention bundle of a hospital, a département or a region, streamed (docs/interface.md)."""

from flask.views import MethodView
from marshmallow import ValidationError, pre_load, validates_schema

from registry.api.blueprint import ApiBlueprint
from registry.api.fields import FrenchSchema, String, one_of, valid_finess
from registry.bundles.bundle import MEDIA_TYPE
from registry.bundles.routes import bundle_response
from registry.bundles.scope import BundleScope
from registry.core.access import signed_in
from registry.core.geography import DEPARTEMENTS, REGIONS

blp = ApiBlueprint("api_bundles", "Lots des conventions signées : un ZIP par hôpital, département ou région.")

ZIP_ANSWER = {
    "description": "Le lot au format ZIP, en pièce jointe, produit pendant l'envoi : LISEZMOI.txt, manifest.json, "
                   "manifest.csv, conformite.csv, puis la dernière copie signée de chaque convention et avenant "
                   "signés ou résiliés, rangée dans <département>/<FINESS> <hôpital>/<référence> <partenaires>.pdf.",
    "content": {MEDIA_TYPE: {"schema": {"type": "string", "format": "binary"}}},
    "headers": {"X-Manifest-SHA256": {"description": "SHA-256 de manifest.json, aussi inscrit au journal d'audit.",
                                      "schema": {"type": "string"}}},
}
SCOPES = ("hospital", "departement", "region")


class BundleQuery(FrenchSchema):
    hospital = String(validate=valid_finess, metadata={"description": "FINESS ET d'un hôpital de proximité."})
    departement = String(validate=one_of(DEPARTEMENTS), metadata={"description": "Département des hôpitaux."})
    region = String(validate=one_of(REGIONS), metadata={"description": "Région des hôpitaux."})

    @pre_load
    def _blank_means_absent(self, data, **_):
        return {key: data[key] for key in data if data[key] != ""}

    @validates_schema
    def _exactly_one(self, data, **_):
        if sum(1 for key in SCOPES if data.get(key)) != 1:
            raise ValidationError("indiquez exactement un de « hospital », « departement » ou « region »",
                                  field_name="_schema")


@blp.route("/bundles")
@signed_in
class BundleDownload(MethodView):
    @blp.arguments(BundleQuery, location="query")
    @blp.doc(responses={"200": ZIP_ANSWER})
    @blp.alt_response(404, description="Aucun hôpital du périmètre de l'utilisateur dans ce périmètre.")
    @blp.alt_response(409, description="Une copie signée manque dans le stockage (aucun octet n'est envoyé).")
    @blp.alt_response(422, description="Zéro ou plusieurs périmètres, ou code inconnu.")
    def get(self, args):
        """Télécharger le lot des conventions signées d'un hôpital, d'un département ou d'une région.

        Le lot ne contient que ce que l'utilisateur peut lire : l'ARS sa région, un établissement ses propres
        hôpitaux (même s'il demande son département ou sa région). Un périmètre sans aucun de ses hôpitaux
        répond 404. Chaque téléchargement est inscrit au journal d'audit. Le même contenu, à la même date et pour
        le même utilisateur, donne exactement les mêmes octets.
        """
        return bundle_response(BundleScope.of(**args))
