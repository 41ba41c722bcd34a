"""Work that must not pin the server: run in a forked child process with a deadline and a memory cap.

A thread cannot be stopped, so a template that loops for ever would keep a worker busy until it is killed; a
child process can be. The child is forked (it shares what the parent has loaded, the compiled templates included,
and costs a few milliseconds), caps its own address space, runs the function and sends its result or its exception
back through a pipe. Past the deadline the parent kills it and raises ``LimitExceeded``.

``run_bounded`` forks a child per call. ``run_resident`` keeps its children between calls (a few per process, each
running one call at a time): a call then costs two messages instead of a fork, which matters where the work itself
is short (a draft's render takes a few milliseconds, the fork and exit of a server process more). ``ResidentCall``
lets the caller go on while the child works, and can give the child a follow-up: work on the call's result, done in
the same child once the result is sent back (a draft's render, then the storing of its bytes), while the caller
uses that result.

The function must not use the parent's database connections (give it plain data) and its result must pickle.
"""

import functools
import multiprocessing
import os
import pickle
import resource
import signal
import threading
import time

_PAGE = os.sysconf("SC_PAGE_SIZE")


class LimitExceeded(Exception):
    """The work went past its deadline (``kind`` "time") or its memory cap ("memory")."""

    def __init__(self, kind: str, limit: float):
        super().__init__(f"{kind} limit {limit} exceeded")
        self.kind, self.limit = kind, limit

    def __reduce__(self):
        return type(self), (self.kind, self.limit)


def run_bounded(function, *args, seconds: float, memory_mb: int):
    """``function(*args)`` in a child process: its result, or the exception it raised, or ``LimitExceeded``."""
    context = multiprocessing.get_context("fork")
    reader, writer = context.Pipe(duplex=False)
    child = context.Process(target=_child, args=(writer, memory_mb, function, args), daemon=True)
    child.start()
    writer.close()
    try:
        if not reader.poll(seconds):
            raise LimitExceeded("time", seconds)
        try:
            outcome, value = reader.recv()
        except EOFError:  # the child died without a word: the kernel refused it memory
            raise LimitExceeded("memory", memory_mb) from None
    finally:
        reader.close()
        if child.is_alive():
            child.kill()
        child.join()
    if outcome == "ok":
        return value
    if outcome == "memory":
        raise LimitExceeded("memory", memory_mb)
    raise value


def _child(writer, memory_mb: int, function, args) -> None:
    take_default_signals()
    _cap_memory(memory_mb)
    send_outcome(writer, _outcome(function, args))
    writer.close()


def _close_inherited_files(keep: int) -> None:
    """Close every file this child inherited but its pipe (and the standard streams). A child kept alive must not
    hold its parent's files open: a client's socket would not close when the server closes it, a pipe to another
    program would never reach its end (that program waiting for ever), its parent's end of its own pipe and its
    siblings' would keep them from seeing their parent go."""
    os.closerange(3, keep)
    os.closerange(keep + 1, os.sysconf("SC_OPEN_MAX"))


def take_default_signals() -> None:
    """A forked child inherits its parent's Python signal handlers (a server's: SIGTERM asks for a graceful stop
    that this child would never make): it takes the system's defaults, so that a signal ends it."""
    for number in signal.valid_signals():
        if callable(signal.getsignal(number)):
            signal.signal(number, signal.SIG_DFL)


def _cap_memory(memory_mb: int) -> None:
    """Cap this (forked) process at what its parent had mapped, shared after the fork, plus ``memory_mb``."""
    if memory_mb:
        with open("/proc/self/statm") as statm:
            mapped = int(statm.read().split()[0]) * _PAGE
        limit = mapped + memory_mb * 2**20
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))


def _outcome(function, args) -> tuple[str, object]:
    try:
        return ("ok", function(*args))
    except MemoryError:
        return ("memory", None)
    except BaseException as exc:  # noqa: BLE001 - whatever the work raised goes back to the parent
        return ("error", exc)


def send_outcome(connection, message) -> str:
    """Send an outcome; returns its kind as sent ("error" for a result that does not pickle)."""
    try:
        connection.send(message)
    except (pickle.PicklingError, TypeError, AttributeError):
        connection.send(("error", RuntimeError(str(message[1]))))
        return "error"
    except MemoryError:
        connection.send(("memory", None))
        return "memory"
    return message[0]


