"""Avenants to a CPOM: the only way a target or an engagement's applicability changes (L6114-1). Each change keeps
the target before and after, so every year is assessed against the target that applied to it: a change applies
from the year of the avenant's effective date on.
"""

from dataclasses import dataclass
from datetime import date

from registry.audit.services import record_audit
from registry.core import clock
from registry.core.french import french_date
from registry.cpom.catalogue import spec_of
from registry.cpom.errors import refuse
from registry.cpom.models import Cpom, CpomAvenant, CpomEngagement, CpomTargetChange
from registry.cpom.services import first_site, target_problems
from registry.cpom.wording import target_text
from registry.extensions import db


@dataclass(frozen=True)
class Target:
    comparator: str
    value: float | None
    applicable: bool

    def as_dict(self) -> dict:
        return {"comparator": self.comparator, "value": self.value}


def record_avenant(cpom: Cpom, *, signed_on: date | None, effective_on: date | None, object: str | None,
                   actor=None) -> CpomAvenant:
    """Avenant n° N+1 to the CPOM, signed on ``signed_on``, its changes applying from ``effective_on``."""
    problems = []
    if signed_on is None:
        problems.append("indiquez la date de signature de l'avenant")
    elif signed_on > clock.today():
        problems.append("la date de signature ne peut pas être dans le futur")
    elif signed_on < cpom.signed_on:
        problems.append("l'avenant ne peut pas être signé avant le CPOM")
    if effective_on is None:
        problems.append("indiquez la date d'effet de l'avenant")
    elif not cpom.effective_on <= effective_on <= cpom.ends_on:
        problems.append(f"la date d'effet doit tomber pendant le CPOM ({french_date(cpom.effective_on)} – "
                        f"{french_date(cpom.ends_on)})")
    if not (object or "").strip():
        problems.append("indiquez l'objet de l'avenant")
    refuse("Avenant refusé", problems)
    number = max((avenant.number for avenant in cpom.avenants), default=0) + 1
    avenant = CpomAvenant(cpom=cpom, number=number, signed_on=signed_on, effective_on=effective_on,
                          object=object.strip(), created_by_id=getattr(actor, "id", None))
    db.session.add(avenant)
    db.session.flush()
    record_audit("cpom.avenant", cpom, f"CPOM {cpom.id} : avenant n° {number} du {french_date(signed_on)} "
                 f"enregistré", hospital=first_site(cpom), actor=actor)
    return avenant


def change_target(engagement: CpomEngagement, avenant: CpomAvenant | None, *, comparator: str,
                  target_value: float | None, applicable: bool, reason: str | None = None,
                  actor=None) -> CpomTargetChange:
    """The engagement's new target (and applicability) by ``avenant``; the one before is kept for earlier years."""
    spec = spec_of(engagement)
    problems = ["une cible ne change que par un avenant : indiquez-le"] if avenant is None else []
    if avenant is not None and avenant.cpom_id != engagement.cpom_id:
        problems.append("l'avenant est celui d'un autre CPOM")
    problems += target_problems(spec, comparator, target_value)
    if not applicable and not (reason or "").strip():
        problems.append("dites pourquoi l'engagement ne s'applique plus")
    new_value = None if target_value is None or isinstance(target_value, bool) else target_value
    if (comparator, new_value, applicable) == (engagement.comparator, engagement.target_value, engagement.applicable):
        problems.append("la cible est inchangée")
    refuse("Changement de cible refusé", problems)
    change = CpomTargetChange(
        engagement=engagement, avenant=avenant, comparator_before=engagement.comparator,
        value_before=engagement.target_value, applicable_before=engagement.applicable, comparator_after=comparator,
        value_after=None if new_value is None else float(new_value), applicable_after=applicable,
        reason=(reason or "").strip() or None)
    engagement.comparator, engagement.target_value = comparator, change.value_after
    engagement.applicable = applicable
    if not applicable:
        engagement.reason = change.reason
    db.session.add(change)
    db.session.flush()
    record_audit("cpom.target", engagement, f"CPOM {engagement.cpom_id} : cible de « {spec.label} » changée par "
                 f"l'avenant n° {avenant.number} : {_shown(change, 'before', spec)} → "
                 f"{_shown(change, 'after', spec)}",
                 hospital=first_site(engagement.cpom), actor=actor)
    return change


def _shown(change: CpomTargetChange, side: str, spec) -> str:
    """One side of the change as the pages write a target: « ≤ 0,2 », « à négocier », « non applicable »."""
    return target_text(Target(getattr(change, f"comparator_{side}"), getattr(change, f"value_{side}"),
                              getattr(change, f"applicable_{side}")), spec)


def target_for(engagement: CpomEngagement, year: int) -> Target:
    """The target that applies to ``year``: today's, undone by every avenant effective after that year."""
    target = Target(engagement.comparator, engagement.target_value, engagement.applicable)
    for change in sorted(engagement.target_changes, key=lambda item: (item.avenant.effective_on, item.id),
                         reverse=True):
        if change.avenant.effective_on.year > year:
            target = Target(change.comparator_before, change.value_before, change.applicable_before)
    return target


def history(engagement: CpomEngagement) -> list[dict]:
    """The engagement's target changes, oldest first, as the API and the pages show them."""
    return [{"avenant": change.avenant.number, "effective_on": change.avenant.effective_on.isoformat(),
             "before": {"comparator": change.comparator_before, "value": change.value_before,
                        "applicable": change.applicable_before},
             "after": {"comparator": change.comparator_after, "value": change.value_after,
                       "applicable": change.applicable_after}, "reason": change.reason}
            for change in engagement.target_changes]
