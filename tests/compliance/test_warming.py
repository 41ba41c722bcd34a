"""The day's verdicts computed ahead: warm() fills the memo the dashboard reads, the thread starts once per process
with the first request, and sleeps until just after the next midnight in Paris."""

import threading
from datetime import UTC, date, datetime

import pytest

from registry.compliance import adapter, warming
from registry.compliance.rules import CURRENT


@pytest.fixture
def memo():
    evaluated = adapter._memo(CURRENT)
    evaluated.cache_clear()
    return evaluated


def test_warm_evaluates_every_hospital_and_the_dashboard_then_reads_the_memo(app, client, make_user, login,
                                                                           make_organisation, make_hospital, memo):
    for departement in ("21", "71", "89"):
        make_hospital(make_organisation(departement=departement, category_code="106"))
    from registry.extensions import db

    db.session.commit()
    assert warming.warm(date(2026, 12, 2)) == 3
    assert memo.cache_info().currsize == 3
    hits = memo.cache_info().hits
    login(make_user("admin"))
    assert client.get("/conformite?at=2026-12-02").status_code == 200
    assert memo.cache_info().hits == hits + 3 and memo.cache_info().currsize == 3


@pytest.mark.parametrize("now, seconds", [
    (datetime(2026, 12, 2, 22, 59, tzinfo=UTC), 60 + 60),           # 23:59 in Paris (winter, UTC+1)
    (datetime(2026, 7, 1, 21, 30, tzinfo=UTC), 30 * 60 + 60),       # 23:30 in Paris (summer, UTC+2)
    (datetime(2026, 12, 2, 23, 0, 30, tzinfo=UTC), 24 * 3600 + 30),  # 00:00:30: the next night
    (datetime(2027, 3, 27, 23, 30, tzinfo=UTC), 23 * 3600 + 30 * 60 + 60),  # the night the clocks go forward
])
def test_the_thread_sleeps_until_just_after_the_next_midnight_in_paris(now, seconds):
    assert warming.seconds_until_next_night(now) == seconds


def test_the_thread_starts_once_with_the_first_request_and_only_when_asked(app, monkeypatch):
    started = []
    monkeypatch.setattr(warming, "_run", lambda app: started.append(threading.current_thread().name))
    monkeypatch.setattr(warming, "_started_in", set())
    from registry import create_app

    quiet = create_app({**app.config, "TESTING": True}, instance_path=app.instance_path)
    quiet.test_client().get("/connexion")
    assert started == []
    served = create_app({**app.config, "TESTING": True, "COMPLIANCE_WARMUP": True}, instance_path=app.instance_path)
    for _ in range(3):
        served.test_client().get("/connexion")
    for thread in threading.enumerate():
        if thread.name == "compliance-warming":
            thread.join(5)
    assert started == ["compliance-warming"]
