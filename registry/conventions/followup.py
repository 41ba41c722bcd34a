"""The expiry follow-up: conventions ending within N days, to renew, or expired (issue 5, item 5).

The end date is derived (months with end-of-month clamping, tacit renewal periods, a pending termination), which
SQLite and PostgreSQL would compute differently: one query selects the candidates in SQL (signed main
conventions, or terminated with effect still to come, not replaced by a signed convention, in the caller's
scope) with their hospital and successor joined and their parties loaded in one more round trip; the end and
state are then computed in Python by the same functions as Convention.end_on() / state_on().
"""

from dataclasses import dataclass
from datetime import date

from sqlalchemy import Select, and_, or_, select
from sqlalchemy.orm import aliased, contains_eager, joinedload, selectinload

from registry.conventions import lifecycle
from registry.conventions.models import Convention, ConventionParty
from registry.conventions.statuses import Status
from registry.core import clock
from registry.core.errors import DomainError
from registry.extensions import db
from registry.hospitals.models import HospitalProfile

#: What puts a convention on the follow-up list, by priority.
EXPIRED, TO_RENEW, ENDING = CATEGORIES = ("expiree", "a_renouveler", "echeance")


@dataclass(frozen=True)
class FollowUp:
    convention: Convention
    #: Last day in force as seen on ``at`` (the current period's end under tacit renewal).
    end: date
    #: Days from ``at`` to ``end``; negative once expired.
    days_left: int
    #: Derived state on ``at`` (lifecycle.STATES).
    state: str
    #: Whether the end falls within the N days asked for (0 <= days_left <= N).
    ends_within: bool
    #: Last day to give notice so that the convention stops at ``end``.
    notice_deadline: date

    @property
    def category(self) -> str:
        if self.state == lifecycle.EXPIREE:
            return EXPIRED
        return TO_RENEW if self.state == lifecycle.A_RENOUVELER else ENDING


def candidates_query(at: date, scope_select: Select | None = None) -> Select:
    """Conventions whose end may need attention on ``at``; ``scope_select`` is e.g. visible_conventions()."""
    successor = aliased(Convention)
    query = scope_select if scope_select is not None else select(Convention)
    return (query
            .outerjoin(successor, Convention.superseded_by.of_type(successor))
            .where(Convention.parent_id.is_(None),
                   Convention.effective_date.is_not(None), Convention.duration_months.is_not(None),
                   or_(Convention.status.in_(Status.having("active")),
                       and_(Convention.status == Status.RESILIEE, Convention.terminated_on > at)),
                   or_(successor.id.is_(None), successor.status.not_in(Status.having("active"))))
            .options(contains_eager(Convention.superseded_by.of_type(successor)),
                     joinedload(Convention.hospital).joinedload(HospitalProfile.organisation),
                     selectinload(Convention.parties).joinedload(ConventionParty.organisation)))


def expiring(within_days: int = 90, at: date | None = None, scope_select: Select | None = None) -> list[FollowUp]:
    """Conventions ending within ``within_days`` of ``at`` (default today), plus those to renew and the expired
    ones, soonest end first. A convention replaced by a signed one is left out: its renewal is done."""
    if isinstance(within_days, bool) or not isinstance(within_days, int) or within_days < 0:
        raise DomainError("Le nombre de jours doit être un entier positif ou nul.")
    at = at or clock.today()
    rows = []
    for convention in db.session.scalars(candidates_query(at, scope_select)).unique():
        end = convention.end_on(at)
        state = convention.state_on(at)
        days_left = (end - at).days
        ends_within = 0 <= days_left <= within_days
        if ends_within or state in (lifecycle.EXPIREE, lifecycle.A_RENOUVELER):
            rows.append(FollowUp(convention, end, days_left, state, ends_within,
                                 lifecycle.notice_deadline(end, convention.notice_months)))
    return sorted(rows, key=lambda row: (row.end, row.convention.reference))


#: The follow-up page's sections and the hospital page's counters, each convention in exactly one: ending
#: within the days asked for (whatever its state, as the `expiring` command counts it), else to renew (the
#: window is open, the end further away), else expired. ``FollowUp.category`` ranks « à renouveler » first
#: instead, which would leave most conventions ending soon out of « arrivent à échéance ».
SECTIONS = (ENDING, TO_RENEW, EXPIRED)


def section_of(row: FollowUp) -> str:
    if row.ends_within:
        return ENDING
    return EXPIRED if row.state == lifecycle.EXPIREE else TO_RENEW


def followup_sections(within_days: int = 90, at: date | None = None,
                      scope_select: Select | None = None) -> dict[str, list[FollowUp]]:
    """expiring() split into SECTIONS, each soonest end first."""
    sections: dict[str, list[FollowUp]] = {name: [] for name in SECTIONS}
    for row in expiring(within_days, at, scope_select):
        sections[section_of(row)].append(row)
    return sections


def followup_counts(within_days: int = 90, at: date | None = None,
                    scope_select: Select | None = None) -> dict[str, int]:
    """How many conventions per section (echeance, a_renouveler, expiree): the hospital page's counters."""
    return {name: len(rows) for name, rows in followup_sections(within_days, at, scope_select).items()}
