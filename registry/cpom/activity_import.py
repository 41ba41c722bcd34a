"""Activity-data values (PMSI, ScanSanté: the IP-DMS, the share of admissions through the emergency department)
imported from a CSV or XLSX by FINESS and year, instead of typed: every row checked, previewed, then all or nothing.

Columns: finess (the hospital's FINESS ET), annee, indicateur (a code of its CPOM's catalogue), and either valeur or
numerateur and denominateur; commentaire is optional. Each row becomes the hospital's declaration for that year,
marked as coming from activity data; a validated value is never overwritten.
"""

from dataclasses import dataclass, field

from registry.conventions.bulk_import.spreadsheet import Layout, read_spreadsheet
from registry.core.scope import visible_cpoms
from registry.cpom import campaign, workflow
from registry.cpom.catalogue import NOMBRE, POURCENTAGE, RATIO, spec_of
from registry.cpom.errors import refuse
from registry.cpom.models import Cpom, CpomEngagement
from registry.extensions import db

REQUIRED = ("finess", "annee", "indicateur")
OPTIONAL = ("valeur", "numerateur", "denominateur", "commentaire")
LAYOUT = Layout(frozenset(REQUIRED + OPTIONAL), REQUIRED, rows_name="valeurs", max_rows=5000)
#: Activity data gives numbers only.
IMPORTABLE_KINDS = (RATIO, POURCENTAGE, NOMBRE)


@dataclass
class ActivityRow:
    line: int
    finess: str
    engagement: CpomEngagement
    year: int
    value: float | None
    numerator: float | None
    denominator: float | None
    comment: str | None


@dataclass
class ActivityPlan:
    rows: list[ActivityRow] = field(default_factory=list)
    problems: list[tuple[int, str]] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return bool(self.rows) and not self.problems


def _number(cells: dict, name: str, problems: list[str]) -> float | None:
    raw = cells.get(name)
    if raw in (None, ""):
        return None
    if isinstance(raw, (int, float)) and not isinstance(raw, bool):
        return float(raw)
    try:
        return float(str(raw).replace("\u202f", "").replace(" ", "").replace(",", "."))
    except ValueError:
        problems.append(f"« {raw} » n'est pas un nombre (colonne {name})")
        return None


def check_activity(data: bytes, user=None) -> ActivityPlan:
    """Each row matched to an engagement of a CPOM the user may write and checked like a declaration; writes
    nothing."""
    sheet = read_spreadsheet(data, LAYOUT)
    plan, seen = ActivityPlan(), {}
    cpoms: dict[str, list[Cpom]] = {}
    for cpom in db.session.scalars(visible_cpoms(user)):
        for site in cpom.sites:
            cpoms.setdefault(site.finess_et, []).append(cpom)
    for line, cells in sheet.rows:
        problems: list[str] = []
        finess, code = str(cells.get("finess") or "").strip(), str(cells.get("indicateur") or "").strip().lower()
        year = _number(cells, "annee", problems)
        value, numerator, denominator = (_number(cells, name, problems)
                                         for name in ("valeur", "numerateur", "denominateur"))
        engagement = _engagement(cpoms, finess, code, year, problems)
        if engagement is not None and year is not None:
            key = (engagement.id, int(year))
            if key in seen:
                problems.append(f"même hôpital, indicateur et année que la ligne {seen[key]}")
            seen.setdefault(key, line)
            problems += campaign.declaration_problems(engagement, int(year), value, numerator, denominator)
        if problems:
            plan.problems += [(line, problem) for problem in problems]
        else:
            comment = str(cells.get("commentaire") or "").strip() or None
            plan.rows.append(ActivityRow(line, finess, engagement, int(year), value, numerator, denominator, comment))
    return plan


def _engagement(cpoms: dict[str, list[Cpom]], finess: str, code: str, year, problems: list[str]) -> CpomEngagement | None:
    if year is None or year != int(year):
        problems.append("année manquante ou invalide")
        return None
    covering = [cpom for cpom in cpoms.get(finess, ()) if cpom.effective_on.year <= year <= cpom.ends_on.year]
    if not covering:
        problems.append(f"aucun CPOM de votre périmètre ne couvre l'hôpital {finess} en {int(year)}")
        return None
    engagement = next((item for cpom in covering for item in cpom.engagements if item.indicator == code), None)
    if engagement is None:
        problems.append(f"le CPOM de l'hôpital {finess} n'a pas d'engagement « {code} »")
    elif spec_of(engagement).kind not in IMPORTABLE_KINDS:
        problems.append(f"l'indicateur « {code} » n'est pas une donnée chiffrée d'activité")
        return None
    return engagement


def import_activity(plan: ActivityPlan, *, actor=None) -> int:
    """Declares every row of a plan without problems; flushes, the caller commits once (all or nothing)."""
    refuse("Import refusé", [f"ligne {line} : {problem}" for line, problem in plan.problems]
           or ([] if plan.rows else ["le tableur ne contient aucune valeur"]))
    for row in plan.rows:
        campaign.declare(row.engagement, row.year, value=row.value, numerator=row.numerator,
                         denominator=row.denominator, comment=row.comment, source=workflow.ACTIVITY_DATA, actor=actor)
    db.session.flush()
    return len(plan.rows)
