"""run_bounded: a child process with a deadline and a memory cap; its result, its exception, or LimitExceeded."""

import time

import pytest

from registry.core.bounded import LimitExceeded, run_bounded
from registry.documents.problems import Problem, RenderError


def _square(n):
    return n * n


def _forever():
    while True:
        pass


def _swell():
    return "A" * (400 * 2**20)


def _refuse():
    raise RenderError(Problem(message="non", part="document", code="render_error"))


def test_the_result_comes_back():
    assert run_bounded(_square, 12, seconds=10, memory_mb=256) == 144


def test_an_endless_loop_is_stopped_at_its_deadline():
    started = time.monotonic()
    with pytest.raises(LimitExceeded) as caught:
        run_bounded(_forever, seconds=1, memory_mb=256)
    assert caught.value.kind == "time" and time.monotonic() - started < 5


def test_a_swelling_string_is_stopped_by_the_memory_cap():
    with pytest.raises(LimitExceeded) as caught:
        run_bounded(_swell, seconds=20, memory_mb=64)
    assert caught.value.kind == "memory"


def test_the_work_s_own_exception_comes_back_whole():
    with pytest.raises(RenderError) as caught:
        run_bounded(_refuse, seconds=10, memory_mb=256)
    assert caught.value.problem.code == "render_error" and caught.value.problem.part == "document"
