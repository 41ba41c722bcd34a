"""run_bounded and run_resident: a child process with a deadline and a memory cap; its result, its exception, or
LimitExceeded."""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from registry.core import bounded
from registry.core.bounded import ChildOutdated, LimitExceeded, ResidentCall, run_bounded, run_resident
from registry.documents.problems import Problem, RenderError

ROOT = Path(__file__).resolve().parents[2]


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


# run_resident: the same, in children kept between calls.

_MARK = {"ready": False}


def _pid():
    return os.getpid()


def _pid_when_ready():
    if not _MARK["ready"]:
        raise ChildOutdated("forked before the mark")
    return os.getpid()


def test_a_resident_child_serves_one_call_after_another():
    first = run_resident(_pid, seconds=10, memory_mb=256)
    assert first != os.getpid()
    assert run_resident(_square, 12, seconds=10, memory_mb=256) == 144
    assert run_resident(_pid, seconds=10, memory_mb=256) == first


def test_a_resident_child_past_its_limits_is_replaced():
    before = run_resident(_pid, seconds=10, memory_mb=96)
    with pytest.raises(LimitExceeded) as caught:
        run_resident(_forever, seconds=1, memory_mb=96)
    assert caught.value.kind == "time"
    with pytest.raises(LimitExceeded) as caught:
        run_resident(_swell, seconds=20, memory_mb=96)
    assert caught.value.kind == "memory"
    after = run_resident(_pid, seconds=10, memory_mb=96)
    assert after != before


def test_a_resident_child_s_exception_comes_back_and_the_child_stays():
    child = run_resident(_pid, seconds=10, memory_mb=256)
    with pytest.raises(RenderError) as caught:
        run_resident(_refuse, seconds=10, memory_mb=256)
    assert caught.value.problem.code == "render_error"
    assert run_resident(_pid, seconds=10, memory_mb=256) == child


def test_an_outdated_child_is_retired_and_the_work_runs_in_a_child_forked_now():
    _MARK["ready"] = False
    outdated = run_resident(_pid, seconds=10, memory_mb=128)
    _MARK["ready"] = True
    try:
        assert run_resident(_pid_when_ready, seconds=10, memory_mb=128) not in (outdated, os.getpid())
    finally:
        _MARK["ready"] = False


def _wait_for(path: str) -> bool:
    """Whether ``path`` appears within 10 s (made by the caller after it started the call)."""
    deadline = time.monotonic() + 10
    while not os.path.exists(path):
        if time.monotonic() > deadline:
            return False
        time.sleep(0.01)
    return True


def test_a_started_call_runs_while_its_caller_goes_on(tmp_path):
    signal_file = tmp_path / "made by the caller"
    call = ResidentCall(_wait_for, (str(signal_file),), seconds=20, memory_mb=256)
    signal_file.touch()  # the call is waiting for this in its child: it did not hold the caller
    assert call.result() is True
    call.cancel()  # read: nothing to stop
    assert run_resident(_square, 3, seconds=10, memory_mb=256) == 9


def test_a_cancelled_call_stops_its_child_and_its_answer_reaches_no_one():
    child = run_resident(_pid, seconds=10, memory_mb=192)
    call = ResidentCall(_pid, (), seconds=10, memory_mb=192)
    call.cancel()
    with pytest.raises(ProcessLookupError):
        for _ in range(500):  # killed, then reaped by the pool's join
            os.kill(child, 0)
            time.sleep(0.01)
    assert run_resident(_square, 4, seconds=10, memory_mb=192) == 16  # a new child, not the cancelled answer
    assert run_resident(_pid, seconds=10, memory_mb=192) != child


def test_a_started_call_keeps_its_deadline():
    call = ResidentCall(_forever, (), seconds=1, memory_mb=256)
    time.sleep(1.2)  # the caller's own work took the whole deadline
    started = time.monotonic()
    with pytest.raises(LimitExceeded) as caught:
        call.result()
    assert caught.value.kind == "time" and time.monotonic() - started < 1


def _pid_and(value, *extra):
    """A follow-up: what it was given, and the process it ran in."""
    return value, extra, os.getpid()


def _unpicklable(_value):
    return lambda: None


def test_a_follow_up_runs_in_the_same_child_on_the_result_after_it_came_back(tmp_path):
    signal_file = tmp_path / "made by the caller"
    call = ResidentCall(_pid, (), seconds=10, memory_mb=224, then=(_wait_then, (str(signal_file),), 20))
    child = call.result()  # back before the follow-up could end: it waits for the caller's file
    assert call.follow_up is not None
    signal_file.touch()
    assert call.follow_up.result() == (child, child)
    call.cancel()  # read: nothing to stop
    assert run_resident(_pid, seconds=10, memory_mb=224) == child  # the child was given back, its answers read


def _wait_then(result, path):
    assert _wait_for(path)
    return result, os.getpid()


def test_a_call_that_fails_has_no_follow_up_and_its_child_serves_the_next_call():
    call = ResidentCall(_refuse, (), seconds=10, memory_mb=232, then=(_pid_and, (), 10))
    with pytest.raises(RenderError):
        call.result()
    assert call.follow_up is None
    assert run_resident(_square, 5, seconds=10, memory_mb=232) == 25  # no second answer was waiting in the pipe


def test_a_result_that_does_not_pickle_has_no_follow_up():
    call = ResidentCall(_unpicklable, (1,), seconds=10, memory_mb=240, then=(_pid_and, (), 10))
    with pytest.raises(RuntimeError):
        call.result()
    assert call.follow_up is None
    assert run_resident(_square, 6, seconds=10, memory_mb=240) == 36


