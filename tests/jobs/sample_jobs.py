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


@task
def waits_for_the_test(*, flag: str, redis_url: str) -> dict:
    """Reports 1 of 3, then waits (a minute at most) until the test sets ``flag`` in Redis, then finishes."""
    from redis import Redis

    report(1, 3, "Première étape faite.")
    connection = Redis.from_url(redis_url)
    for _ in range(600):
        if connection.get(flag):
            break
        time.sleep(0.1)
    connection.delete(flag)
    report(3, 3, "Fini.")
    return {}