class ChildOutdated(Exception):
    """Raised by work run in a resident child forked before what the work needs existed (a template prepared since):
    ``run_resident`` retires that child and runs the work again in a child forked now."""


class _Resident:
    """A child forked once and kept: it runs the calls sent to it one after the other, under the same memory cap, so
    that each call costs a message each way rather than a fork (a fork of a server process and its exit cost more
    than a draft's render)."""

    def __init__(self, memory_mb: int):
        context = multiprocessing.get_context("fork")
        self.connection, child_end = context.Pipe()
        self.process = context.Process(target=_serve, args=(child_end, memory_mb), daemon=True)
        self.process.start()
        child_end.close()
        self._processors_after: set[int] | None = None  # the processors to give back when the caller waits

    def send(self, function, args, then=None) -> None:
        """The call sent; until the caller waits for its answer, the child runs on another processor than the
        caller's when there is one (``_keep_off_caller``)."""
        self._processors_after = _keep_off_caller(self.process.pid)
        self.connection.send((function, args, then))

    def receive(self, seconds: float, wait: float, memory_mb: int):
        """``(outcome, value)`` of the call sent, waited for ``wait`` seconds at most; LimitExceeded (the child
        killed) past them (the call's deadline of ``seconds``) or past the memory cap."""
        if self._processors_after is not None:  # the caller waits: its processor is free for the child too
            _set_processors(self.process.pid, self._processors_after)
            self._processors_after = None
        if not self.connection.poll(wait):
            self.close()
            raise LimitExceeded("time", seconds)
        try:
            return self.connection.recv()
        except EOFError:  # the child died without a word: the kernel refused it memory
            self.close()
            raise LimitExceeded("memory", memory_mb) from None

    def close(self) -> None:
        self.connection.close()
        if self.process.is_alive():
            self.process.kill()
        self.process.join()


def _keep_off_caller(pid: int) -> set[int] | None:
    """Let the child ``pid`` run on any processor this process may use but the one the caller runs on now; the set
    to give back once the caller waits, or None where nothing was changed (one processor, not Linux).

    Linux wakes the reader of a pipe on the writer's processor, expecting the writer to wait next; a caller that
    goes on working (``ResidentCall``) would then share its processor with the child while the other one idles, and
    the two would take turns instead of working at once (measured through gunicorn, docs/performance.md: a draft
    0.9 to 1.4 ms slower)."""
    usable = _usable_processors()
    caller = _current_processor() if len(usable) > 1 else None
    if caller is None:
        return None
    _set_processors(pid, usable - {caller})
    return usable


def _usable_processors() -> set[int]:
    return os.sched_getaffinity(0) if hasattr(os, "sched_getaffinity") else set()


def _set_processors(pid: int, processors: set[int]) -> None:
    try:
        os.sched_setaffinity(pid, processors)
    except OSError:  # the child has ended: its receive says so
        pass


@functools.cache
def _sched_getcpu():
    import ctypes  # loaded by the first resident call, not at start-up

    return getattr(ctypes.CDLL(None), "sched_getcpu", None)


def _current_processor() -> int | None:
    """The processor the calling thread runs on (the C library's sched_getcpu), None where it cannot be told."""
    sched_getcpu = _sched_getcpu()
    processor = sched_getcpu() if sched_getcpu is not None else -1
    return processor if processor >= 0 else None


def _serve(connection, memory_mb: int) -> None:
    take_default_signals()
    _cap_memory(memory_mb)
    _close_inherited_files(keep=connection.fileno())
    while True:
        try:
            function, args, then = connection.recv()
        except (EOFError, OSError):
            return
        outcome = _outcome(function, args)
        sent = send_outcome(connection, outcome)
        if sent == "ok" and then is not None:  # the follow-up, on the result just sent: a second answer
            follow, extra = then
            sent = send_outcome(connection, _outcome(follow, (outcome[1], *extra)))
        if sent == "memory":  # past the cap once: not trusted with more work
            return


