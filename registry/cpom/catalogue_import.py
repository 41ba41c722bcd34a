"""An ARS loads its own engagement sheet from CSV or XLSX: every row is checked, the whole is previewed, and it is
stored as a new catalogue version of the region only when no row has a problem (all or nothing).

The columns (case, accents and spaces do not matter): code, theme, objectif, indicateur, type, unite, cible are
required; structures_concernees, interet, source, calcul, frequence and actions (the checklist items of a « liste »,
separated by « ; » or « | ») are optional.
"""

import csv
import io
import re
from dataclasses import dataclass, field

from registry.audit.services import record_audit
from registry.conventions.bulk_import.spreadsheet import Layout, read_spreadsheet
from registry.core.geography import region_label
from registry.cpom.catalogue import DECLARATION, KINDS, LISTE, REGISTRY_PROVED, Indicator
from registry.cpom.errors import refuse
from registry.cpom.models import CpomCatalogue
from registry.extensions import db

REQUIRED = ("code", "theme", "objectif", "indicateur", "type", "unite", "cible")
OPTIONAL = ("structures_concernees", "interet", "source", "calcul", "frequence", "actions")
LAYOUT = Layout(frozenset(REQUIRED + OPTIONAL), REQUIRED, rows_name="engagements", max_rows=200)
CODE = re.compile(r"^[a-z][a-z0-9_]{1,59}$")
#: A cell longer than this is refused (a sheet's wording fits easily).
MAX_CELL = 2000


@dataclass
class CataloguePlan:
    """What a sheet would load: one indicator per row, and each row's problems (line, message)."""

    indicators: list[Indicator] = field(default_factory=list)
    problems: list[tuple[int, str]] = field(default_factory=list)
    ignored_columns: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return bool(self.indicators) and not self.problems


def check_sheet(data: bytes) -> CataloguePlan:
    """Reads and checks every row; writes nothing. ``ImportRefused`` when the file cannot be used at all."""
    sheet = read_spreadsheet(data, LAYOUT)
    plan = CataloguePlan(ignored_columns=sheet.ignored_columns)
    seen: dict[str, int] = {}
    for line, cells in sheet.rows:
        indicator, problems = _row(cells)
        if indicator is not None and indicator.code in seen:
            problems.append(f"le code « {indicator.code} » figure déjà ligne {seen[indicator.code]}")
        if indicator is not None:
            seen.setdefault(indicator.code, line)
        plan.problems += [(line, problem) for problem in problems]
        if not problems:
            plan.indicators.append(indicator)
    return plan


def _text(cells: dict, name: str) -> str:
    value = cells.get(name)
    return "" if value is None else str(value).strip()


def _row(cells: dict) -> tuple[Indicator | None, list[str]]:
    problems = [f"la colonne « {name} » est vide" for name in REQUIRED if not _text(cells, name)]
    problems += [f"la colonne « {name} » dépasse {MAX_CELL} caractères" for name in (*REQUIRED, *OPTIONAL)
                 if len(_text(cells, name)) > MAX_CELL]
    code, kind = _text(cells, "code").lower(), _text(cells, "type").lower().replace("/", "_").replace(" ", "_")
    if code and not CODE.match(code):
        problems.append(f"code « {code} » invalide (lettres minuscules sans accent, chiffres et _)")
    if code == REGISTRY_PROVED.code:
        problems.append(f"le code « {code} » est réservé à l'engagement établi d'après le registre")
    if kind and kind not in KINDS:
        problems.append(f"type « {kind} » inconnu (" + ", ".join(KINDS) + ")")
    items = tuple(item.strip() for item in re.split(r"[;|]", _text(cells, "actions")) if item.strip())
    if kind == LISTE and not items:
        problems.append("un indicateur « liste » indique ses actions dans la colonne « actions »")
    if problems:
        return (Indicator(code, "", "", "", kind, "", "") if code else None), problems
    return Indicator(
        code=code, theme=_text(cells, "theme"), objective=_text(cells, "objectif"),
        label=_text(cells, "indicateur"), kind=kind, unit=_text(cells, "unite"), target=_text(cells, "cible"),
        structures=_text(cells, "structures_concernees") or "L'ensemble des structures",
        interest=_text(cells, "interet"), source=_text(cells, "source") or DECLARATION,
        items=items if kind == LISTE else (), calculation=_text(cells, "calcul"),
        frequency=_text(cells, "frequence") or "Annuelle"), []


def load_catalogue(region: str, name: str, source: str, plan: CataloguePlan, *, actor=None) -> CpomCatalogue:
    """Stores a checked plan as the region's newest catalogue; refuses a plan with any problem."""
    problems = [f"ligne {line} : {problem}" for line, problem in plan.problems]
    if not plan.indicators and not problems:
        problems.append("le tableur ne contient aucun engagement")
    if not (name or "").strip():
        problems.append("indiquez le nom et la version du catalogue")
    if not (source or "").strip():
        problems.append("indiquez la source du catalogue (la fiche et son auteur)")
    refuse("Catalogue refusé", problems)
    catalogue = CpomCatalogue(region=region, name=name.strip()[:200], source=source.strip(),
                              entries=[indicator.as_dict() for indicator in plan.indicators],
                              loaded_by_id=getattr(actor, "id", None))
    db.session.add(catalogue)
    db.session.flush()
    record_audit("cpom.catalogue", catalogue, f"Catalogue CPOM « {catalogue.name} » chargé pour la région "
                 f"{region_label(region)} ({len(plan.indicators)} engagement{'s' if len(plan.indicators) > 1 else ''})",
                 actor=actor)
    return catalogue


def model_csv() -> bytes:
    """A model sheet to start from: the header and the built-in catalogue's first rows."""
    from registry.cpom.catalogue import CATALOGUE

    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow(REQUIRED + OPTIONAL)
    for indicator in CATALOGUE:
        if indicator.code != REGISTRY_PROVED.code:
            writer.writerow([indicator.code, indicator.theme, indicator.objective, indicator.label, indicator.kind,
                             indicator.unit, indicator.target, indicator.structures, indicator.interest,
                             indicator.source, indicator.calculation, indicator.frequency, " ; ".join(indicator.items)])
    return "\ufeff".encode() + out.getvalue().encode()
