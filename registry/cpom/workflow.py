"""A yearly declaration's statuses (docs/interface.md) and who moves it: the establishment declares and brings proof,
the ARS asks for proof and validates or contests. A validated value is locked."""

NON_DECLAREE, DECLAREE, PREUVE_DEMANDEE, PREUVE_FOURNIE, VALIDEE, CONTESTEE = STATUSES = (
    "non_declaree", "declaree", "preuve_demandee", "preuve_fournie", "validee", "contestee")
STATUS_LABELS = {NON_DECLAREE: "Non déclarée", DECLAREE: "Déclarée", PREUVE_DEMANDEE: "Preuve demandée",
                 PREUVE_FOURNIE: "Preuve fournie", VALIDEE: "Validée", CONTESTEE: "Contestée"}
#: Who gave a declared value: the establishment, or an activity-data import (PMSI, ScanSanté).
ESTABLISHMENT, ACTIVITY_DATA = SOURCES = ("etablissement", "donnees_activite")
SOURCE_LABELS = {ESTABLISHMENT: "Déclaration de l'établissement", ACTIVITY_DATA: "Données d'activité (import)"}
#: The decisions of the ARS's review.
DECISIONS = (VALIDEE, CONTESTEE)


def after_declaration(status: str) -> str:
    """A new or corrected value: a pending proof request stays pending; anything else is « déclarée »."""
    return PREUVE_DEMANDEE if status == PREUVE_DEMANDEE else DECLAREE


def after_proof(status: str) -> str:
    return PREUVE_FOURNIE if status in (PREUVE_DEMANDEE, DECLAREE, CONTESTEE, PREUVE_FOURNIE) else status


def refusal(status: str, action: str) -> str | None:
    """Why ``action`` (declare, proof, request, review) is refused in ``status``, in French; None when allowed."""
    if status == VALIDEE:
        return "la valeur a été validée par l'ARS : elle est verrouillée"
    if action in ("proof", "request", "review") and status == NON_DECLAREE:
        return "aucune valeur n'a encore été déclarée pour cette année"
    return None