class _ResidentPool:
    """The idle resident children of this process, by memory cap; a process forked from this one starts its own."""

    def __init__(self, keep: int = 4):
        self.keep = keep
        self._lock = threading.Lock()
        self._pid = os.getpid()
        self._idle: dict[int, list[_Resident]] = {}

    def take(self, memory_mb: int) -> _Resident:
        with self._lock:
            if self._pid != os.getpid():  # inherited through a fork: those children are the parent's
                self._pid, self._idle = os.getpid(), {}
            idle = self._idle.setdefault(memory_mb, [])
            while idle:
                child = idle.pop()
                if child.process.is_alive():
                    return child
                child.close()
        return _Resident(memory_mb)

    def give_back(self, child: _Resident, memory_mb: int) -> None:
        with self._lock:
            idle = self._idle.setdefault(memory_mb, [])
            if len(idle) < self.keep and self._pid == os.getpid():
                idle.append(child)
                return
        child.close()


_POOL = _ResidentPool()


def run_resident(function, *args, seconds: float, memory_mb: int):
    """As ``run_bounded``, in a resident child of this process (forked on first need, then kept). ``function`` and
    ``args`` are sent to it pickled, so they must pickle (a module's function, plain data); ``function`` may raise
    ``ChildOutdated`` to be run once more in a child forked now."""
    return ResidentCall(function, args, seconds=seconds, memory_mb=memory_mb).result()


class ResidentCall:
    """``run_resident`` in two steps: the call is sent to a resident child when this is made, and runs there while
    the caller does something else (another process: on another processor when there is one); ``result()`` waits
    for it, within ``seconds`` of its start. A call whose result will not be read must be cancelled (``cancel()``,
    a no-op once the result is read): its child is stopped, or its answer would reach the child's next caller.

    ``then``, ``(function, args, seconds)``: a follow-up the same child runs as ``function(result, *args)`` once it
    has sent the result back, when the call succeeded. ``result()`` then leaves it in ``follow_up``, a ``FollowUp``
    whose ``result()`` waits for it within ``seconds`` (and which must be read or cancelled in its turn)."""

    def __init__(self, function, args: tuple, *, seconds: float, memory_mb: int, then: tuple | None = None):
        self._function, self._args, self._seconds, self._memory_mb = function, args, seconds, memory_mb
        self._then = then
        self._child = None
        self.follow_up: FollowUp | None = None
        self._send()

    def _send(self) -> None:
        """The call sent to an idle child (one forked now when there is none), its deadline counted from now."""
        self._deadline = time.monotonic() + self._seconds
        child = _POOL.take(self._memory_mb)
        try:
            child.send(self._function, self._args, self._then[:2] if self._then is not None else None)
        except BaseException:
            child.close()
            raise
        self._child = child

    def result(self):
        for attempt in (1, 2):
            child = self._child
            try:
                outcome, value = child.receive(self._seconds, max(self._deadline - time.monotonic(), 0),
                                               self._memory_mb)
            except BaseException:  # past a limit, or interrupted mid-call (its answer would reach the next caller)
                self.cancel()
                raise
            self._child = None
            if outcome == "error" and isinstance(value, ChildOutdated) and attempt == 1:
                child.close()
                self._send()
                continue
            if outcome == "ok" and self._then is not None:  # the child goes on with the follow-up
                self.follow_up = FollowUp(child, self._then[2], self._memory_mb)
                return value
            return _answered(child, outcome, value, self._memory_mb)
        raise AssertionError("unreachable")  # the second attempt returns or raises

    def cancel(self) -> None:
        if self._child is not None:
            self._child.close()
            self._child = None


class FollowUp:
    """The follow-up of a ``ResidentCall`` (its ``then``), running in the call's child since its result came back:
    ``result()`` waits for it within ``seconds`` of that moment; ``cancel()`` stops the child (a no-op once the
    result is read)."""

    def __init__(self, child: _Resident, seconds: float, memory_mb: int):
        self._child, self._seconds, self._memory_mb = child, seconds, memory_mb
        self._deadline = time.monotonic() + seconds

    def result(self):
        try:
            outcome, value = self._child.receive(self._seconds, max(self._deadline - time.monotonic(), 0),
                                                 self._memory_mb)
        except BaseException:
            self.cancel()
            raise
        child, self._child = self._child, None
        return _answered(child, outcome, value, self._memory_mb)

    def cancel(self) -> None:
        if self._child is not None:
            self._child.close()
            self._child = None


def _answered(child: _Resident, outcome: str, value, memory_mb: int):
    """A resident child's last answer to a call: its value, or the exception it raised; the child given back to the
    pool, or stopped when it went past its memory cap."""
    if outcome == "memory":
        child.close()
        raise LimitExceeded("memory", memory_mb)
    _POOL.give_back(child, memory_mb)
    if outcome == "ok":
        return value
    raise value
