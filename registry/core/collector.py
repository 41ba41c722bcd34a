"""Python's cycle collector in a long-lived process (a server's worker, a command): set once the application is
loaded, by wsgi.py, and by the benchmarks that measure what it serves.

- What is loaded by then (modules, classes, the application) lives as long as the process: frozen, the collector
  stops walking it at every full collection (about 50 ms each on a loaded worker), and forked workers no longer copy
  those pages when it would have touched them.
- The youngest generation is collected every YOUNG_THRESHOLD allocations rather than 700. At 700, several young
  collections run during each request and move the objects the request is still using to the older generations,
  which are then collected in full every dozen dashboards, walking the tens of thousands of verdicts the compliance
  memo keeps: a pause of 50 to 75 ms each (benchmarks/compliance_dashboard.py). At 7,000 most of a request's
  objects are freed by their reference counts before any collection sees them; the cyclic garbage waiting for the
  next young collection stays under a few megabytes.
"""

import gc

YOUNG_THRESHOLD = 7000


def settle() -> None:
    """Freeze what is loaded and space the young collections (above); the collector is enabled again."""
    gc.freeze()
    gc.set_threshold(YOUNG_THRESHOLD, *gc.get_threshold()[1:])
    gc.enable()
