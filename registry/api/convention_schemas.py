"""What the conventions API reads and writes (docs/interface.md, "Core payloads"); the templates' are in
template_schemas.py."""

import math
from datetime import date

from marshmallow import fields as ma, validate

from registry.api.blueprint import MAX_ID
from registry.api.fields import (_COMMON, Date, FrenchSchema, Inline, Integer, List, Nested, String, codes, one_of,
                                 valid_finess)
from registry.conventions.editing import CORRECTION_ACTION, REASON_KEY, change_history
from registry.conventions.lifecycle import STATES
from registry.conventions.statuses import Status
from registry.core import clock
from registry.core.vocabulary import LEGAL_BASES, PARTNER_TYPES, THEMES
from registry.documents.context import end_date
from registry.signatures.alerts import alert_reasons, counts

HOSPITAL_PARTY = "hospital"
#: Longest text accepted in a template field's value (a list item counts alone).
MAX_FIELD_TEXT = 5000

# --- Request bodies --------------------------------------------------------------------------------------------


class PartnerRef(ma.Field):
    """A partner of the hospital: the id of its partnership (an integer, as POST /hospitals/{f}/partners answers)
    or the partner's FINESS ET (a string); with ``hospital=True``, also "hospital" for the hospital itself."""

    default_error_messages = {**_COMMON, "invalid": "identifiant de partenariat (entier) ou numéro FINESS ET "
                                                    "du partenaire attendu"}

    def __init__(self, *, hospital: bool = False, **kwargs):
        self.hospital = hospital
        description = "Identifiant du partenariat (entier) ou FINESS ET du partenaire (texte)"
        if hospital:
            description += ", ou « hospital » pour l'hôpital"
        kinds = [{"type": "integer", "minimum": 1}, {"type": "string"}]
        super().__init__(metadata={"description": description + ".", "oneOf": kinds}, **kwargs)

    def _deserialize(self, value, attr, data, **kwargs):
        if isinstance(value, int) and not isinstance(value, bool):
            if not 1 <= value <= MAX_ID:
                raise self.make_error("invalid")
            return value
        if not isinstance(value, str):
            raise self.make_error("invalid")
        value = value.strip()
        if self.hospital and value == HOSPITAL_PARTY:
            return value
        valid_finess(value)
        return value


class FieldValues(ma.Dict):
    """The template's field values: text, number, yes/no, null or a list of texts, each storable."""

    default_error_messages = {**_COMMON, "invalid": "objet JSON attendu ({nom du champ: valeur})",
                              "value": "valeur attendue : texte, nombre fini, booléen, null ou liste de textes",
                              "too_long": f"texte de {MAX_FIELD_TEXT} caractères au plus"}

    def __init__(self, **kwargs):
        super().__init__(keys=String(validate=validate.Length(max=63, error="nom de champ trop long")), **kwargs)

    def _deserialize(self, value, attr, data, **kwargs):
        values = super()._deserialize(value, attr, data, **kwargs)
        return {name: self._value(item) for name, item in values.items()}

    def _value(self, item):
        if isinstance(item, list):
            return [self._text(element) for element in item]
        if isinstance(item, str):
            return self._text(item)
        if item is None or isinstance(item, (bool, int)) or (isinstance(item, float) and math.isfinite(item)):
            return item
        raise self.make_error("value")

    def _text(self, item):
        if not isinstance(item, str):
            raise self.make_error("value")
        if len(item) > MAX_FIELD_TEXT:
            raise self.make_error("too_long")
        return String().deserialize(item)


class SignatoryInput(FrenchSchema):
    partner = PartnerRef(hospital=True, required=True)
    name = String(load_default="", validate=validate.Length(max=120, error="120 caractères au plus"))
    title = String(load_default="", validate=validate.Length(max=120, error="120 caractères au plus"),
                   metadata={"description": "Qualité du signataire (« Directrice », « Président »…)."})


