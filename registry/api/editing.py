"""PATCH /conventions/{id} (edit a convention still negotiated) and POST /conventions/{id}/corrections (correct a
signed or terminated one, with a reason), on the conventions blueprint.

Both load the convention for editing first (404 outside the scope, 403 for readers such as the ARS). A status that
does not allow the change is a 409 before the body is read; invalid values are a 422 naming them, nothing changed.
The services are registry/conventions/editing.py's, the same as the pages'.
"""

from flask import request
from flask.views import MethodView
from flask_login import current_user

from registry.api.blueprint import load_json
from registry.api.convention_schemas import ConventionPatch, ConventionSchema, CorrectionInput
from registry.api.conventions import ID, blp, partnerships_of, signatories_of
from registry.conventions.editing import correct_convention, edit_convention, ensure_correctable
from registry.conventions.models import Convention
from registry.core.access import signed_in
from registry.core.errors import DomainError
from registry.core.scope import get_convention
from registry.extensions import db

#: Values of a convention that neither PATCH nor a correction change (named in the 422 rather than ignored).
READ_ONLY = ("hospital", "template", "reference", "status", "id")


@blp.route(f"/conventions/<{ID}:convention_id>")
@signed_in
class ConventionEdit(MethodView):
    @blp.json_body(ConventionPatch)
    @blp.response(200, ConventionSchema, description="La convention modifiée.")
    @blp.alt_response(403, description="Lecture seule pour l'utilisateur (ARS).")
    @blp.alt_response(404, description="Convention hors du périmètre de l'utilisateur.")
    @blp.alt_response(409, description="Convention figée depuis son passage « à signer » : la repasser "
                                       "« en_negociation » (avec un motif) pour la modifier.")
    def patch(self, convention_id):
        """Modifier une convention « brouillon » ou « en_negociation » : les champs de POST /conventions donnés.

        Seuls les champs présents changent (« fields » : les champs du modèle donnés, les autres gardés ;
        « partners » : la nouvelle liste ; « signatories » : ceux des parties nommées). Mêmes contrôles qu'à la
        création ; chaque modification est tracée dans l'historique (ancienne → nouvelle valeur). Le prochain
        projet (POST /conventions/{id}/drafts) reprend les nouvelles valeurs. Réservé aux administrateurs et aux
        utilisateurs de l'hôpital.
        """
        convention = get_convention(convention_id, for_edit=True)
        convention.ensure_editable()
        _refuse_read_only(request.get_json(silent=True))
        edit_convention(convention, _changes(convention, load_json(ConventionPatch)), actor=current_user)
        db.session.commit()
        return convention


@blp.route(f"/conventions/<{ID}:convention_id>/corrections")
@signed_in
class CorrectionCreate(MethodView):
    @blp.json_body(CorrectionInput)
    @blp.response(200, ConventionSchema, description="La convention corrigée.")
    @blp.alt_response(403, description="Lecture seule pour l'utilisateur (ARS).")
    @blp.alt_response(404, description="Convention hors du périmètre de l'utilisateur.")
    @blp.alt_response(409, description="Convention ni signée ni résiliée : la modifier (PATCH) tant qu'elle est "
                                       "négociée.")
    def post(self, convention_id):
        """Corriger une convention signée ou résiliée (dont celles de l'import du stock) : {"changes", "reason"}.

        « changes » : les champs de PATCH (sauf « clauses » et « fields », ceux du document signé) et
        « signed_on », « terminated_on », « termination_reason ». Le motif est obligatoire ; les dates restent
        cohérentes (signature ni future ni après la transmission à l'ARS, résiliation après la signature).
        L'historique garde les anciennes et nouvelles valeurs et le motif. Réservé aux administrateurs et aux
        utilisateurs de l'hôpital.
        """
        convention = get_convention(convention_id, for_edit=True)
        ensure_correctable(convention)
        _refuse_read_only((request.get_json(silent=True) or {}).get("changes") if request.is_json else None)
        payload = load_json(CorrectionInput)
        correct_convention(convention, _changes(convention, payload["changes"]), reason=payload["reason"],
                           actor=current_user)
        db.session.commit()
        return convention


def _refuse_read_only(body) -> None:
    named = [key for key in READ_ONLY if isinstance(body, dict) and key in body]
    if named:
        raise DomainError("Modification refusée : " + ", ".join(f"« {key} »" for key in named)
                          + " ne se modifie pas.", details={"json": {key: ["ne se modifie pas"] for key in named}})


def _changes(convention: Convention, payload: dict) -> dict:
    """The payload as the editing services take it: partners and signatories resolved within the hospital."""
    hospital = convention.hospital
    changes = {key: value for key, value in payload.items() if key not in ("partners", "signatories")}
    if "partners" in payload:
        changes["partnerships"] = partnerships_of(hospital, payload["partners"])
    if "signatories" in payload:
        parties = changes.get("partnerships") or [p for p in hospital.partnerships if p.partner_id in {
            party.organisation_id for party in convention.parties}]
        changes["signatories"] = signatories_of(hospital, parties, payload["signatories"])
    return changes
