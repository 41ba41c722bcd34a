"""The verdicts of the day computed ahead, in the background of each server process.

Verdicts are memoised on (a hospital's rows, the day, the rule set) (adapter.py): a new day starts with an empty
memo, and the first national dashboard of the day would pay for every hospital's evaluation (most of a second at
national scale). A daemon thread per server process evaluates every hospital for today as soon as the process serves
its first request, then again each night just after midnight (Paris time, by the application's clock), so that
people find the day's verdicts ready. It only fills the memo: what a page shows is computed from the rows it reads,
warm or not. COMPLIANCE_WARMUP turns it off (off by default under TESTING).
"""

import os
import threading
import time
from datetime import date, datetime, timedelta

from flask import Flask, current_app
from sqlalchemy import select

from registry.core import clock
from registry.core.french import PARIS
from registry.extensions import db

#: How long after midnight (Paris) the night's evaluation starts.
AFTER_MIDNIGHT = timedelta(minutes=1)
_started_in: set[int] = set()
_lock = threading.Lock()


def warm(at: date) -> int:
    """Evaluate every hospital on ``at`` under the rule set in force (filling the memo); how many were evaluated."""
    from registry.compliance.adapter import evaluate_hospitals
    from registry.hospitals.models import HospitalProfile

    hospitals = select(HospitalProfile).join(HospitalProfile.organisation).order_by(HospitalProfile.id)
    return len(evaluate_hospitals(hospitals, at))


def seconds_until_next_night(now: datetime) -> float:
    """From ``now`` (aware) to the next midnight in Paris, plus AFTER_MIDNIGHT."""
    local = now.astimezone(PARIS)
    midnight = datetime.combine(local.date() + timedelta(days=1), datetime.min.time(), tzinfo=PARIS)
    return max((midnight + AFTER_MIDNIGHT - local).total_seconds(), 1.0)


def register(app: Flask) -> None:
    """Start the background evaluation with the first request each process serves (after a server's fork)."""
    if not app.config.get("COMPLIANCE_WARMUP", not app.testing):
        return

    @app.before_request
    def _start_warming() -> None:
        if os.getpid() in _started_in:
            return
        with _lock:
            if os.getpid() in _started_in:
                return
            _started_in.add(os.getpid())
        threading.Thread(target=_run, args=(current_app._get_current_object(),), name="compliance-warming",
                         daemon=True).start()


def _run(app: Flask) -> None:
    while True:
        with app.app_context():
            try:
                warm(clock.today())
            except Exception:  # noqa: BLE001 - a failed warm-up only leaves the work to the first page
                app.logger.exception("Compliance verdicts could not be computed ahead")
            finally:
                db.session.remove()
        time.sleep(seconds_until_next_night(clock.now()))