class ConventionInput(FrenchSchema):
    """POST /conventions. Without « template », a convention drafted elsewhere is registered with its dates
    (past ones allowed); its « partner_types » and « themes » are then required, and it gets no drafts."""

    hospital = String(required=True, validate=valid_finess, metadata={"description": "FINESS ET de l'hôpital."})
    partners = List(PartnerRef(), required=True, validate=validate.Length(min=1, error="au moins un partenaire"))
    template = String(validate=validate.Length(min=1, max=60, error="code de modèle de 1 à 60 caractères"),
                      metadata={"description": "Code du modèle (GET /templates) ; absent pour une convention "
                                               "rédigée hors de l'application."})
    clauses = List(String(validate=validate.Length(max=63)), load_default=list,
                   metadata={"description": "Codes des clauses optionnelles retenues."})
    fields = FieldValues(load_default=dict, metadata={"description": "Valeurs des champs du modèle."})
    partner_types = codes(PARTNER_TYPES, load_default=list,
                          metadata={"description": "Par défaut, ceux du modèle."})
    themes = codes(THEMES, load_default=list, metadata={
        "description": "Sans modèle : ceux que couvre la convention (déclarés). D'après un modèle : ceux de ses "
                       "articles (le modèle et les clauses retenues) ; à omettre, ou identiques."})
    legal_bases = codes(LEGAL_BASES, load_default=list, metadata={
        "description": "Articles sur lesquels repose la convention (L6111-3-2, L6111-3-3, D6124-204...). D'après "
                       "un modèle : ceux du modèle ; à omettre, ou identiques."})
    effective_date = Date(required=True, validate=validate.Range(
        min=date(1900, 1, 1), max=date(2199, 12, 31), error="date entre 1900 et 2199 attendue"))
    duration_months = Integer(required=True, validate=validate.Range(min=1, max=240, error="de 1 à 240 mois"))
    tacit_renewal = ma.Boolean(load_default=True, error_messages={"invalid": "true ou false attendu"})
    notice_months = Integer(load_default=3, validate=validate.Range(min=0, max=24, error="de 0 à 24 mois"),
                            metadata={"description": "Préavis de résiliation, en mois (3 par défaut)."})
    title = String(validate=validate.Length(max=300, error="300 caractères au plus"),
                   metadata={"description": "Par défaut : le nom du modèle et ceux des partenaires."})
    signatories = List(Nested(SignatoryInput), load_default=list,
                       metadata={"description": "Qui signe pour chaque partie."})


class ConventionPatch(ConventionInput):
    """PATCH /conventions/{id}: any of POST /conventions's values but the hospital and the template; only those
    given change (``fields``: the template fields given, the others kept)."""

    class Meta:
        exclude = ("hospital", "template")

    def __init__(self, **kwargs):
        super().__init__(partial=True, **kwargs)


class CorrectionChanges(ConventionPatch):
    """The values a correction sets: those of PATCH (clauses and fields excepted: those of the signed document),
    the signature date, and for a terminated convention the termination's date and reason."""

    signed_on = Date(validate=validate.Range(min=date(1900, 1, 1), max=date(2199, 12, 31),
                                             error="date entre 1900 et 2199 attendue"),
                     metadata={"description": "Date de signature, pas dans le futur."})
    terminated_on = Date(validate=validate.Range(min=date(1900, 1, 1), max=date(2199, 12, 31),
                                                 error="date entre 1900 et 2199 attendue"),
                         metadata={"description": "Convention résiliée : date d'effet de la résiliation."})
    termination_reason = String(validate=validate.Length(min=1, max=2000, error="de 1 à 2 000 caractères"),
                                metadata={"description": "Convention résiliée : motif de la résiliation."})


class CorrectionInput(FrenchSchema):
    """POST /conventions/{id}/corrections: the values to correct on a signed or terminated convention, and why."""

    changes = Nested(CorrectionChanges, required=True, metadata={"description": "{champ: nouvelle valeur}."})
    reason = String(required=True, validate=validate.Length(min=1, max=2000, error="de 1 à 2 000 caractères"),
                    metadata={"description": "Motif de la correction (obligatoire), gardé dans l'historique."})


