"""Job functions for the tests of the queue itself (the worker imports them by name)."""

import time

from registry.core.errors import DomainError
from registry.jobs.progress import report, task


@task
def refused(*, done: int, total: int) -> dict:
    report(done, total, "Lecture des lignes…")
    raise DomainError("La ligne 3 est illisible : rien n'a été enregistré.")


@task
def crashes() -> dict:
    raise RuntimeError("secret internals /srv/registre")


@task
def sleeps(*, seconds: float) -> dict:
    time.sleep(seconds)
    return {}
