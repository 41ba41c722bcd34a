"""A generator run in a forked child while the caller consumes its items: two processors at work on one stream.

A long import reads and checks its rows (pure Python, one processor busy) and writes them (the database driver):
in one process the two take turns. ``ChildStream`` runs the generator in a forked child that sends its items back
in batches through a pipe, while the caller works on the ones already sent; the pipe bounds what is in flight (the
child waits when the caller is behind). The generator's progress reports and its return value come back through
the same pipe, in order, and what it raises is raised by the caller's loop where the stream stopped.

The generator must not use the parent's database connections (the child never touches them), and its items,
progress and return value must pickle (``bounded`` has the same rule). Leaving the loop early, or an exception in
the caller's own work, ends the child.
"""

import fcntl
import multiprocessing
from collections.abc import Callable, Iterator
from contextlib import suppress

from registry.core.bounded import send_outcome, take_default_signals

#: Items sent at a time (each message costs a pickling and two system calls).
BATCH = 500

#: What the pipe holds before the child waits for the caller (the system's default is 64 KiB).
PIPE_BYTES = 1 << 20
#: The messages' kinds (RETURN and ERROR as bounded.send_outcome sends them).
ITEMS, PROGRESS, RETURN, ERROR = "items", "progress", "ok", "error"


class ChildEnded(RuntimeError):
    """The child ended without finishing its stream (killed, or refused memory by the kernel)."""


class ChildStream:
    """``function(*args, progress=...)``'s items, made in a forked child; iterate once, then read ``result`` (the
    generator's return value). ``progress``, when given, is called in the caller's process with whatever the
    generator passed to its own ``progress``."""

    def __init__(self, function: Callable[..., Iterator], *args, progress: Callable | None = None,
                 batch: int = BATCH):
        self.function, self.args, self.progress, self.batch = function, args, progress, batch
        self.result = None

    def __iter__(self) -> Iterator:
        context = multiprocessing.get_context("fork")
        reader, writer = context.Pipe(duplex=False)
        _widen(writer)
        child = context.Process(target=_produce, args=(reader, writer, self.function, self.args, self.batch),
                                daemon=True)
        child.start()
        writer.close()
        try:
            while True:
                try:
                    kind, value = reader.recv()
                except EOFError:
                    raise ChildEnded(f"{self.function.__qualname__} ended without finishing its stream "
                                     f"(exit code {_exit_code(child)})") from None
                if kind == ITEMS:
                    yield from value
                elif kind == PROGRESS:
                    if self.progress is not None:
                        self.progress(*value)
                elif kind == RETURN:
                    self.result = value
                    return
                elif kind == ERROR:
                    raise value
                else:  # the kernel refused the child memory while it sent (bounded's "memory" outcome)
                    raise MemoryError(f"{self.function.__qualname__} ran out of memory in its child")
        finally:
            reader.close()
            if child.is_alive():
                child.kill()
            child.join()


def _widen(connection) -> None:
    """Let the pipe hold up to PIPE_BYTES, so that the child can run ahead while the caller is busy."""
    try:
        fcntl.fcntl(connection.fileno(), fcntl.F_SETPIPE_SZ, PIPE_BYTES)
    except OSError:  # over the system's maximum (/proc/sys/fs/pipe-max-size): the default size
        pass


def _exit_code(child) -> int | None:
    child.join(1)
    return child.exitcode


def _produce(reader, writer, function, args, batch: int) -> None:
    """The child: run the generator, sending its items ``batch`` at a time and its progress as it comes, then the
    items still pending and its return value or what it raised. It closes its copy of the pipe's reading end, so
    that when the caller is gone (killed) its next send fails instead of waiting for ever."""
    reader.close()
    take_default_signals()
    pending: list = []

    def send_pending() -> None:
        if pending:
            writer.send((ITEMS, pending.copy()))
            pending.clear()

    def progress(*report) -> None:
        send_pending()  # the items read before this report go first
        writer.send((PROGRESS, report))

    outcome = None
    try:
        generator = function(*args, progress=progress)
        while outcome is None:
            try:
                pending.append(next(generator))
            except StopIteration as stop:
                outcome = (RETURN, stop.value)
            except BaseException as error:  # noqa: BLE001 - whatever the generator raised goes back to the caller
                outcome = (ERROR, error)
            if outcome is not None or len(pending) >= batch:
                send_pending()
        send_outcome(writer, outcome)
    except BrokenPipeError:  # the caller left the loop: nobody to tell
        return
    except BaseException as error:  # noqa: BLE001 - an item that does not pickle
        with suppress(BrokenPipeError):
            send_outcome(writer, (ERROR, error))
    writer.close()
