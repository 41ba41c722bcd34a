"""The daily reminders run by the worker (WORKER_REMINDERS_AT), and the worker command's refusals."""

from datetime import UTC, datetime

import pytest

from registry.jobs import queue as jobs
from registry.reminders.jobs import next_run, schedule_daily_reminders, send_daily_reminders
from tests.jobs.fixtures import queue_config  # noqa: F401  (fixture)


@pytest.fixture
def app_config(queue_config):
    return {**queue_config, "WORKER_REMINDERS_AT": "07:00"}


def test_the_next_run_is_the_next_time_of_day_in_paris():
    from datetime import time

    assert next_run(datetime(2026, 12, 2, 5, 0, tzinfo=UTC), time(7)) == datetime(2026, 12, 2, 6, 0, tzinfo=UTC)
    assert next_run(datetime(2026, 12, 2, 6, 0, tzinfo=UTC), time(7)) == datetime(2026, 12, 3, 6, 0, tzinfo=UTC)
    assert next_run(datetime(2026, 7, 1, 4, 0, tzinfo=UTC), time(7)) == datetime(2026, 7, 1, 5, 0, tzinfo=UTC)


def test_the_next_run_is_scheduled_once_whoever_asks(app):
    assert schedule_daily_reminders() == "3 décembre 2026 à 07:00"  # the tests' clock: 2 December, noon in Paris
    assert schedule_daily_reminders() == "3 décembre 2026 à 07:00"
    registry = jobs.queue().scheduled_job_registry
    ids = registry.get_job_ids()
    assert len(ids) == 1
    assert registry.get_scheduled_time(ids[0]) == datetime(2026, 12, 3, 6, 0, tzinfo=UTC)
    assert jobs.fetch(ids[0]).meta["kind"] == "reminders"


def test_a_run_sends_the_days_reminders_and_schedules_the_next(app, run_jobs):
    job = jobs.enqueue("reminders", send_daily_reminders, {}, owner_id=None, label="Essai.")
    run_jobs()
    job.refresh()
    assert jobs.state(job) == "terminé"
    assert job.meta["result"] == {"sent": 0, "reminders": 0, "day": "2026-12-02"}  # nothing due in an empty base
    assert len(jobs.queue().scheduled_job_registry.get_job_ids()) == 1


def test_a_wrong_time_of_day_stops_the_worker_with_one_line(app, runner):
    app.config["WORKER_REMINDERS_AT"] = "7h"
    result = runner.invoke(args=["worker", "--burst"])
    assert result.exit_code == 1 and "WORKER_REMINDERS_AT invalide « 7h »" in result.output


def test_without_redis_url_the_worker_says_it_is_not_needed(app, runner):
    app.config["REDIS_URL"] = None
    result = runner.invoke(args=["worker", "--burst"])
    assert result.exit_code == 1 and "REDIS_URL n'est pas réglée" in result.output
