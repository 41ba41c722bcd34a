"""What is due on a day, and to whom (docs/reminders.md).

A deadline gets a reminder at each configured delay before it (REMINDER_DELAYS_DAYS, e.g. 180, 90 and 30 days):
on day ``at`` the reminder due is the one of the smallest delay still at least the days left, so a run missed
for a while sends one reminder, not several, and a deadline that has passed gets none (except a statutory
convention late, reminded once). What was already sent is left out (models.SentReminder).

- Hospital users (their hospitals, as core.scope reads them): each signed convention on the follow-up list's
  terms (followup.candidates_query) has a notice deadline (« préavis ») and an end (« fin »); under tacit renewal
  only the notice deadline matters (the convention renews unless denounced): the current period's, or the next
  one's once it has passed. A termination to come has only its end.
- ARS users (their region): the statutory conventions of the texts in force (L6111-3-2, L6111-3-3) that no
  convention in force meets: « à risque » while the one-year delay runs, « manquant » once it has passed.

The calendar feed (calendar.py) shows the same deadlines, all of them (``deadlines_of``), whatever the delays.
"""

from dataclasses import dataclass, replace
from datetime import date, timedelta

from flask import current_app
from sqlalchemy import select

from registry.accounts.models import ROLE_ARS, ROLE_HOSPITAL, User
from registry.compliance.adapter import evaluate_hospitals, filter_hospitals
from registry.compliance.checker import IN_FORCE
from registry.compliance.requirements import A_RISQUE, BY_STATUTORY, MANQUANT
from registry.compliance.rules import CURRENT
from registry.compliance.verdicts import NOT_TRANSMITTED
from registry.conventions import lifecycle
from registry.conventions.followup import candidates_query
from registry.conventions.statuses import Status
from registry.core.errors import DomainError
from registry.core.scope import visible_conventions, visible_hospitals
from registry.extensions import db
from registry.reminders.models import SentReminder

NOTICE, END, STATUTORY = KINDS = ("preavis", "fin", "statutaire")
#: SentReminder.delay_days of a statutory convention reminded after its deadline.
LATE = -1


@dataclass(frozen=True)
class Reminder:
    kind: str
    #: Stable from one run to the next (SentReminder.subject).
    subject: str
    deadline: date
    #: The configured delay this reminder stands for, or LATE; None for a deadline not (yet) reminded.
    delay_days: int | None
    #: Days from the run's day to the deadline; negative when late.
    days_left: int
    hospital_id: int
    hospital: str
    hospital_finess: str
    convention_id: int | None = None
    reference: str | None = None
    title: str = ""
    partners: tuple[str, ...] = ()
    #: For a notice deadline: the end it stops the convention at (the period's end under tacit renewal).
    end: date | None = None
    tacit_renewal: bool = False
    #: For a statutory convention: the requirement's code.
    requirement: str | None = None


@dataclass(frozen=True)
class Digest:
    """One mail: a recipient and the reminders due to them, soonest deadline first."""

    user_id: int
    email: str
    name: str
    role: str
    reminders: tuple[Reminder, ...]


def delays(value=None) -> tuple[int, ...]:
    """REMINDER_DELAYS_DAYS (« 180,90,30 », or a list) as distinct days, largest first."""
    value = current_app.config["REMINDER_DELAYS_DAYS"] if value is None else value
    items = value.split(",") if isinstance(value, str) else list(value)
    try:
        days = sorted({int(str(item).strip()) for item in items if str(item).strip()}, reverse=True)
    except ValueError:
        days = []
    if not days or days[-1] < 0:
        raise DomainError(f"REMINDER_DELAYS_DAYS : indiquez des nombres de jours positifs séparés par des virgules "
                          f"(par exemple 180,90,30 ; reçu « {value} »).")
    return tuple(days)


def delay_for(days_left: int, configured: tuple[int, ...]) -> int | None:
    """The delay whose reminder is due with ``days_left`` days to go: the smallest one not below it."""
    if days_left < 0:
        return None
    fitting = [delay for delay in configured if delay >= days_left]
    return min(fitting) if fitting else None


def convention_deadlines(convention, at: date) -> list[tuple[str, date, date]]:
    """(kind, deadline, end) of a signed main convention as seen on ``at``."""
    end = convention.end_on(at)
    if end is None:
        return []
    if convention.status == Status.RESILIEE:  # under tacit renewal, the period's end is no end: the termination is
        last = convention.terminated_on - timedelta(days=1)
        last = last if convention.tacit_renewal else min(end, last)
        return [(END, last, last)]
    notice = lifecycle.notice_deadline(end, convention.notice_months or 0)
    if convention.tacit_renewal:
        if notice < at:  # this period's notice is past: the convention renews, the next notice is what comes
            end = convention.end_on(end + timedelta(days=1))
            notice = lifecycle.notice_deadline(end, convention.notice_months or 0)
        return [(NOTICE, notice, end)]
    return ([(NOTICE, notice, end)] if notice < end else []) + [(END, end, end)]