def test_a_follow_up_s_exception_comes_back_and_one_past_its_deadline_stops_the_child():
    call = ResidentCall(_square, (3,), seconds=10, memory_mb=248, then=(_refuse_after, (), 10))
    assert call.result() == 9
    with pytest.raises(RenderError):
        call.follow_up.result()
    assert run_resident(_square, 7, seconds=10, memory_mb=248) == 49

    call = ResidentCall(_pid, (), seconds=10, memory_mb=248, then=(_forever_after, (), 1))
    child = call.result()
    started = time.monotonic()
    with pytest.raises(LimitExceeded) as caught:
        call.follow_up.result()
    assert caught.value.kind == "time" and time.monotonic() - started < 5
    assert run_resident(_pid, seconds=10, memory_mb=248) != child


def test_a_cancelled_follow_up_stops_its_child():
    call = ResidentCall(_pid, (), seconds=10, memory_mb=256, then=(_forever_after, (), 10))
    child = call.result()
    call.follow_up.cancel()
    with pytest.raises(ProcessLookupError):
        for _ in range(500):
            os.kill(child, 0)
            time.sleep(0.01)
    call.follow_up.cancel()  # twice: nothing more to stop
    assert run_resident(_square, 8, seconds=10, memory_mb=256) == 64


def _refuse_after(_value):
    _refuse()


def _forever_after(_value):
    _forever()


def _processors(*_ignored):
    return os.sched_getaffinity(0)


def _processors_then_wait(started, go_on):
    """Where this child may run, read while its caller goes on (until the caller makes ``go_on``)."""
    processors = os.sched_getaffinity(0)
    Path(started).touch()
    assert _wait_for(go_on)
    return processors


TWO_PROCESSORS = pytest.mark.skipif(len(os.sched_getaffinity(0)) < 2, reason="one processor: nowhere else to run")


@TWO_PROCESSORS
def test_a_started_call_runs_off_its_caller_s_processor_until_the_caller_waits(monkeypatch, tmp_path):
    usable = os.sched_getaffinity(0)
    assert bounded._current_processor() in usable
    caller = min(usable)
    monkeypatch.setattr(bounded, "_current_processor", lambda: caller)
    started, go_on = tmp_path / "started", tmp_path / "go on"
    call = ResidentCall(_processors_then_wait, (str(started), str(go_on)), seconds=20, memory_mb=216,
                        then=(_processors, (), 10))
    assert _wait_for(str(started))  # the caller goes on working while the child runs
    go_on.touch()
    assert call.result() == usable - {caller}  # meanwhile the child ran elsewhere
    assert call.follow_up.result() == usable  # the caller waited: any processor again
    call = ResidentCall(_pid, (), seconds=10, memory_mb=216)
    child = call.result()
    assert os.sched_getaffinity(child) == usable  # given back to the pool free to run anywhere


def test_a_single_processor_or_an_ended_child_changes_nothing(monkeypatch):
    usable = os.sched_getaffinity(0)
    monkeypatch.setattr(bounded, "_usable_processors", lambda: {min(usable)})
    assert run_resident(_processors, seconds=10, memory_mb=208) == usable
    ended = subprocess.Popen([sys.executable, "-c", "pass"])
    ended.wait()
    bounded._set_processors(ended.pid, usable)  # no such process any more: nothing raised


def test_a_forked_process_starts_its_own_children():
    parents_child = run_resident(_pid, seconds=10, memory_mb=256)
    reader, writer = os.pipe()
    pid = os.fork()
    if pid == 0:  # pragma: no cover (the forked test process)
        try:
            os.write(writer, str(run_resident(_pid, seconds=10, memory_mb=256)).encode())
        finally:
            os._exit(0)
    os.close(writer)
    answer = os.read(reader, 64)
    os.close(reader)
    os.waitpid(pid, 0)
    assert int(answer) not in (parents_child, pid, os.getpid())
    assert run_resident(_pid, seconds=10, memory_mb=256) == parents_child


def test_resident_children_end_with_their_parent_even_killed():
    code = ("import os, sys, time; from registry.core.bounded import run_resident; "
            "print(run_resident(os.getpid, seconds=10, memory_mb=64), run_resident(os.getpid, seconds=10, memory_mb=80),"
            " flush=True); time.sleep(60)")
    parent = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, text=True, cwd=ROOT)
    children = [int(pid) for pid in parent.stdout.readline().split()]
    assert len(set(children)) == 2
    parent.send_signal(signal.SIGKILL)
    parent.wait()
    deadline = time.monotonic() + 10
    while any(_alive(pid) for pid in children) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not any(_alive(pid) for pid in children)


def _alive(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat") as stat:
            return stat.read().split(") ")[1][0] != "Z"  # a zombie has ended: only its reaping is left
    except FileNotFoundError:
        return False


def test_a_resident_child_keeps_none_of_its_parent_s_files_open():
    """A pipe the parent closes reaches its end at once, though a resident child was forked while it was open (a
    client's socket, a browser driver's pipe: the other side would wait for ever)."""
    import select

    reader, writer = os.pipe()
    try:
        assert run_resident(_pid, seconds=10, memory_mb=200) != os.getpid()  # forked now, the pipe open
    finally:
        os.close(writer)
    ready, _, _ = select.select([reader], [], [], 5)
    try:
        assert ready and os.read(reader, 1) == b""  # the end of the pipe: nobody else holds its writing end
    finally:
        os.close(reader)
