"""ChildStream: a generator run in a forked child, its items, progress and return value streamed back in order, what
it raises raised where the stream stopped, and the child ended whenever the caller stops."""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from registry.core.child_stream import ChildEnded, ChildStream
from registry.core.errors import DomainError


def _numbers(count, progress=None):
    for number in range(count):
        if number % 10 == 0:
            progress(number, count)
        yield number
    return f"{count} numbers"


def _pid_then_numbers(progress=None):
    yield os.getpid()
    yield from range(10**9)


def _refuse_after(count, progress=None):
    yield from range(count)
    raise DomainError("fichier compressé (gzip) illisible ou tronqué : rien n'a été importé")


def _unpicklable(progress=None):
    yield 1
    yield lambda: None


def _kill_itself(progress=None):
    yield 1
    os.kill(os.getpid(), signal.SIGKILL)
    yield 2


def _runs_ahead(marker, count, progress=None):
    """``count`` items of about 200 bytes, then a file saying that all were sent."""
    for number in range(count):
        yield f"{number:06d}" + "x" * 200
    marker.write_text("sent")
    return "done"


def _gone(pid: int) -> bool:
    """Ended: reaped, or a zombie nobody reaped (a dead caller's child goes to whoever adopts orphans)."""
    try:
        with open(f"/proc/{pid}/stat") as stat:
            return stat.read().rsplit(")", 1)[1].split()[0] in ("Z", "X")
    except FileNotFoundError:
        return True


def test_items_come_back_in_order_with_the_return_value():
    stream = ChildStream(_numbers, 2345, batch=100)
    assert list(stream) == list(range(2345))
    assert stream.result == "2345 numbers"


def test_the_items_are_made_in_another_process():
    stream = iter(ChildStream(_pid_then_numbers))
    assert next(stream) != os.getpid()
    stream.close()


def test_progress_is_reported_in_the_caller_after_the_items_read_before_it():
    seen = []
    stream = ChildStream(_numbers, 35, progress=lambda done, total: seen.append(("progress", done, total)), batch=7)
    for number in stream:
        seen.append(number)
    progress = [entry for entry in seen if isinstance(entry, tuple)]
    assert progress == [("progress", 0, 35), ("progress", 10, 35), ("progress", 20, 35), ("progress", 30, 35)]
    assert [entry for entry in seen if not isinstance(entry, tuple)] == list(range(35))
    for _, done, _total in progress:  # each report comes once every item read before it was taken
        assert seen.index(("progress", done, 35)) == done + progress.index(("progress", done, 35))


def test_what_the_generator_raises_comes_after_the_items_before_it():
    taken = []
    with pytest.raises(DomainError) as caught:
        for number in ChildStream(_refuse_after, 1234, batch=100):
            taken.append(number)
    assert taken == list(range(1234))
    assert caught.value.message.startswith("fichier compressé (gzip) illisible")


def test_an_item_that_does_not_pickle_is_an_error_of_the_stream():
    with pytest.raises(Exception) as caught:
        list(ChildStream(_unpicklable, batch=1))
    assert "pickle" in str(caught.value).lower() or "lambda" in str(caught.value)


def test_a_child_that_dies_ends_the_stream_with_an_error():
    with pytest.raises(ChildEnded, match="exit code -9"):
        list(ChildStream(_kill_itself, batch=1))


def test_leaving_the_loop_early_ends_the_child():
    stream = iter(ChildStream(_pid_then_numbers, batch=50))
    pid = next(stream)
    assert next(stream) == 0 and not _gone(pid)
    stream.close()
    assert _gone(pid)


def test_an_error_of_the_caller_s_own_work_ends_the_child():
    pids = []

    def consume():
        for item in ChildStream(_pid_then_numbers, batch=50):
            pids.append(item)
            raise ValueError("the caller's own work failed")

    with pytest.raises(ValueError):
        consume()
    assert _gone(pids[0])


def test_the_child_runs_ahead_of_a_busy_caller(tmp_path):
    """About 400 KB of items are sent while the caller holds only the first: more than a pipe holds by default
    (64 KiB), so that a long write by the caller does not stop the child."""
    marker = tmp_path / "sent"
    stream = iter(ChildStream(_runs_ahead, marker, 2000, batch=100))
    assert next(stream).startswith("000000")
    deadline = time.monotonic() + 20
    while not marker.exists() and time.monotonic() < deadline:
        time.sleep(0.01)
    assert marker.exists(), "the child waited for the caller"
    rest = list(stream)
    assert len(rest) == 1999 and rest[-1].startswith("001999")


CALLER = """
import os, signal, sys
sys.path.insert(0, sys.argv[1])
from registry.core.child_stream import ChildStream
from tests.core.test_child_stream import _pid_then_numbers
stream = iter(ChildStream(_pid_then_numbers, batch=50))
print(next(stream), flush=True)
os.kill(os.getpid(), signal.SIGKILL)
"""


@pytest.mark.slow
def test_a_child_whose_caller_was_killed_ends():
    root = Path(__file__).resolve().parents[2]
    with subprocess.Popen([sys.executable, "-c", CALLER, str(root)], cwd=root, stdout=subprocess.PIPE,
                          stderr=subprocess.DEVNULL, text=True) as caller:
        pid = int(caller.stdout.readline())  # not read to its end: the child holds the same standard output
        assert caller.wait(timeout=60) == -signal.SIGKILL
    deadline = time.monotonic() + 20
    while not _gone(pid) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert _gone(pid), "the child went on writing into a pipe nobody reads"