class TransmissionInput(FrenchSchema):
    """POST /conventions/{id}/ars-transmission: the day the hospital sent the convention to the ARS."""

    date = Date(required=True, validate=validate.Range(
        min=date(1900, 1, 1), max=date(2199, 12, 31), error="date entre 1900 et 2199 attendue"),
        metadata={"description": "Date d'envoi à l'ARS (AAAA-MM-JJ), ni future ni antérieure à la signature."})


class CopyReviewInput(FrenchSchema):
    """POST /conventions/{id}/signed-copies/{version}/confirmation (reason required) or /discard (optional)."""

    reason = String(load_default=None, validate=validate.Length(max=2000, error="2 000 caractères au plus"),
                    metadata={"description": "Motif : obligatoire pour confirmer une copie malgré l'alerte."})


class TransitionInput(FrenchSchema):
    """POST /conventions/{id}/transitions (docs/interface.md): the target status, a comment or reason, a date."""

    to = String(required=True, validate=one_of(status.value for status in Status),
                metadata={"description": "Statut visé."})
    comment = String(load_default=None, allow_none=True,
                     validate=validate.Length(max=2000, error="2 000 caractères au plus"),
                     metadata={"description": "Motif, obligatoire pour revenir de « a_signer » en "
                                              "« en_negociation » et pour résilier ; commentaire sinon."})
    date = Date(load_default=None, allow_none=True, validate=validate.Range(
        min=date(1900, 1, 1), max=date(2199, 12, 31), error="date entre 1900 et 2199 attendue"),
        metadata={"description": "Date de signature (vers « signee », pas dans le futur) ou date d'effet de la "
                                 "résiliation (vers « resiliee »)."})

# --- Representations -------------------------------------------------------------------------------------------


class SignatorySchema(FrenchSchema):
    name = String(attribute="signatory_name", allow_none=True)
    title = String(attribute="signatory_title", allow_none=True)


class PartySchema(FrenchSchema):
    role = String(metadata={"description": "« hospital » ou « partner »."})
    organisation_id = Integer()
    finess_et = String(attribute="organisation.finess_et", allow_none=True)
    name = String(attribute="organisation.display_name")
    signatory = Inline(SignatorySchema)


class DraftSchema(FrenchSchema):
    version = Integer()
    sha256 = String()
    size = Integer()
    filename = String()
    created_at = ma.DateTime()
    origin = String(metadata={"description": "« generated » (produit d'après le modèle) ou « received » (version "
                                             "reçue du partenaire, enregistrée telle quelle)."})
    comment = String(allow_none=True, metadata={"description": "Commentaire de qui a déposé la version reçue."})
    created_by = String(attribute="created_by.email", allow_none=True)


class SignatureSchema(FrenchSchema):
    """One electronic signature (or document timestamp) of a signed copy, as checked offline on upload."""

    field = String(metadata={"description": "Nom du champ de signature."})
    kind = String(metadata={"description": "« signature » ou « horodatage »."})
    signer = String(allow_none=True, metadata={"description": "Nom (CN) du titulaire du certificat."})
    signing_time = String(allow_none=True, metadata={
        "description": "Heure de signature, ISO 8601 : celle du jeton d'horodatage s'il y en a un, sinon celle "
                       "déclarée par le logiciel du signataire."})
    timestamped = ma.Boolean()
    intact = ma.Boolean(allow_none=True, metadata={"description": "Octets signés inchangés et signature valide."})
    modified_after_signing = ma.Boolean(allow_none=True)
    trust = String(metadata={"description": "verifie, non_verifie, revoque (confiance dans le certificat, "
                                            "vérifiée hors ligne, à part de l'intégrité)."})
    trust_label = String()
    verdict = String(metadata={"description": "alteree, modifiee, integre_certificat_revoque, illisible, "
                                              "integre_certificat_non_verifie, integre_certificat_verifie."})
    label = String(metadata={"description": "Le verdict en français."})
    error = String(allow_none=True, metadata={"description": "Pourquoi la signature est illisible, s'il y a lieu."})


