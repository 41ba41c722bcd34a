"""docs/compliance-rules.md, written from the rule data so that the page a legal reviewer reads is the rules.

Regenerate after changing a rule: ``.venv/bin/python -m registry.compliance.document > docs/compliance-rules.md``.
"""

from registry.compliance.requirements import (BY_CPOM, BY_EQUIPMENT, BY_STATUTORY, VERDICT_LABELS, VERDICT_MEANINGS,
                                              Requirement)
from registry.compliance.rules import CURRENT, RULESETS
from registry.compliance.wording import quoted, route_phrase
from registry.core.french import french_date
from registry.core.vocabulary import ACTIVITIES

HEADER = """\
# Règles de conformité des hôpitaux de proximité

<!-- Generated from registry/compliance/ by `python -m registry.compliance.document`; do not edit by hand:
     tests/compliance/test_rules.py fails when this page and the rule data differ. -->

Ce document donne, pour chaque exigence vérifiée par l'application, le texte cité (article, alinéa, version du
texte), ce qui la remplit, quand elle n'est pas requise, et la lecture que l'application fait du texte. Chaque
verdict affiché reprend la citation, la lecture et la version du jeu de règles sur lesquelles il repose.

Deux jeux de règles : les textes en vigueur depuis 2021 (par défaut, partout : pages, exports, API, commande,
lots de conventions) et l'article R6111-26 dans sa rédaction de 2016 (décret n° 2016-658), gardé pour l'histoire et
consultable en le choisissant. Les citations marquées « Source » disent ce qui n'a pas pu être lu en français :
un juriste doit les vérifier sur Légifrance avant de s'y fier.
"""

#: The documents the verdicts are given in; each names the rule set and the evaluation day.
DOCUMENTS = """\
## Documents produits

Les mêmes verdicts (même calcul, mêmes libellés et couleurs) sont donnés, selon le jeu de règles et à la date
d'évaluation choisis, dans :

- le tableau de bord `/conformite` et la page de conformité de chaque hôpital ;
- l'export CSV ou Excel du tableau de bord (`/conformite/export?format=csv|xlsx`) : une ligne par hôpital et par
  exigence, avec le motif, la citation et les conventions retenues ;
- la matrice Excel (`/conformite/export?format=xlsx-matrice`, commande `compliance --format xlsx-matrix --output
  FICHIER`) : une ligne par hôpital (FINESS, nom, département), une colonne par exigence, chaque cellule le libellé
  du verdict sur sa couleur, une légende, et une feuille « Critères » (code, exigence, citation, jeu de règles, date
  d'évaluation, filtres) ;
- le rapport PDF d'un hôpital (« Rapport PDF » sur sa page de conformité) ou d'un département (tableau de bord ;
  commande `compliance --format pdf --output FICHIER`) : jeu de règles, date d'évaluation et date du document en
  tête, puis pour chaque exigence le verdict, le motif, la citation, la lecture du texte et les conventions
  retenues ou écartées ;
- `GET /api/v1/compliance` et `compliance --format json|csv|table`.

Chacun ne montre que les hôpitaux que son lecteur peut consulter : l'ARS ceux de sa région, l'administrateur tous,
un utilisateur d'hôpital les siens.
"""


def render() -> str:
    lines = [HEADER, "## Verdicts", ""]
    lines += [f"- `{code}` ({label}) : {VERDICT_MEANINGS[code]}." for code, label in VERDICT_LABELS.items()]
    lines += ["", "## Lectures communes à toutes les exigences", ""]
    lines += [f"{number}. {reading}" for number, reading in enumerate(CURRENT.readings, start=1)]
    lines += ["", "## Jeux de règles", ""]
    for ruleset in RULESETS.values():
        lines += [f"- `{ruleset.id}`, version {ruleset.version}{' (par défaut)' if ruleset is CURRENT else ''} : "
                  f"{ruleset.title} ; texte le plus récent du {french_date(ruleset.text_date)}. Exigences : "
                  + ", ".join(f"`{code}`" for code in ruleset.codes) + "."]
    lines += ["", DOCUMENTS.rstrip()]
    for ruleset in RULESETS.values():
        lines += ["", f"## Exigences : {ruleset.title} (`{ruleset.id}`)", ""]
        for requirement in ruleset.requirements:
            lines += _requirement(requirement)
    return "\n".join(lines).rstrip() + "\n"


def _requirement(requirement: Requirement) -> list[str]:
    citation = requirement.citation
    lines = [f"### `{requirement.code}` — {requirement.title}", "",
             f"- **Citation** : {citation}.", f"- **Texte** : « {citation.quote} »"]
    if citation.note:
        lines.append(f"- **Source** : {citation.note}")
    if not requirement.in_interface:
        lines.append(f"- **Ajout** : {requirement.addition_note}")
    lines += [f"- **Remplie par** : {_met_by(requirement)}."]
    if requirement.recommended:
        lines.append("- **Partenariat recommandé** : montré avec son état, jamais « manquant ».")
    if requirement.waived_by_activities:
        lines.append("- **Non requise quand** l'hôpital exerce lui-même : "
                     + " ou ".join(quoted(requirement.waived_by_activities, ACTIVITIES)) + ".")
    lines += [f"- **Lecture de l'application** : {requirement.reading}", ""]
    return lines


def _met_by(requirement: Requirement) -> str:
    if requirement.evaluation == BY_CPOM:
        return ("les engagements inscrits au CPOM pour les partenariats "
                + ", ".join(f"`{code}`" for code in requirement.refers_to))
    if requirement.evaluation == BY_STATUTORY:
        routes = " ; ou ".join(f"une convention signée et en vigueur avec {route.label}" for route in
                               requirement.routes)
        return (f"{routes}, transmise à l'ARS ; à conclure dans les {requirement.deadline_months} mois qui suivent "
                "l'inscription sur la liste")
    if requirement.evaluation == BY_EQUIPMENT:
        return " ; ".join(f"{need.label.lower()} : en propre, ou une convention signée et en vigueur "
                         f"{route_phrase(need.route)}" for need in requirement.equipment)
    ways = [f"une convention signée et en vigueur {route_phrase(route)}" for route in requirement.routes]
    if requirement.met_by_activities:
        ways.insert(0, "l'activité exercée par l'hôpital lui-même : "
                    + " ou ".join(quoted(requirement.met_by_activities, ACTIVITIES)))
    return " ; ou ".join(ways)


if __name__ == "__main__":
    print(render(), end="")
