"""Build the FIRST version of the CPOM annex's Word template, convention_templates/cpom/volet_lien_ville_hopital.docx.

Not used by the application at run time: the .docx is the source of truth (legal staff may edit it in Word), and
``annex.py`` fills it. Running this again overwrites Word edits, so it refuses to replace the file without --force:

    .venv/bin/python -m registry.cpom.annex_template [--force]

The template is docxtpl's: ``{%p … %}`` paragraphs repeat or drop paragraphs (and the tables between them),
``{%tr … %}`` rows repeat table rows; every value is text worded by ``annex.context``.
"""

import argparse
import sys
from datetime import datetime

import docx
from docx.shared import Pt

from registry.cpom.annex import TEMPLATE
from registry.cpom.report import a4, docx_bytes, set_widths

BUILT_ON = datetime(2026, 1, 1)


def _rows(document, pairs: list[tuple[str, str]]):
    """A two-column table (label in bold, value) with one row per pair; a label starting with « {%tr » makes the
    row a docxtpl row tag."""
    table = document.add_table(rows=0, cols=2)
    table.style = "Table Grid"
    for label, value in pairs:
        cells = table.add_row().cells
        if label.startswith("{%tr"):
            cells[0].paragraphs[0].text = label
            continue
        cells[0].paragraphs[0].add_run(label).bold = True
        _fill(cells[1], value)
    set_widths(table, (5, 12))
    return table


def _fill(cell, value: str | list[str]) -> None:
    """A cell's paragraphs: one per line of ``value``."""
    lines = [value] if isinstance(value, str) else value
    cell.paragraphs[0].text = lines[0]
    for line in lines[1:]:
        cell.add_paragraph(line)


def _grid(document, headings: list[str], row: list[str], loop: str, widths: tuple[float, ...]):
    """A table with a heading row and one row repeated by ``loop`` (« for x in xs »), ``widths`` in cm."""
    table = document.add_table(rows=4, cols=len(headings))
    table.style = "Table Grid"
    set_widths(table, widths)
    for cell, heading in zip(table.rows[0].cells, headings):
        cell.paragraphs[0].add_run(heading).bold = True
    table.rows[1].cells[0].paragraphs[0].text = f"{{%tr {loop} %}}"
    for cell, value in zip(table.rows[2].cells, row):
        cell.paragraphs[0].text = value
    table.rows[3].cells[0].paragraphs[0].text = "{%tr endfor %}"
    return table


def build_template() -> bytes:
    document = a4(docx.Document())
    document.styles["Normal"].font.name = "Calibri"
    document.styles["Normal"].font.size = Pt(10.5)

    document.add_paragraph("Annexe au contrat pluriannuel d'objectifs et de moyens", style="Title")
    document.add_paragraph("Volet « lien ville-hôpital »", style="Subtitle")
    document.add_paragraph("{{ establishment.name }} – FINESS EJ {{ establishment.finess_ej }} – CPOM n° "
                           "{{ cpom.id }}")

    document.add_heading("1. L'établissement", level=1)
    _rows(document, [("Entité juridique", "{{ establishment.name }}"),
                     ("FINESS EJ", "{{ establishment.finess_ej }}"),
                     ("Région", "{{ establishment.region }}")])
    document.add_paragraph("Sites couverts par le contrat :")
    _grid(document, ["Site", "FINESS ET", "Commune"], ["{{ site.name }}", "{{ site.finess_et }}", "{{ site.city }}"],
          "for site in sites", (8, 3, 6))

    document.add_heading("2. Le contrat", level=1)
    _rows(document, [("Signé le", "{{ cpom.signed_on }}"), ("Date d'effet", "{{ cpom.effective_on }}"),
                     ("Durée", "{{ cpom.duration }}"), ("Échéance", "{{ cpom.ends_on }}"),
                     ("Évaluation à mi-parcours", "{{ cpom.midterm_due }}"),
                     ("Demande de renouvellement", "avant le {{ cpom.renewal_due }}")])
    document.add_paragraph("{%p if avenants %}")
    document.add_paragraph("Avenants :")
    _grid(document, ["N°", "Signé le", "Effet", "Objet"],
          ["{{ avenant.number }}", "{{ avenant.signed_on }}", "{{ avenant.effective_on }}", "{{ avenant.object }}"],
          "for avenant in avenants", (1.2, 3.4, 3.4, 9))
    document.add_paragraph("{%p else %}")
    document.add_paragraph("Aucun avenant.")
    document.add_paragraph("{%p endif %}")

    document.add_heading("3. Les engagements", level=1)
    document.add_paragraph("{%p for theme in themes %}")
    document.add_heading("{{ theme.name }}", level=2)
    document.add_paragraph("{%p for item in theme.engagements %}")
    document.add_heading("{{ item.objective }}", level=3)
    _rows(document, [
        ("Indicateur", "{{ item.indicator }}"),
        ("Unité", "{{ item.unit }}"),
        ("{%tr if item.calculation %}", ""),
        ("Calcul", "{{ item.calculation }}"),
        ("{%tr endif %}", ""),
        ("{%tr if item.actions %}", ""),
        ("Actions possibles", "{{ item.actions }}"),
        ("{%tr endif %}", ""),
        ("Structures concernées", "{{ item.structures }}"),
        ("Fréquence", "{{ item.frequency }}"),
        ("Cible de la fiche", "{{ item.sheet_target }}"),
        ("Cible ({{ target_year }})", "{{ item.target }}"),
        ("Historique de la cible", ["{%p for line in item.history %}", "{{ line }}", "{%p else %}",
                                    "Cible du contrat initial, inchangée.", "{%p endfor %}"]),
        ("Applicabilité", "{{ item.applicability }}"),
        ("Conventions liées", ["{%p for convention in item.conventions %}",
                               "{{ convention.reference }} – {{ convention.partners }} – {{ convention.state }}"
                               "{% if convention.transmitted %} ({{ convention.transmitted }}){% endif %}",
                               "{%p else %}", "Aucune convention liée.", "{%p endfor %}"]),
        ("Source", "{{ item.source }}"),
    ])
    document.add_paragraph("{%p endfor %}")
    document.add_paragraph("{%p endfor %}")
    document.add_paragraph("{%p if not themes %}")
    document.add_paragraph("Aucun engagement n'est inscrit au contrat.")
    document.add_paragraph("{%p endif %}")

    document.add_heading("4. Source", level=1)
    document.add_paragraph("Engagements choisis dans le catalogue « {{ catalogue.name }} » : {{ catalogue.source }}.")
    document.add_paragraph("Annexe établie le {{ generated_on }} d'après le registre des hôpitaux de proximité.")

    return docx_bytes(document, "CPOM – volet lien ville-hôpital", BUILT_ON)

def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--force", action="store_true", help="overwrite the existing .docx (loses Word edits)")
    args = parser.parse_args(argv)
    if TEMPLATE.exists() and not args.force:
        print(f"{TEMPLATE} existe déjà : --force pour le remplacer (les modifications faites dans Word seraient "
              f"perdues).", file=sys.stderr)
        return 1
    TEMPLATE.parent.mkdir(parents=True, exist_ok=True)
    TEMPLATE.write_bytes(build_template())
    print(f"{TEMPLATE} écrit.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
