"""A draft as an API user waits for it: ``POST /api/v1/conventions/{id}/drafts``, the whole request through the
production server (gunicorn as `make serve` runs it, PRODUCTION mode, SQLite), against raw docxtpl loading,
rendering and saving the same template with the same context, side by side in the same run.

The request does everything a user's does: bearer token, scope, lock, context from the registry, render (in the
server's resident render child), the .docx stored, the draft row and its audit row committed, the file sent back.
Each request changes a field first (PATCH, not timed), so that every draft is a new document; the rounds alternate
between the two paths and the best round of each counts (the one least disturbed by the rest of the machine).

Prints ``BENCH draft_request app=<ms> raw=<ms> unit=ms ratio=<raw/app> peak_rss_mb=<server's>`` (goal: ratio >= 3).
"""

import http.client
import json
import os
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from benchmarks.document_render import make_convention  # noqa: E402
from benchmarks.load import free_port, rss_mb, wait_until_serving  # noqa: E402

BIN = Path(sys.executable).parent
ROUNDS = 5
PER_ROUND = 20


def prepare(workdir: Path, env: dict) -> tuple[int, str, bytes, dict]:
    """The convention, an API token of the hospital's user, the template's bytes and a draft's context."""
    from registry import create_app
    from registry.accounts.services import create_token, create_user
    from registry.conventions.services import generate_draft
    from registry.documents.versions import template_bytes
    from registry.extensions import db

    app = create_app({"DATABASE_URL": env["DATABASE_URL"], "SECRET_KEY": env["SECRET_KEY"],
                      "STORAGE_DIR": env["STORAGE_DIR"]}, instance_path=str(workdir / "instance"))
    with app.app_context():
        convention = make_convention(app)
        user = create_user("juriste@bench.fr", "un mot de passe assez long", "hospital",
                           finess=[convention.hospital.organisation.finess_et])
        token = create_token(user)
        context = dict(generate_draft(convention).context)
        db.session.commit()
        result = convention.id, token, template_bytes(convention.template_version), context
        db.engine.dispose()
    return result


def main() -> None:
    from registry.documents.render import render_with_docxtpl

    with tempfile.TemporaryDirectory(prefix="bench-draft-") as tmp:
        workdir = Path(tmp)
        env = {**os.environ, "DATABASE_URL": f"sqlite:///{workdir / 'bench.sqlite3'}", "SECRET_KEY": "bench-drafts",
               "STORAGE_DIR": str(workdir / "storage"), "PRODUCTION": "1", "API_RATE_LIMIT": "100000 per minute"}
        convention_id, token, template, context = prepare(workdir, env)
        port = free_port()
        server = subprocess.Popen([str(BIN / "gunicorn"), "--bind", f"127.0.0.1:{port}", "--workers", "2",
                                   "--threads", "4", "wsgi:app"], cwd=ROOT, env=env, stdout=subprocess.DEVNULL,
                                  stderr=subprocess.DEVNULL, start_new_session=True)
        try:
            wait_until_serving(port, server)
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
            headers = {"Authorization": f"Bearer {token}"}
            counter = iter(range(10**9))

            def request(method: str, path: str, body: dict | None = None) -> bytes:
                extra = {"Content-Type": "application/json"} if body is not None else {}
                connection.request(method, f"/api/v1{path}", body=json.dumps(body) if body is not None else None,
                                   headers={**headers, **extra})
                response = connection.getresponse()
                data = response.read()
                if response.status not in (200, 201):
                    raise RuntimeError(f"{method} {path} answered {response.status}: {data[:300]!r}")
                return data

            def app_round() -> float:
                spent = 0.0
                for _ in range(PER_ROUND):
                    request("PATCH", f"/conventions/{convention_id}",
                            {"fields": {"ght_name": f"GHT 21-52 n° {next(counter)}"}})
                    started = time.perf_counter()
                    request("POST", f"/conventions/{convention_id}/drafts")
                    spent += time.perf_counter() - started
                return spent / PER_ROUND

            def raw_round() -> float:
                started = time.perf_counter()
                for _ in range(PER_ROUND):
                    render_with_docxtpl(template, context)
                return (time.perf_counter() - started) / PER_ROUND

            app_round(), raw_round()  # warm-up: the workers' first drafts, docxtpl's first load
            best = {"app": float("inf"), "raw": float("inf")}
            for _ in range(ROUNDS):
                best["app"] = min(best["app"], app_round())
                best["raw"] = min(best["raw"], raw_round())
            peak = max(rss_mb(server.pid))
            connection.close()  # else gunicorn waits for the kept-alive connection before stopping
        finally:
            os.killpg(server.pid, signal.SIGTERM)
            server.wait(30)
    app_ms, raw_ms = best["app"] * 1000, best["raw"] * 1000
    print(f"BENCH draft_request app={app_ms:.1f} raw={raw_ms:.1f} unit=ms ratio={raw_ms / app_ms:.2f} "
          f"peak_rss_mb={peak}", flush=True)


if __name__ == "__main__":
    main()
