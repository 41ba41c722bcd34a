"""The one clock: what it answers when set, that it gives the system's back, and that nothing else is read."""

import re
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from registry.core import clock
from tests.clock import TODAY

ROOT = Path(__file__).resolve().parents[2]
#: Reading the system's day or time anywhere but in the clock.
SYSTEM_CLOCK = re.compile(r"\b(?:date\.today|datetime\.(?:now|utcnow|today)|time\.localtime)\(")


def test_every_test_starts_on_the_suites_day():
    assert clock.today() == TODAY


def test_a_date_means_noon_in_paris_and_time_runs_on():
    with clock.travel(date(2027, 7, 14)):
        first = clock.now()
        assert timedelta(0) <= first - datetime(2027, 7, 14, 10, 0, tzinfo=UTC) < timedelta(seconds=5)
        assert clock.now() >= first and clock.today() == date(2027, 7, 14)


def test_today_is_the_day_in_paris():
    with clock.travel(datetime(2026, 12, 31, 23, 30, tzinfo=UTC)):  # 00:30 on 1 January in Paris
        assert clock.today() == date(2027, 1, 1)
    with clock.travel(datetime(2027, 6, 30, 21, 59)):  # naive: UTC, 23:59 in Paris (summer time)
        assert clock.today() == date(2027, 6, 30)


def test_travel_comes_back_to_where_it_was():
    with clock.travel(date(2030, 1, 1)):
        with clock.travel(None):
            assert abs(clock.now() - datetime.now(UTC)) < timedelta(seconds=5)  # system clock: compared
        assert clock.today() == date(2030, 1, 1)
    assert clock.today() == TODAY


def test_only_the_clock_reads_the_system_day():
    """Application code asks registry.core.clock; so do the tests, through tests/clock.py and the fixture."""
    readers = []
    for path in [*ROOT.joinpath("registry").rglob("*.py"), *ROOT.joinpath("tests").rglob("*.py")]:
        if path.name == "clock.py" and path.parent.name in ("core", "tests"):
            continue
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if SYSTEM_CLOCK.search(line) and "system clock:" not in line:
                readers.append(f"{path.relative_to(ROOT)}:{number}: {line.strip()}")
    assert readers == []
