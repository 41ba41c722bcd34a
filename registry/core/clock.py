"""The application's one clock: every "today" and "now" of the code is read here, never from ``date.today()``.

``today()`` is the date in Paris, where the users work (a server on UTC would otherwise change day at 1 or 2 in
the morning). Tests and demos move the clock with ``travel(at)``: from then on the clock runs from ``at`` (a date
means noon in Paris that day), so timestamps still follow each other in order; ``travel(None)`` gives the system
clock back. The clock is one per process, shared by every thread (the browser tests' live server reads it).
"""

import time
from contextlib import contextmanager
from datetime import UTC, date, datetime, timedelta
from datetime import time as day_time

from registry.core.french import PARIS

#: (start, monotonic reading when set) while travelling; None on the system clock.
_anchor: tuple[datetime, float] | None = None


def now() -> datetime:
    """The current instant, zone-aware in UTC."""
    if _anchor is None:
        return datetime.now(UTC)
    start, set_at = _anchor
    return start + timedelta(seconds=time.monotonic() - set_at)


def today() -> date:
    """Today's date in Paris."""
    return now().astimezone(PARIS).date()


def as_utc(moment: datetime) -> datetime:
    """A stored instant, zone-aware: the database keeps UTC, and SQLite gives it back naive."""
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment


def has_passed(moment: datetime | None) -> bool:
    """Whether a stored instant (an expiry, the end of a lock) is now or earlier; never for None."""
    return moment is not None and as_utc(moment) <= now()


def _instant(at: date | datetime) -> datetime:
    if isinstance(at, datetime):
        return (at if at.tzinfo else at.replace(tzinfo=UTC)).astimezone(UTC)
    return datetime.combine(at, day_time(12), tzinfo=PARIS).astimezone(UTC)


def set_clock(at: date | datetime | None) -> None:
    """Run the clock from ``at`` (a date: noon in Paris; a naive datetime: UTC), or the system's when None."""
    global _anchor
    _anchor = None if at is None else (_instant(at), time.monotonic())


@contextmanager
def travel(at: date | datetime | None):
    """The clock runs from ``at`` inside the block, and comes back to where it was after it."""
    global _anchor
    saved = _anchor
    set_clock(at)
    try:
        yield
    finally:
        _anchor = saved
