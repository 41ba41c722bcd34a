"""What the API reads and writes (docs/interface.md, "Core payloads"), with the shared vocabulary's codes."""

from marshmallow import ValidationError, fields, validate, validates_schema

from registry.api.fields import (COMMUNE, Date, FrenchSchema, Inline, Integer, List, Nested, String, codes, one_of,
                                 valid_finess)
from registry.api.pagination import PaginationArgs, page_schema
from registry.core.geography import DEPARTEMENTS, REGIONS
from registry.core.vocabulary import ACTIVITIES, EQUIPMENT, LEGAL_STATUSES, PARTNER_TYPES, REMOVAL_GROUNDS, THEMES

# --- Representations -------------------------------------------------------------------------------------------


class ErrorDetailSchema(FrenchSchema):
    code = String(metadata={"description": "Code stable, par exemple « not_found », « forbidden », « invalid »."})
    message = String(metadata={"description": "Message en français pour l'utilisateur."})
    details = fields.Raw(allow_none=True, metadata={
        "description": "Erreurs de validation par emplacement et par champ ({\"json\": {\"champ\": [message]}}), "
                       "ou liste des problèmes relevés par les règles métier."})


class ErrorSchema(FrenchSchema):
    """Every 4xx and 5xx answer of the API."""

    error = Nested(ErrorDetailSchema, required=True)


class EstablishmentSchema(FrenchSchema):
    """An organisation of the registry: a FINESS establishment, or a partner created by hand (SIRET/RNA)."""

    id = Integer(metadata={"description": "Identifiant interne (partenaires hors FINESS compris)."})
    finess_et = String(allow_none=True)
    finess_ej = String(allow_none=True)
    name = String()
    long_name = String(allow_none=True)
    category_code = String(allow_none=True, metadata={"description": "Catégorie FINESS (categetab)."})
    category_label = String(allow_none=True)
    address = String(allow_none=True)
    postal_code = String(allow_none=True)
    city = String(allow_none=True)
    commune_code = String(allow_none=True, metadata={"description": "Code commune INSEE."})
    departement = String(allow_none=True)
    region = String(allow_none=True)
    siret = String(allow_none=True)
    rna = String(allow_none=True)
    representative_name = String(allow_none=True, metadata={
        "description": "Représentant légal (partenaire hors FINESS) : signataire par défaut des projets."})
    representative_title = String(allow_none=True, metadata={"description": "Sa fonction (« présidente »)."})
    source = String(metadata={"description": "« finess » (import) ou « manual » (créé à la main)."})
    partner_types = List(String(), metadata={"description": "Types de partenaire que l'organisation peut être."})


class TerritorySchema(FrenchSchema):
    """The communes or départements a hospital serves; a partner there is on its territory."""

    departements = codes(DEPARTEMENTS, load_default=list, attribute="territory_departements")
    communes = List(String(validate=COMMUNE), load_default=list, attribute="territory_communes",
                    metadata={"description": "Codes commune INSEE."})


class HospitalSchema(FrenchSchema):
    """An hôpital de proximité and its profile."""

    finess_et = String()
    name = String()
    listed_on = Date(allow_none=True, metadata={"description": "Date d'inscription sur la liste régionale."})
    decision_ref = String(allow_none=True, metadata={"description": "Référence de la décision du DG de l'ARS."})
    territory = Inline(TerritorySchema)
    internal_activities = List(String(), metadata={"description": "Activités que l'hôpital déclare exercer."})
    confirmed_activities = List(String(), metadata={"description": "Celles que l'ARS a confirmées."})
    own_equipment = List(String(), allow_none=True, metadata={
        "description": "Équipements (imagerie, biologie, telesante) que l'hôpital déclare avoir ; null : non déclaré."})
    confirmed_equipment = List(String(), metadata={"description": "Ceux que l'ARS a confirmés."})
    legal_status = String(attribute="legal_status_known", allow_none=True, metadata={
        "description": "public ou prive : enregistré par l'ARS, à défaut lu dans FINESS ; null : inconnu."})
    legal_status_recorded = String(attribute="legal_status", allow_none=True, metadata={
        "description": "Le statut enregistré par l'ARS (null : celui de FINESS s'applique)."})
    ght_support = String(allow_none=True, metadata={
        "description": "FINESS de l'établissement support du GHT, « self » si l'hôpital en relève, null : inconnu."})
    removed_on = Date(allow_none=True, metadata={"description": "Date du retrait de la liste (R6111-25, III)."})
    removal_ground = String(allow_none=True, metadata={"description": "Motif du retrait : a, b, c ou d."})
    establishment = Nested(EstablishmentSchema, attribute="organisation")


class PartnershipSchema(FrenchSchema):
    id = Integer()
    partner = Nested(EstablishmentSchema)
    partner_types = List(String())
    themes = List(String())
    notes = String(allow_none=True)
    started_on = Date(allow_none=True)
    ended_on = Date(allow_none=True)


EstablishmentPage = page_schema(EstablishmentSchema)
HospitalPage = page_schema(HospitalSchema)
PartnershipPage = page_schema(PartnershipSchema)

# --- Query strings ---------------------------------------------------------------------------------------------