def convention_deadlines_of(user: User, at: date) -> list[Reminder]:
    """Every deadline, as seen on ``at``, of the conventions the user sees (the follow-up list's), past ones included;
    ``delay_days`` is left None (the calendar feed shows them all, the reminders keep those within a delay)."""
    found = []
    for convention in db.session.scalars(candidates_query(at, visible_conventions(user))).unique():
        for kind, deadline, end in convention_deadlines(convention, at):
            hospital = convention.hospital
            found.append(Reminder(
                kind, f"convention:{convention.id}:{kind}", deadline, None, (deadline - at).days, hospital.id,
                hospital.name, hospital.finess_et, convention.id, convention.reference, convention.title,
                tuple(party.organisation.display_name for party in convention.partners), end,
                bool(convention.tacit_renewal)))
    return found


def convention_reminders(user: User, at: date, configured: tuple[int, ...]) -> list[Reminder]:
    """The deadlines of the conventions the user sees that fall within a delay of ``at``."""
    return [replace(item, delay_days=delay) for item in convention_deadlines_of(user, at)
            if (delay := delay_for(item.days_left, configured)) is not None]


#: The requirements of the texts in force that the law asks to conclude within a delay (L6111-3-2, L6111-3-3).
STATUTORY_REQUIREMENTS = tuple(item for item in CURRENT.requirements if item.evaluation == BY_STATUTORY)


def statutory_deadlines_of(user: User, at: date) -> list[Reminder]:
    """The statutory conventions missing (delay running: ``delay_days`` None) or late (LATE) in the hospitals of the
    ARS user's region, as seen on ``at``."""
    found = []
    for result in evaluate_hospitals(filter_hospitals(visible_hospitals(user)), at, CURRENT):
        for requirement in STATUTORY_REQUIREMENTS:
            verdict = result.verdict(requirement.code)
            if verdict.deadline is None:
                continue
            if verdict.verdict == MANQUANT:
                delay = LATE
            elif (verdict.verdict == A_RISQUE and NOT_TRANSMITTED not in verdict.flags
                  and not any(item.state in IN_FORCE for item in verdict.evidence)):
                delay = None
            else:
                continue
            found.append(Reminder(
                STATUTORY, f"statutaire:{result.hospital_id}:{requirement.code}", verdict.deadline, delay,
                (verdict.deadline - at).days, result.hospital_id, result.name, result.finess_et,
                title=requirement.title, requirement=requirement.code))
    return found


def statutory_reminders(user: User, at: date, configured: tuple[int, ...]) -> list[Reminder]:
    """The statutory conventions missing (reminded within a delay) or late (reminded once) in the user's region."""
    return [item if item.delay_days == LATE else replace(item, delay_days=delay)
            for item in statutory_deadlines_of(user, at)
            if item.delay_days == LATE or (delay := delay_for(item.days_left, configured)) is not None]


def deadlines_of(user: User, at: date) -> list[Reminder]:
    """Every deadline of the user's, by role (the calendar feed): ARS its region's statutory conventions, a hospital
    user their conventions' notices and ends, an administrator none."""
    if user.role == ROLE_ARS:
        return statutory_deadlines_of(user, at)
    return convention_deadlines_of(user, at) if user.role == ROLE_HOSPITAL else []


def recipients() -> list[User]:
    """Active hospital users (with at least one establishment) and ARS users (with a region), by address."""
    users = db.session.scalars(select(User).where(User.active.is_(True), User.role.in_((ROLE_HOSPITAL, ROLE_ARS)))
                               .order_by(User.email))
    return [user for user in users if (user.region if user.role == ROLE_ARS else user.organisations)]


def _not_sent(user: User, reminders: list[Reminder]) -> list[Reminder]:
    """Leaves out what the user was already sent: the same subject and deadline at this delay or a smaller one."""
    if not reminders:
        return []
    sent = db.session.execute(select(SentReminder.subject, SentReminder.deadline, SentReminder.delay_days)
                              .where(SentReminder.user_id == user.id,
                                     SentReminder.subject.in_({item.subject for item in reminders}))).all()
    return [item for item in reminders
            if not any(subject == item.subject and deadline == item.deadline and delay <= item.delay_days
                       for subject, deadline, delay in sent)]


def digests(at: date, configured: tuple[int, ...] | None = None) -> list[Digest]:
    """Every mail due on ``at``: one per recipient with something not yet sent, by address."""
    configured = configured or delays()
    result = []
    for user in recipients():
        found = (statutory_reminders if user.role == ROLE_ARS else convention_reminders)(user, at, configured)
        due = sorted(_not_sent(user, found), key=lambda item: (item.deadline, item.hospital, item.reference or "",
                                                               item.kind))
        if due:
            result.append(Digest(user.id, user.email, user.label, user.role, tuple(due)))
    return result
