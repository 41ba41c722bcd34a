"""Where a convention stands on a given day, for the compliance check: does it count, is it at risk, or not."""

from dataclasses import dataclass
from datetime import date, timedelta

from registry.compliance.facts import ConventionFacts
from registry.conventions.statuses import Status

#: Counts: signed and in force.
EN_VIGUEUR = "en_vigueur"
#: At risk (best first): in force but stops within the window; signed, not yet in force; not yet signed.
PREND_FIN, PAS_ENCORE_EN_VIGUEUR, NON_SIGNEE = AT_RISK = ("prend_fin", "pas_encore_en_vigueur", "non_signee")
#: Does not count: expired, terminated, or not yet created on that day.
EXPIREE, RESILIEE_LE, INEXISTANTE = "expiree", "resiliee", "inexistante"


@dataclass(frozen=True)
class Standing:
    state: str
    #: The last day in force known on that day: the end of a non-renewing period or the eve of a termination.
    last_day: date | None = None

    @property
    def counts(self) -> bool:
        return self.state == EN_VIGUEUR

    @property
    def at_risk(self) -> bool:
        return self.state in AT_RISK


def last_day(convention: ConventionFacts) -> date | None:
    """The day the convention stops being in force, as far as its dates say; None when nothing ends it."""
    ends = []
    if convention.end_date is not None and not convention.tacit_renewal:
        ends.append(convention.end_date)
    if convention.terminated_on is not None:
        ends.append(convention.terminated_on - timedelta(days=1))
    return min(ends, default=None)


def is_signed(convention: ConventionFacts, at: date) -> bool:
    if convention.signed_on is not None:
        return convention.signed_on <= at and convention.status.signed
    return convention.status.active


def standing(convention: ConventionFacts, at: date, window_days: int) -> Standing:
    end = last_day(convention)
    if ((convention.terminated_on is not None and convention.terminated_on <= at)
            or (convention.status == Status.RESILIEE and convention.terminated_on is None)):
        return Standing(RESILIEE_LE, end)
    if not is_signed(convention, at):
        if convention.created_on is not None and convention.created_on > at:
            return Standing(INEXISTANTE, end)
        return Standing(NON_SIGNEE, end)
    if convention.effective_date is not None and convention.effective_date > at:
        return Standing(PAS_ENCORE_EN_VIGUEUR, end)
    if end is not None and end < at:
        return Standing(EXPIREE, end)
    if end is not None and (end - at).days <= window_days:
        return Standing(PREND_FIN, end)
    return Standing(EN_VIGUEUR, end)
