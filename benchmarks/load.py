"""A mixed load of signed-in users on the production server (`make serve`: gunicorn, PRODUCTION mode), next to the
same load on the development server (`flask run`), on PostgreSQL when one answers (else SQLite).

The demo region is loaded into a scratch database; 1, 20 then 50 clients (threads of this process, each its own
client address through X-Forwarded-For, signed in as the juriste, the ARS or the administrator in turn) request
the main pages in a loop for SECONDS each. Counted: requests per second, p50/p95/p99 latency, errors (any answer
other than 200, or no answer), and the resident memory of each server process at the end.

Prints ``BENCH load server=<gunicorn|flask-run> clients=<n> rps=<r> p50_ms=<ms> p95_ms=<ms> p99_ms=<ms>
errors=<n> requests=<n> rss_mb=<worker RSS, comma-separated>`` per level, and the p95 of each page on standard
error. LOAD_SECONDS, LOAD_CLIENTS ("1,20,50"), LOAD_DATABASE_URL (a PostgreSQL server URL to create the scratch
database on) change the run.
"""

import http.client
import os
import re
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
SECONDS = float(os.environ.get("LOAD_SECONDS", "20"))
LEVELS = [int(n) for n in os.environ.get("LOAD_CLIENTS", "1,20,50").split(",")]
POSTGRES = os.environ.get("LOAD_DATABASE_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")
ACCOUNTS = [("juriste@demo.fr", "demo-hopital-2026"), ("ars@demo.fr", "demo-ars-bfc-2026"),
            ("admin@demo.fr", "demo-admin-2026")]
PAGES = {
    "accueil": "/",
    "hopital": "/hopitaux/210987582",
    "conformite_hopital": "/hopitaux/210987582/conformite",
    "conformite": "/conformite",
    "conventions": "/conventions",
    "echeances": "/conventions/echeances",
    "finess": "/etablissements/?q=ehpad",
    "cpom": "/cpom/campagne",
}


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def scratch_database(tmp: Path) -> tuple[str, callable]:
    """A new PostgreSQL database beside POSTGRES when it answers (dropped at the end), else a SQLite file."""
    try:
        from sqlalchemy import create_engine, text

        admin = create_engine(POSTGRES, isolation_level="AUTOCOMMIT")
        name = f"bench_load_{os.getpid()}"
        with admin.connect() as connection:
            connection.execute(text(f'CREATE DATABASE "{name}"'))
        url = POSTGRES.rsplit("/", 1)[0] + "/" + name

        def drop():
            with admin.connect() as connection:
                connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
            admin.dispose()
        return url, drop
    except Exception as exc:  # noqa: BLE001 - no PostgreSQL here: the embedded default
        print(f"load: PostgreSQL unavailable ({type(exc).__name__}), SQLite instead", file=sys.stderr)
        return f"sqlite:///{tmp / 'load.sqlite3'}", lambda: None


class Client(threading.Thread):
    """One user: signs in (its own client address), then requests the pages in turn until told to stop."""

    def __init__(self, port: int, number: int, stop: threading.Event, results: list):
        super().__init__(daemon=True)
        self.port, self.number, self.stop, self.results = port, number, stop, results
        self.signed_in = threading.Event()
        self.address = f"10.{number // 250}.{number % 250}.7"
        self.cookies: dict[str, str] = {}

    def request(self, method: str, path: str, body: str | None = None) -> tuple[int, bytes]:
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
        headers = {"X-Forwarded-For": self.address, "X-Forwarded-Proto": "https",
                   "Referer": f"https://127.0.0.1:{self.port}/connexion",  # the CSRF check's on HTTPS
                   "Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())}
        if body is not None:
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        try:
            connection.request(method, path, body=body, headers=headers)
            response = connection.getresponse()
            data = response.read()
            for header, value in response.getheaders():
                if header.lower() == "set-cookie":
                    name, _, rest = value.partition("=")
                    self.cookies[name] = rest.split(";", 1)[0]
            return response.status, data
        finally:
            connection.close()

    def sign_in(self) -> None:
        email, password = ACCOUNTS[self.number % len(ACCOUNTS)]
        _, page = self.request("GET", "/connexion")
        token = re.search(rb'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1).decode()
        status, _ = self.request("POST", "/connexion", urllib.parse.urlencode(
            {"csrf_token": token, "email": email, "password": password}))
        if status != 302:
            raise RuntimeError(f"sign-in of {email} answered {status}")

    def run(self) -> None:
        try:
            self.sign_in()
        except (OSError, RuntimeError, AttributeError):
            self.results.append(("connexion", 0.0, 0))  # counted as an error
            return
        finally:
            self.signed_in.set()
        names = list(PAGES)
        turn = self.number
        while not self.stop.is_set():
            name = names[turn % len(names)]
            turn += 1
            started = time.perf_counter()
            try:
                status, _ = self.request("GET", PAGES[name])
            except OSError as error:
                status = f"no answer ({type(error).__name__})"
            self.results.append((name, time.perf_counter() - started, status))


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))] if ordered else 0.0


