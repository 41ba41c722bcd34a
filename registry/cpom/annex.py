"""The CPOM annex « Volet lien ville-hôpital » (.docx): the establishment and the sites the CPOM covers, its dates
and avenants, then each engagement by theme (objective, indicator, unit, target and its history, applicability,
linked conventions with their own state) and the catalogue's source.

The Word template ``convention_templates/cpom/volet_lien_ville_hopital.docx`` is filled like a convention draft:
prepared once, rendered in the sandbox (``registry.documents``), deterministic. ``annex_template.py`` produced its
first version; the .docx is the source of truth. Every value reaches the template as text already worded here.
"""

from pathlib import Path

from registry.conventions import lifecycle
from registry.conventions.models import Convention
from registry.conventions.statuses import Status
from registry.core import clock
from registry.core.french import french_date, french_duration
from registry.core.geography import region_label
from registry.cpom.avenants import Target, target_for
from registry.cpom.catalogue import catalogue_of, spec_of
from registry.cpom.wording import target_text
from registry.cpom.models import Cpom, CpomEngagement

TEMPLATE = Path(__file__).resolve().parents[2] / "convention_templates" / "cpom" / "volet_lien_ville_hopital.docx"
#: The template's name in the process-wide cache of prepared templates.
TEMPLATE_NAME = "cpom_volet_lien_ville_hopital"


def convention_state(convention: Convention) -> str:
    """The convention's state as its own pages word it: the derived state once signed (« En vigueur »,
    « Expirée »…), its status before (« En négociation »…)."""
    state = convention.state_on(clock.today())
    if state is not None:
        return lifecycle.STATE_LABELS.get(state, state)
    return Status.label_of(convention.status)


def convention_entry(convention: Convention) -> dict:
    transmitted = convention.transmitted_to_ars_on
    return {"reference": convention.reference or f"n° {convention.id}",
            "title": convention.title or "",
            "partners": ", ".join(party.organisation.display_name for party in convention.partners) or "—",
            "state": convention_state(convention),
            "transmitted": f"transmise à l'ARS le {french_date(transmitted)}" if transmitted else ""}


def history_lines(engagement: CpomEngagement) -> list[str]:
    """Each avenant's change of the engagement's target, oldest first, in words."""
    spec = spec_of(engagement)
    lines = []
    for change in engagement.target_changes:
        before = Target(change.comparator_before, change.value_before, change.applicable_before)
        after = Target(change.comparator_after, change.value_after, change.applicable_after)
        line = (f"Avenant n° {change.avenant.number} du {french_date(change.avenant.signed_on)}, à compter de "
                f"{change.avenant.effective_on.year} : {target_text(before, spec)} → {target_text(after, spec)}")
        lines.append(line + (f" ({change.reason})" if change.reason else ""))
    return lines


def engagement_entry(engagement: CpomEngagement, year: int) -> dict:
    spec = spec_of(engagement)
    target = target_for(engagement, year)
    return {"code": spec.code, "objective": spec.objective, "indicator": spec.label, "unit": spec.unit,
            "calculation": spec.calculation, "structures": spec.structures, "frequency": spec.frequency,
            "sheet_target": spec.target, "target": target_text(target, spec), "actions": ", ".join(spec.items),
            "history": history_lines(engagement),
            "applicability": "Applicable" if target.applicable else
            "Non applicable" + (f" : {engagement.reason}" if engagement.reason else ""),
            "conventions": [convention_entry(convention) for convention in engagement.conventions],
            "source": spec.source}


def context(cpom: Cpom) -> dict:
    """What the annex template sees: texts only, worded in French."""
    catalogue = catalogue_of(cpom)
    year = min(max(clock.today().year, cpom.effective_on.year), cpom.ends_on.year)
    order = {indicator.code: index for index, indicator in enumerate(catalogue.indicators)}
    themes: dict[str, list[dict]] = {}
    for engagement in sorted(cpom.engagements, key=lambda item: (order.get(item.indicator, len(order)), item.id)):
        themes.setdefault(spec_of(engagement).theme, []).append(engagement_entry(engagement, year))
    return {
        "establishment": {"name": cpom.name, "finess_ej": cpom.finess_ej or "—",
                          "region": region_label(cpom.region) or "—"},
        "sites": [{"name": site.name, "finess_et": site.finess_et or "—", "city": site.organisation.city or ""}
                  for site in cpom.sites],
        "cpom": {"id": cpom.id, "signed_on": french_date(cpom.signed_on),
                 "effective_on": french_date(cpom.effective_on), "ends_on": french_date(cpom.ends_on),
                 "duration": french_duration(12 * cpom.duration_years), "midterm_due": french_date(cpom.midterm_due),
                 "renewal_due": french_date(cpom.renewal_due)},
        "avenants": [{"number": avenant.number, "signed_on": french_date(avenant.signed_on),
                      "effective_on": french_date(avenant.effective_on), "object": avenant.object}
                     for avenant in cpom.avenants],
        "themes": [{"name": name, "engagements": engagements} for name, engagements in themes.items()],
        "target_year": str(year),
        "catalogue": {"name": catalogue.name, "source": catalogue.source},
        "generated_on": french_date(clock.today()),
    }


def render_annex(cpom: Cpom, template: Path | bytes | None = None) -> bytes:
    """The annex .docx of ``cpom`` (``template``: another version of the Word template, by default the one in
    convention_templates/cpom/)."""
    from registry.documents.render import render_convention  # the Word libraries load on first use

    return render_convention(TEMPLATE if template is None else template, context(cpom),
                             name=TEMPLATE_NAME if template is None else None)


def annex_filename(cpom: Cpom) -> str:
    return f"cpom-{cpom.id}-volet-lien-ville-hopital.docx"
