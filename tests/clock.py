"""The day the suite runs on, fixed so that no test depends on the day it is run.

Every test runs with the application's clock (registry/core/clock.py) set to ``TODAY`` (tests/conftest.py).
``TEST_TODAY=YYYY-MM-DD make test`` runs the whole suite on another day; tests/web/test_calendar.py runs the
date-sensitive parts on several days of the year within one run.
"""

import os
from datetime import date

#: A December day by default: its month name is accented (« décembre »), which once broke a browser test.
TODAY = date.fromisoformat(os.environ.get("TEST_TODAY") or "2026-12-02")
