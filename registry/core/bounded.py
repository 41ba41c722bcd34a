"""Work that must not pin the server: run in a forked child process with a deadline and a memory cap.

A thread cannot be stopped, so a template that loops for ever would keep a worker busy until it is killed; a
child process can be. The child is forked (it shares what the parent has loaded, the compiled templates included,
and costs a few milliseconds), caps its own address space, runs the function and sends its result or its exception
back through a pipe. Past the deadline the parent kills it and raises ``LimitExceeded``.

The function must not use the parent's database connections (give it plain data) and its result must pickle.
"""

import multiprocessing
import os
import pickle
import resource

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
    if memory_mb:
        with open("/proc/self/statm") as statm:
            mapped = int(statm.read().split()[0]) * _PAGE  # what the parent had mapped, shared after the fork
        limit = mapped + memory_mb * 2**20
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    try:
        message = ("ok", function(*args))
    except MemoryError:
        message = ("memory", None)
    except BaseException as exc:  # noqa: BLE001 - whatever the work raised goes back to the parent
        message = ("error", exc)
    try:
        writer.send(message)
    except (pickle.PicklingError, TypeError, AttributeError):
        writer.send(("error", RuntimeError(str(message[1]))))
    except MemoryError:
        writer.send(("memory", None))
    writer.close()