class PdfCheckSchema(FrenchSchema):
    """What the content check found in an accepted PDF (docs/signed-copies.md)."""

    page_count = Integer()
    pdf_version = String()
    active_content = List(String(), metadata={"description": "javascript, launch, auto_action, embedded_file."})
    owner_password_only = ma.Boolean()
    warnings = List(String(), metadata={"description": "Avertissements à afficher à côté de la copie."})


class SignedCopySchema(FrenchSchema):
    """A signed copy (a version) with its check: the summary label, each signature, the PDF's findings."""

    version = Integer()
    sha256 = String()
    size = Integer()
    filename = String()
    created_at = ma.DateTime()
    label = String(metadata={"description": "Le verdict du document : celui de sa pire signature, ou « signature "
                                            "manuscrite (copie numérisée) » sans signature électronique."})
    signatures = List(Nested(SignatureSchema))
    signature_count = Integer(metadata={"description": "Signatures électroniques (horodatages du document à part)."})
    timestamp_count = Integer(metadata={"description": "Horodatages du document (/DocTimeStamp) : pas des "
                                                      "signataires."})
    pdf = Nested(PdfCheckSchema)
    current = ma.Boolean(metadata={"description": "true quand cette copie est la copie signée en vigueur."})
    review = String(allow_none=True, metadata={
        "description": "null : aucune alerte ; « ecartee » : signature altérée, modifiée après signature ou "
                       "illisible, la copie est mise à l'écart (jamais la copie en vigueur) en attendant une "
                       "décision ; « confirmee » : confirmée malgré l'alerte ; « rejetee » : écartée définitivement."})
    alerts = List(String(), metadata={"description": "Ce que le contrôle a relevé, en français ; vide sans alerte."})
    review_reason = String(allow_none=True, metadata={"description": "Motif de la confirmation (ou du rejet)."})
    reviewed_by = String(allow_none=True, attribute="reviewed_by.email")
    reviewed_at = ma.DateTime(allow_none=True)

    def get_attribute(self, obj, attr, default):
        report = obj.signature_report or {}
        if attr in ("label", "signatures", "pdf"):  # kept with the copy as checked on upload
            return report.get(attr, default)
        if attr in ("signature_count", "timestamp_count"):
            return counts(report.get("signatures", []))[attr == "timestamp_count"]
        if attr == "alerts":
            return alert_reasons(report.get("signatures", []))
        if attr == "current":
            return obj.convention.current_signed_copy is obj
        return super().get_attribute(obj, attr, default)


class ConventionLinkSchema(FrenchSchema):
    """Another convention named by this one: an avenant, the parent, a replaced or replacing convention."""

    id = Integer()
    reference = String()
    title = String()
    status = String()
    state = String(allow_none=True)

    def get_attribute(self, obj, attr, default):
        return obj.state_on() if attr == "state" else super().get_attribute(obj, attr, default)


class EventSchema(FrenchSchema):
    """One transition: who, when, from which status to which, the comment and the date it carried."""

    at = ma.DateTime()
    actor = String(attribute="actor_label", metadata={"description": "Adresse de l'auteur, « système » sinon."})
    from_status = String(data_key="from")
    to_status = String(data_key="to")
    comment = String(allow_none=True)
    date = Date(allow_none=True, metadata={"description": "Date de signature ou d'effet de la résiliation."})


class TransitionOptionSchema(FrenchSchema):
    to = String(attribute="target")
    label = String(metadata={"description": "Libellé de l'action sur la page."})
    needs_reason = ma.Boolean()
    needs_date = ma.Boolean()
    needs_signed_copy = ma.Boolean()