class EstablishmentQuery(PaginationArgs):
    q = String(validate=validate.Length(max=200, error="recherche trop longue (200 caractères au plus)"),
               metadata={"description": "Nom, ville, code postal ou numéro FINESS."})
    finess = String(validate=valid_finess, metadata={"description": "Numéro FINESS ET ou EJ."})
    departement = String(validate=one_of(DEPARTEMENTS))
    region = String(validate=one_of(REGIONS))
    category = String(validate=validate.Regexp(r"^[0-9]{3}$", error="catégorie FINESS sur 3 chiffres attendue"))
    partner_type = String(validate=one_of(PARTNER_TYPES))


class HospitalQuery(PaginationArgs):
    region = String(validate=one_of(REGIONS))
    departement = String(validate=one_of(DEPARTEMENTS),
                         metadata={"description": "Département de l'établissement (pas de son territoire)."})

# --- Request bodies --------------------------------------------------------------------------------------------


class HospitalProfileInput(FrenchSchema):
    """PUT /hospitals/{finess_et}: a field left out keeps its current value (or is empty on creation).

    The hospital declares its territory, activities and equipment; the ARS of the region (or an administrator)
    records the listing, the legal status, the GHT support, a removal, and confirms the declarations."""

    listed_on = Date(allow_none=True)
    decision_ref = String(allow_none=True, validate=validate.Length(max=120, error="120 caractères au plus"))
    territory = Nested(TerritorySchema, metadata={"description": "Remplace tout le territoire."})
    internal_activities = codes(ACTIVITIES, metadata={"description": "Déclaration de l'hôpital."})
    own_equipment = codes(EQUIPMENT, allow_none=True, metadata={"description": "Déclaration de l'hôpital."})
    legal_status = String(allow_none=True, validate=one_of(LEGAL_STATUSES), metadata={"description": "ARS."})
    ght_support = String(allow_none=True, validate=validate.Regexp(
        r"^(self|[0-9][0-9AB][0-9]{7})$", error="numéro FINESS sur 9 caractères ou « self » attendu"),
        metadata={"description": "ARS : FINESS (ET ou EJ) de l'établissement support du GHT, « self », ou null."})
    removed_on = Date(allow_none=True, metadata={"description": "ARS : date du retrait de la liste."})
    removal_ground = String(allow_none=True, validate=one_of(REMOVAL_GROUNDS), metadata={"description": "ARS."})
    confirmed_activities = codes(ACTIVITIES, metadata={"description": "ARS : activités déclarées qu'elle confirme."})
    confirmed_equipment = codes(EQUIPMENT, metadata={"description": "ARS : équipements déclarés qu'elle confirme."})


class ExternalPartnerInput(FrenchSchema):
    """A partner outside FINESS (a CPTS association, an MMG...), identified by SIRET or RNA."""

    name = String(required=True, validate=validate.Length(min=1, max=200, error="nom de 1 à 200 caractères"))
    siret = String(allow_none=True)
    rna = String(allow_none=True)
    departement = String(allow_none=True, validate=one_of(DEPARTEMENTS), metadata={
        "description": "Facultatif quand la commune est donnée (il en est alors déduit)."})
    commune = String(allow_none=True, validate=validate.Length(max=100, error="100 caractères au plus"), metadata={
        "description": "Code commune INSEE (21317, 2A004), ou nom de la commune (« Is-sur-Tille », « Saint-Rémy "
                       "(21) » quand plusieurs communes portent ce nom) ; la liste officielle donne le code, le nom, "
                       "le département et le code postal quand il est unique."})
    address = String(allow_none=True, validate=validate.Length(max=200, error="200 caractères au plus"))
    postal_code = String(allow_none=True, validate=validate.Regexp(r"^[0-9]{5}$",
                                                                    error="code postal sur 5 chiffres attendu"))
    city = String(allow_none=True, validate=validate.Length(max=100, error="100 caractères au plus"), metadata={
        "description": "Nom de la commune, lu comme « commune » quand celle-ci n'est pas donnée."})
    representative_name = String(allow_none=True, validate=validate.Length(max=120, error="120 caractères au plus"),
                                 metadata={"description": "Représentant légal (« Mme Claire Martin »)."})
    representative_title = String(allow_none=True, validate=validate.Length(max=120, error="120 caractères au plus"),
                                  metadata={"description": "Sa fonction (« présidente »)."})


class PartnershipInput(FrenchSchema):
    """POST /hospitals/{finess_et}/partners: ``partner_finess`` or ``partner``, exactly one of them."""

    partner_finess = String(validate=valid_finess)
    partner = Nested(ExternalPartnerInput)
    partner_types = codes(PARTNER_TYPES, required=True,
                          validate=validate.Length(min=1, error="au moins un type de partenaire"))
    themes = codes(THEMES, load_default=list)
    notes = String(allow_none=True)
    started_on = Date(allow_none=True)

    @validates_schema
    def _exactly_one_partner(self, data, **_):
        if ("partner_finess" in data) == ("partner" in data):
            raise ValidationError("indiquez soit « partner_finess », soit « partner » (l'un des deux)")
