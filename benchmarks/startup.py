"""Start-up of the command line, whole process: `flask --app wsgi import-finess --help` (the application created,
every command registered, then the command's own help: all a command pays before its own work) against
`python -c 'import flask'`, side by side.

Both run with the same environment, in a fresh process each time, bytecode cached as on an installed machine (in
a temporary PYTHONPYCACHEPREFIX, so that the checkout is left as it is); one warm-up run each, then rounds that
alternate between them, the best of each counts (the run least disturbed by the rest of the machine). The
database is a temporary SQLite file: start-up does not touch it.

Prints ``BENCH startup app=<s> raw=<s> unit=s ratio=<raw/app> peak_rss_mb=<the command's own>`` and, on standard
error, the start-up over the anchor (goal: under 0.5 s) and the same for `flask --app wsgi --help`.
"""

import sys
import tempfile
from pathlib import Path

from benchmarks._process import installed_env, measured

ROUNDS = 9
ANCHOR = [sys.executable, "-c", "import flask"]
FLASK = [sys.executable, "-m", "flask", "--app", "wsgi"]


def side_by_side(commands: dict[str, list[str]], env: dict) -> tuple[dict[str, float], dict[str, float]]:
    """Best seconds and highest peak RSS (MB) of each command, each run a whole process of its own started by the
    launcher (benchmarks/_process.py), rounds alternating between them after one warm-up run each."""
    for command in commands.values():
        measured(command, env)
    seconds: dict[str, list[float]] = {name: [] for name in commands}
    peaks: dict[str, list[float]] = {name: [] for name in commands}
    for _round in range(ROUNDS):
        for name, command in commands.items():
            elapsed, _output, peak = measured(command, env)
            seconds[name].append(elapsed)
            peaks[name].append(peak)
    return ({name: min(values) for name, values in seconds.items()},
            {name: max(values) for name, values in peaks.items()})


def main() -> None:
    with tempfile.TemporaryDirectory(prefix="bench-startup-") as tmp:
        env = installed_env(Path(tmp) / "pycache", DATABASE_URL=f"sqlite:///{Path(tmp) / 'startup.sqlite3'}",
                            SECRET_KEY="bench", STORAGE_DIR=str(Path(tmp) / "storage"))
        best, peaks = side_by_side({"raw": ANCHOR, "app": [*FLASK, "import-finess", "--help"],
                                    "group_help": [*FLASK, "--help"]}, env)
    peak_mb = peaks["app"]
    app, raw = best["app"], best["raw"]
    print(f"startup: over the anchor, import-finess --help {app - raw:.3f} s, --help {best['group_help'] - raw:.3f} s"
          " (goal: under 0.5 s)", file=sys.stderr, flush=True)
    print(f"BENCH startup app={app:.3f} raw={raw:.3f} unit=s ratio={raw / app:.2f} peak_rss_mb={peak_mb:.0f}",
          flush=True)


if __name__ == "__main__":
    main()
