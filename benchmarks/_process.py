"""A process's own peak memory, and a command's own wall time and peak memory.

Linux starts a new program's peak memory (``ru_maxrss``) at the peak of the image it replaces: a child started by
a large benchmark process reports that process's size (a child of a 500 MB process reported 510 MB, its own high-water
mark being 9 MB). So a child we write reads its own high-water mark (``VmHWM``), and a command is started from a
small launcher (``python -m benchmarks._process REPORT COMMAND...``) that forks it, waits for it and writes the
command's seconds, exit code and peak memory (its own and its waited-for children's) as JSON to REPORT.
"""

import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def own_peak_rss_mb() -> float:
    """This process's peak resident memory since its program started (VmHWM), in MB."""
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # no /proc: the kernel's figure, as it is


def installed_env(pycache: Path, **extra: str) -> dict:
    """This environment as an installed machine has it: modules compiled once and their bytecode cached (in
    ``pycache``, a temporary PYTHONPYCACHEPREFIX, so that the checkout is left as it is), whatever
    PYTHONDONTWRITEBYTECODE says here (set, a process compiles from source every module it imports, lazily imported
    ones included); plus ``extra``."""
    env = {**os.environ, "PYTHONPYCACHEPREFIX": str(pycache), **extra}
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    return env


def measured(command: list[str], env: dict) -> tuple[float, str, float]:
    """(wall seconds, standard output, peak RSS in MB) of ``command``, a whole process started by the launcher;
    RuntimeError when it fails."""
    with tempfile.TemporaryDirectory(prefix="bench-launch-") as tmp:
        report = Path(tmp) / "report.json"
        output = subprocess.run([sys.executable, "-m", "benchmarks._process", str(report), *command], cwd=ROOT,
                                env=env, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True).stdout
        figures = json.loads(report.read_text())
    if figures["returncode"] != 0:
        raise RuntimeError(f"{' '.join(command)} exited with {figures['returncode']}")
    return figures["seconds"], output, figures["peak_rss_mb"]


def _launch(report: str, command: list[str]) -> None:
    started = time.perf_counter()
    pid = os.fork()
    if pid == 0:
        try:
            os.execvp(command[0], command)
        finally:
            os._exit(127)
    _pid, status, usage = os.wait4(pid, 0)
    seconds = time.perf_counter() - started
    Path(report).write_text(json.dumps({"seconds": seconds, "returncode": os.waitstatus_to_exitcode(status),
                                        "peak_rss_mb": usage.ru_maxrss / 1024}))


if __name__ == "__main__":
    _launch(sys.argv[1], sys.argv[2:])