def rss_mb(pid: int) -> list[int]:
    """Resident memory of a server process and of its children (gunicorn's workers), in MB."""
    pids = [pid] + [int(child) for child in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]
    sizes = []
    for each in pids:
        status = Path(f"/proc/{each}/status").read_text()
        sizes.append(int(re.search(r"VmRSS:\s+(\d+)", status).group(1)) // 1024)
    return sizes


def wait_until_serving(port: int, process: subprocess.Popen) -> None:
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"the server stopped: {process.stdout.read() if process.stdout else ''}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return
        except OSError:
            time.sleep(0.3)
    raise RuntimeError("the server did not start")


def measure(server: str, command: list[str], env: dict, log: Path) -> None:
    """The load levels on one server, whose standard error goes to ``log`` (shown where a level had errors)."""
    port = free_port()
    command = [part.replace("{port}", str(port)) for part in command]
    with open(log, "wb") as server_errors:
        process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=server_errors,
                                   start_new_session=True)
    try:
        wait_until_serving(port, process)
        for clients in LEVELS:
            stop, results = threading.Event(), []
            threads = [Client(port, number, stop, results) for number in range(clients)]
            for thread in threads:
                thread.start()
            for thread in threads:  # the window starts once every client has signed in
                thread.signed_in.wait(120)
            del results[:]
            time.sleep(SECONDS)
            stop.set()
            for thread in threads:
                thread.join(90)
            latencies = [seconds for _, seconds, _ in results]
            errors = sum(1 for _, _, status in results if status != 200)
            print(f"BENCH load server={server} clients={clients} rps={len(results) / SECONDS:.1f} "
                  f"p50_ms={percentile(latencies, .50) * 1000:.0f} p95_ms={percentile(latencies, .95) * 1000:.0f} "
                  f"p99_ms={percentile(latencies, .99) * 1000:.0f} errors={errors} requests={len(results)} "
                  f"rss_mb={','.join(str(n) for n in rss_mb(process.pid))}", flush=True)
            pages = ", ".join(f"{name} {percentile([s for n, s, _ in results if n == name], .95) * 1000:.0f}"
                              for name in PAGES)
            print(f"load: {server} {clients} clients, p95 per page (ms): {pages}; median "
                  f"{statistics.median(latencies) * 1000 if latencies else 0:.0f} ms", file=sys.stderr, flush=True)
            if errors:
                report_errors(server, clients, results, log)
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(30)


#: Lines of a server's standard error that say something went wrong (gunicorn's error log, the application's).
TROUBLE = re.compile(r"Traceback|Error|ERROR|CRITICAL|WARNING|Worker timeout|was sent|exited")


def report_errors(server: str, clients: int, results: list, log: Path) -> None:
    """On standard error: the answers other than 200, by page and status, and what the server said went wrong."""
    counts: dict[tuple[str, object], int] = {}
    for name, _, status in results:
        if status != 200:
            counts[name, status] = counts.get((name, status), 0) + 1
    print(f"load: {server} {clients} clients, errors: "
          + ", ".join(f"{name} {status} x{count}" for (name, status), count in sorted(counts.items(), key=str)),
          file=sys.stderr, flush=True)
    trouble = [line for line in log.read_text(errors="replace").splitlines() if TROUBLE.search(line)]
    for line in trouble[-40:]:
        print(f"load: {server} said: {line}", file=sys.stderr, flush=True)


def main() -> None:
    with tempfile.TemporaryDirectory(prefix="bench-load-") as tmp:
        url, drop = scratch_database(Path(tmp))
        env = {**os.environ, "DATABASE_URL": url, "SECRET_KEY": "bench-load-secret", "STORAGE_DIR": f"{tmp}/storage",
               "PROXY_FIX": "1", "LOGIN_RATE_LIMIT": "100 per minute", "SESSION_IDLE_MINUTES": "0"}
        try:
            flask = [str(BIN / "flask"), "--app", "wsgi"]
            subprocess.run([*flask, "init-db"], cwd=ROOT, env=env, check=True, stdout=subprocess.DEVNULL)
            subprocess.run([*flask, "demo-data"], cwd=ROOT, env=env, check=True, stdout=subprocess.DEVNULL)
            measure("gunicorn", [str(BIN / "gunicorn"), "--bind", "127.0.0.1:{port}", "--workers", "2",
                                 "--threads", "4", "--forwarded-allow-ips", "127.0.0.1", "wsgi:app"],
                    {**env, "PRODUCTION": "1"}, Path(tmp) / "gunicorn.log")
            measure("flask-run", [*flask, "run", "--port", "{port}"], env, Path(tmp) / "flask-run.log")
        finally:
            drop()


if __name__ == "__main__":
    main()
