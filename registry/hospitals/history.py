"""A hospital's audit trail on its own page (/hopitaux/<finess>/historique), a page at a time, each change said in
French; the hospital page shows the latest entries and links here."""

from datetime import date

from flask import render_template, request
from registry.audit.services import hospital_trail_query
from registry.conventions.editing import REASON_KEY, change_label
from registry.core.access import signed_in
from registry.core.french import french_date
from registry.core.scope import get_hospital
from registry.core.vocabulary import (ACTIVITIES, EQUIPMENT, GHT_SELF, LEGAL_BASES, LEGAL_STATUSES, PARTNER_TYPES,
                                      REMOVAL_GROUNDS, THEMES)
from registry.extensions import db
from registry.hospitals.routes import bp

#: Entries per page of the history.
PAGE_SIZE = 50
#: Beyond this page the history is empty anyway; the bound keeps OFFSET within the database's integer range.
MAX_PAGE = 100_000

#: French names of the fields an audit entry may list as changed, and the vocabulary of their codes.
AUDIT_FIELDS = {
    "listed_on": ("Date d'inscription", None),
    "decision_ref": ("Décision de l'ARS", None),
    "territory_departements": ("Départements du territoire", None),
    "territory_communes": ("Communes du territoire", None),
    "internal_activities": ("Activités exercées en propre (déclarées)", ACTIVITIES),
    "confirmed_activities": ("Activités confirmées par l'ARS", ACTIVITIES),
    "own_equipment": ("Équipements propres (déclarés)", EQUIPMENT),
    "confirmed_equipment": ("Équipements confirmés par l'ARS", EQUIPMENT),
    "legal_status": ("Statut juridique", LEGAL_STATUSES),
    "ght_support": ("Établissement support du GHT", {GHT_SELF: "l'hôpital en relève"}),
    "removed_on": ("Retrait de la liste", None),
    "removal_ground": ("Motif du retrait", REMOVAL_GROUNDS),
    "legal_bases": ("Fondements juridiques", LEGAL_BASES),
    "transmitted_to_ars_on": ("Transmise à l'ARS le", None),
    "partner_types": ("Types de partenaire", PARTNER_TYPES),
    "themes": ("Thèmes", THEMES),
    "notes": ("Notes", None),
    "started_on": ("Début", None),
    "ended_on": ("Fin", None),
    "date": ("Date de signature ou d'effet", None),
    "superseded_by": ("Remplacée par", None),
}
#: Changes the entry's summary already states (« Brouillon → En négociation », « 2025 déclaré : oui »).
SAID_IN_SUMMARY = {"status", "value", REASON_KEY}


def _empty(value) -> bool:
    return value in (None, "", [])


def _word(value, vocabulary) -> str:
    """One value in French: a code's label, a date in words, anything else as it is."""
    if isinstance(value, str) and vocabulary and value in vocabulary:
        return vocabulary[value]
    if isinstance(value, str) and len(value) == 10 and value[4] == "-":
        try:
            return french_date(date.fromisoformat(value))
        except ValueError:
            pass
    return str(value)


def _words(values, vocabulary) -> str:
    return ", ".join(f"« {_word(value, vocabulary)} »" for value in values)


def change_sentence(field: str, before, after) -> str:
    """What changed in one field, as read on the page: « ajout de « USLD » », « 3 juin 2022 (auparavant :
    1er mai 2022) », « valeur retirée (auparavant : Public) »."""
    _, vocabulary = AUDIT_FIELDS.get(field, (field, None))
    if isinstance(before, list) or isinstance(after, list):
        old, new = list(before or ()), list(after or ())
        added = [value for value in new if value not in old]
        removed = [value for value in old if value not in new]
        parts = ([f"ajout de {_words(added, vocabulary)}"] if added else []) + (
            [f"retrait de {_words(removed, vocabulary)}"] if removed else [])
        if parts:
            return " ; ".join(parts)
        # None → []: a list declared empty (no equipment, no commune), said without a word whose gender would vary
        return "liste vide enregistrée" if before is None else "ordre modifié"
    if _empty(before):
        return f"{_word(after, vocabulary)} (ajout)"
    if _empty(after):
        return f"valeur retirée (auparavant : {_word(before, vocabulary)})"
    return f"{_word(after, vocabulary)} (auparavant : {_word(before, vocabulary)})"


@bp.app_template_filter("audit_changes")
def audit_changes(changes: dict | None) -> list[tuple[str, str]]:
    """(field label, what changed) for each change of an audit entry, in French."""
    return [(AUDIT_FIELDS.get(field, (change_label(field), None))[0], change_sentence(field, before, after))
            for field, (before, after) in (changes or {}).items() if field not in SAID_IN_SUMMARY]


def page_number(value: str | None) -> tuple[int, str | None]:
    """The page asked for by ``?page=`` (none or blank: the first), and a French message when it is not a page
    number."""
    text = (value or "").strip()
    if not text:
        return 1, None
    if not text.isdecimal() or not 1 <= int(text) <= MAX_PAGE:
        return 1, f"Numéro de page invalide : « {text[:20]} ». Indiquez un nombre entier de 1 à {MAX_PAGE}."
    return int(text), None


@bp.route("/hopitaux/<finess>/historique")
@signed_in
def history(finess: str):
    """The hospital's audit trail, newest first, PAGE_SIZE entries a page; whoever reads the hospital reads it."""
    hospital = get_hospital(finess)
    number, error = page_number(request.args.get("page"))
    entries = db.paginate(hospital_trail_query(hospital), page=number, per_page=PAGE_SIZE, error_out=False,
                          count=True)
    status = 200
    if error is not None:
        status = 400
    elif entries.total and number > entries.pages:
        error, status = (f"La page {number} n'existe pas : l'historique compte {entries.pages} "
                         f"page{'s' if entries.pages > 1 else ''}."), 404
    return render_template("hospitals/history.html", hospital=hospital, entries=entries, error=error), status