class ConventionSchema(FrenchSchema):
    id = Integer()
    reference = String(metadata={"description": "« <FINESS ET>-<année>-<numéro> », unique."})
    title = String()
    status = String(metadata={"description": ", ".join(Status) + "."})
    hospital = String(attribute="hospital.finess_et", metadata={"description": "FINESS ET de l'hôpital."})
    effective_date = Date(allow_none=True)
    duration_months = Integer(allow_none=True)
    end_date = ma.Method("_end_date", metadata={"description": "Dernier jour en vigueur, déduit de la durée."})
    tacit_renewal = ma.Boolean()
    notice_months = Integer()
    parties = List(Nested(PartySchema))
    partner_types = List(String())
    themes = List(String(), metadata={"description": "Rédigée d'après un modèle : ceux de ses articles ; "
                                                     "enregistrée : ceux que l'hôpital a déclarés."})
    themes_declared = ma.Method("_themes_declared", metadata={
        "description": "true quand les thèmes sont déclarés par l'hôpital (convention enregistrée), à vérifier."})
    legal_bases = List(String(), metadata={"description": "Articles sur lesquels elle repose."})
    transmitted_to_ars_on = Date(allow_none=True, metadata={"description": "Date d'envoi à l'ARS ; null sinon."})
    clauses = List(String())
    fields = ma.Raw()
    template = ma.Method("_template", metadata={"description": "{code, version}, null hors modèle."})
    drafts = List(Nested(DraftSchema))
    state = String(allow_none=True, metadata={
        "description": "État déduit des dates, aujourd'hui : " + ", ".join(STATES) + ", resiliee ; null tant "
                       "qu'elle n'est pas signée."})
    signed_on = Date(allow_none=True)
    terminated_on = Date(allow_none=True, metadata={"description": "Premier jour où elle n'est plus en vigueur."})
    termination_reason = String(allow_none=True)
    kind = String(metadata={"description": "« convention » ou « avenant »."})
    parent = Nested(ConventionLinkSchema, allow_none=True, metadata={"description": "Pour un avenant."})
    avenants = List(Nested(ConventionLinkSchema))
    supersedes = List(Nested(ConventionLinkSchema), metadata={"description": "Conventions qu'elle remplace."})
    superseded_by = Nested(ConventionLinkSchema, allow_none=True)
    possible_transitions = List(Nested(TransitionOptionSchema), metadata={
        "description": "Changements de statut offerts depuis le statut actuel (leurs conditions sont vérifiées à "
                       "la demande ; réservés aux utilisateurs qui peuvent modifier la convention)."})
    events = List(Nested(EventSchema), metadata={"description": "Historique des changements de statut."})
    history = ma.Method("_history", metadata={
        "description": "Modifications (PATCH, page « Modifier ») et corrections, de la plus ancienne à la plus "
                       "récente : [{at, actor, kind: modification | correction, reason, changes: {champ: "
                       "[avant, après]}}]."})
    signed_copy = Nested(SignedCopySchema, allow_none=True, metadata={
        "description": "La copie signée en vigueur et sa vérification : la plus récente sans alerte ou confirmée "
                       "malgré l'alerte (une copie « ecartee » ne l'est jamais) ; null sans copie en vigueur."})
    signed_copies = List(Nested(SignedCopySchema), metadata={"description": "Toutes les versions, de la "
                                                                            "plus ancienne à la plus récente."})
    created_at = ma.DateTime()

    def get_attribute(self, convention, attr, default):
        if attr == "state":
            return convention.state_on()
        if attr == "possible_transitions":
            return convention.possible_transitions()
        if attr == "signed_copy":
            return convention.current_signed_copy
        return super().get_attribute(convention, attr, default)

    def _end_date(self, convention):
        if convention.effective_date is None or not convention.duration_months:
            return None
        return end_date(convention.effective_date, convention.duration_months).isoformat()

    def _history(self, convention) -> list[dict]:
        return [{"at": clock.as_utc(entry.at).isoformat(), "actor": entry.actor_label,
                 "kind": "correction" if entry.action == CORRECTION_ACTION else "modification",
                 "reason": (entry.changes or {}).get(REASON_KEY, [None, None])[1],
                 "changes": {key: value for key, value in (entry.changes or {}).items() if key != REASON_KEY}}
                for entry in change_history(convention)]

    def _themes_declared(self, convention) -> bool:
        return convention.template_version_id is None

    def _template(self, convention):
        version = convention.template_version
        return None if version is None else {"code": version.code, "version": version.version}
