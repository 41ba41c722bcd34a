"""Whether a hospital's partner is covered by a convention, as the hospital page says it (docs/lifecycle.md,
« Coverage of a partner »).

A partner is covered by the main conventions it is a party to (avenants follow their convention). Each one's
state on the day is the lifecycle's derived state (``Convention.state_on`` / ``end_on``), or « en préparation »
before signature; the partner's coverage is the best of them. Nothing here queries: the caller passes the
hospital's conventions with their parties loaded.
"""

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Iterable

from registry.conventions import lifecycle
from registry.conventions.models import Convention
from registry.conventions.statuses import Status
from registry.core import clock
from registry.core.french import french_date

#: Coverage states beyond the lifecycle's derived ones: a convention not signed yet, and no convention at all.
EN_PREPARATION, AUCUNE = "en_preparation", "aucune"
#: Best first: which convention stands for the partner when it is a party to several.
RANK = (lifecycle.EN_VIGUEUR, lifecycle.A_RENOUVELER, lifecycle.PAS_ENCORE_EN_VIGUEUR, EN_PREPARATION,
        lifecycle.EXPIREE, lifecycle.RESILIEE, AUCUNE)
LABELS = {lifecycle.EN_VIGUEUR: "Convention en vigueur", lifecycle.A_RENOUVELER: "À renouveler",
          lifecycle.PAS_ENCORE_EN_VIGUEUR: "Convention signée", EN_PREPARATION: "Convention en préparation",
          lifecycle.EXPIREE: "Expirée", lifecycle.RESILIEE: "Résiliée", AUCUNE: "Aucune convention"}
#: States that leave the partner without a convention to rely on: the page offers to draft one.
UNCOVERED = (lifecycle.EXPIREE, lifecycle.RESILIEE, AUCUNE)
#: Unsigned statuses, most advanced first.


@dataclass(frozen=True)
class Coverage:
    state: str
    #: The convention that gives the state; None when the partner is party to none.
    convention: Convention | None = None
    #: Its last day in force as seen on the day (the current period's end under tacit renewal).
    end: date | None = None
    #: The words after the label: « jusqu'au 31 mai 2027 », « le 31 mai 2026 »...
    detail: str = ""

    @property
    def label(self) -> str:
        return LABELS[self.state]

    @property
    def text(self) -> str:
        """The label and its detail as one phrase: « Convention en vigueur jusqu'au 31 mai 2027 »."""
        return f"{self.label} {self.detail}".strip()

    @property
    def uncovered(self) -> bool:
        return self.state in UNCOVERED


NONE = Coverage(AUCUNE)


def coverage_of(convention: Convention, at: date) -> Coverage:
    """What one main convention gives its partners on ``at``."""
    if not convention.status.signed:
        status = convention.status.label
        return Coverage(EN_PREPARATION, convention, None, f"({status[0].lower()}{status[1:]})")
    state = convention.state_on(at)
    end = convention.end_on(at)
    if state == lifecycle.RESILIEE:
        return Coverage(state, convention, end, f"depuis le {french_date(convention.terminated_on)}")
    if state == lifecycle.EXPIREE:
        return Coverage(state, convention, end, f"le {french_date(end)}")
    if state == lifecycle.PAS_ENCORE_EN_VIGUEUR:
        return Coverage(state, convention, end, f"en vigueur à partir du {french_date(convention.effective_date)}")
    if end is None:
        return Coverage(state, convention, None, "sans date de fin")
    renews = convention.renews_tacitly
    if state == lifecycle.A_RENOUVELER:
        if renews:
            renewal = f"reconduite le {french_date(end + timedelta(days=1))}"
            deadline = lifecycle.notice_deadline(end, convention.notice_months)
            if deadline < at:
                return Coverage(state, convention, end, f"{renewal} (délai de dénonciation passé depuis le "
                                                        f"{french_date(deadline)})")
            return Coverage(state, convention, end, f"{renewal} sauf dénonciation au plus tard le "
                                                    f"{french_date(deadline)}")
        return Coverage(state, convention, end, f"fin le {french_date(end)}")
    if convention.status == Status.RESILIEE:
        return Coverage(state, convention, end, f"jusqu'au {french_date(end)} (résiliée)")
    return Coverage(state, convention, end, f"jusqu'au {french_date(end)}"
                    + (" (reconduction tacite)" if renews else ""))


def _preference(coverage: Coverage) -> tuple:
    """Sort key, best first: the state's rank, then the latest end (none: open-ended, best), the most advanced
    draft, the most recent termination, the newest convention."""
    convention = coverage.convention
    if coverage.state == EN_PREPARATION:
        second = -list(Status).index(convention.status)  # declared in lifecycle order
    elif coverage.state == lifecycle.PAS_ENCORE_EN_VIGUEUR:
        second = convention.effective_date.toordinal()
    elif coverage.state == lifecycle.RESILIEE:
        second = -convention.terminated_on.toordinal()
    else:
        second = -(coverage.end or date.max).toordinal()
    return RANK.index(coverage.state), second, -convention.id


def partner_coverage(conventions: Iterable[Convention], at: date | None = None) -> dict[int, Coverage]:
    """The coverage of each organisation that is a partner party to one of ``conventions`` (avenants are left
    out), by organisation id; an organisation absent from the result has NONE."""
    at = at or clock.today()
    best: dict[int, Coverage] = {}
    for convention in conventions:
        if convention.parent_id is not None:
            continue
        coverage = coverage_of(convention, at)
        for party in convention.partners:
            current = best.get(party.organisation_id)
            if current is None or _preference(coverage) < _preference(current):
                best[party.organisation_id] = coverage
    return best
