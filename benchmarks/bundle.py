"""Benchmark: a bundle of 1,000 signed PDFs of about 300 KB through the application against stdlib zipfile.

app = registry.bundles: make_bundle() for the region, as the `bundle` command makes it (the scoped query,
      manifests, conformite.csv evaluated by the compliance adapter, LISEZMOI.txt), then the streamed ZIP (each
      copy with the CRC-32 recorded at its upload, as registry/conventions/signed_copies.py records it) consumed
      chunk by chunk into a file, in a fresh process (so its peak memory is its own; the figure is the whole
      process's, application loaded included), whose cycle collector is settled once the application is
      loaded, as wsgi.py settles it (registry/core/collector.py)
raw = zipfile.ZipFile(..., ZIP_STORED).write(path, arcname) of the same stored files into a file

Throughput is the PDFs' bytes per second (MB = 2**20 bytes), the best of ROUNDS alternated rounds each. Each round
writes a new file (the previous round's is removed first), as the `bundle` command writes a new temporary file and
renames it: writing over the previous round's 300 MB in place made a round wait on the kernel's handling of that
file's pages (plain reads and writes of the same copies took 0.36-0.55 s over an old file, 0.14-0.22 s into a new
one), a cost both sides paid at random.
Prints ``BENCH bundle app=<MB/s> raw=<MB/s> unit=MB/s ratio=<app/raw> peak_rss_mb=<app peak>``; targets: ratio
at least 0.8 and peak under 100 MB. The temporary database, store and ZIPs are removed at the end.
"""

import hashlib
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
import zipfile
import zlib
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from benchmarks._process import own_peak_rss_mb  # noqa: E402

FILES = 1000
PDF_SIZE = 300 * 1024
HOSPITALS = 10
#: Five, as the draft benchmark: this machine runs at two speeds (the same CPU-bound part of a bundle took 1.6 times
#: as long in some runs as in others), and three rounds of a side all fell on the slow one now and then.
ROUNDS = 5
MB = 1024 * 1024


def _app(workdir: Path, *, as_command: bool = False):
    """The application; ``as_command``: as `flask --app wsgi bundle` has it (pages and API left unregistered)."""
    from registry import create_app

    return create_app({"DATABASE_URL": f"sqlite:///{workdir / 'bench.sqlite3'}", "SECRET_KEY": "bench",
                       "STORAGE_DIR": str(workdir / "storage")}, instance_path=str(workdir / "instance"),
                      defer_web_part=as_command)


def _pdf(number: int, filler: bytes) -> bytes:
    """A PDF of about PDF_SIZE bytes whose content is its own (the number is in the stream)."""
    stream = f"% copie signée n° {number:06d}\n".encode() + filler
    return (b"%PDF-1.7\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n"
            b"2 0 obj << /Type /Pages /Kids [3 0 R] /Count 1 >> endobj\n"
            b"3 0 obj << /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R >> endobj\n"
            + f"4 0 obj << /Length {len(stream)} >> stream\n".encode() + stream
            + b"\nendstream endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n")


def build(workdir: Path) -> None:
    """1,000 signed conventions of 10 hospitals in two départements of region 27, each with its stored copy."""
    from registry.core.migrations import upgrade

    from registry.conventions.models import KIND_SIGNED, Convention, ConventionDocument, ConventionParty
    from registry.core.storage import document_store
    from registry.extensions import db
    from registry.hospitals.models import HospitalProfile
    from registry.organisations.models import Organisation

    app = _app(workdir)
    with app.app_context():
        upgrade()
        store, filler = document_store(), os.urandom(PDF_SIZE)
        hospitals = [HospitalProfile(organisation=Organisation(
            finess_et=f"{21 if n % 2 else 58}{n:07d}", name=f"CENTRE HOSPITALIER {n}", departement="21" if n % 2 else "58",
            region="27"), territory_departements=["21"]) for n in range(HOSPITALS)]
        partners = [Organisation(finess_et=f"21{900000 + n:07d}", name=f"EHPAD DE LA VALLÉE {n}", departement="21",
                                 region="27", category_code="500") for n in range(50)]
        db.session.add_all(hospitals + partners)
        db.session.flush()
        report = {"label": "intègre, certificat non vérifié", "signatures": [
            {"signer": "Marie Durand", "signing_time": "2026-05-04T10:00:00+00:00",
             "label": "intègre, certificat non vérifié"}]}
        for number in range(FILES):
            hospital = hospitals[number % HOSPITALS]
            data = _pdf(number, filler)
            sha256 = hashlib.sha256(data).hexdigest()
            path = store.path_for(sha256)  # written without fsync: this is set-up, not measured
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(data)
            convention = Convention(
                reference=f"{hospital.organisation.finess_et}-2026-{number:04d}", hospital=hospital, year=2026,
                number=number, title="Convention de partenariat", status="signee", partner_types=["ehpad"],
                themes=[], effective_date=date(2026, 1, 1), duration_months=60, signed_on=date(2025, 12, 1),
                parties=[ConventionParty(organisation=hospital.organisation, role="hospital", position=0),
                         ConventionParty(organisation=partners[number % 50], role="partner", position=1)],
                documents=[ConventionDocument(kind=KIND_SIGNED, version=1, sha256=sha256, size=len(data),
                                              crc32=zlib.crc32(data),  # as attach_signed_copy records it
                                              filename="copie.pdf", media_type="application/pdf",
                                              signature_report=report)])
            db.session.add(convention)
        db.session.commit()
        db.engine.dispose()


def run_app(workdir: Path, output: Path) -> dict:
    """In a fresh process: the region's bundle, gathered and streamed into ``output``."""
    from registry.bundles.bundle import make_bundle
    from registry.bundles.scope import BundleScope, CommandLine
    from registry.core import collector

    app = _app(workdir, as_command=True)  # the actor is the command line (CommandLine below)
    collector.settle()  # as wsgi.py does once the application is loaded
    with app.app_context():
        before = own_peak_rss_mb()
        started = time.perf_counter()
        bundle = make_bundle(BundleScope.of(region="27"), CommandLine(), made_by="benchmark")
        with open(output, "wb") as handle:
            for chunk in bundle.stream():
                handle.write(chunk)
        elapsed = time.perf_counter() - started
        return {"seconds": elapsed, "payload": bundle.total_size, "files": len(bundle.files),
                "rss_before_mb": before, "peak_rss_mb": own_peak_rss_mb()}


def run_raw(store: Path, output: Path) -> tuple[float, int]:
    files = sorted(path for path in store.rglob("*") if path.is_file())
    started = time.perf_counter()
    with zipfile.ZipFile(output, "w", compression=zipfile.ZIP_STORED) as archive:
        for path in files:
            archive.write(path, f"copies/{path.name}.pdf")
    return time.perf_counter() - started, sum(path.stat().st_size for path in files)


def _child(*arguments: str) -> dict:
    done = subprocess.run([sys.executable, "-m", "benchmarks.bundle", *arguments], cwd=ROOT, capture_output=True,
                          text=True, check=False)
    if done.returncode != 0:
        raise RuntimeError(f"bundle benchmark child {arguments[0]} failed:\n{done.stderr[-3000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def main() -> None:
    workdir = Path(tempfile.mkdtemp(prefix="bench-bundle-"))
    try:
        _child("--build", str(workdir))
        app_runs, raw_runs = [], []
        for _ in range(ROUNDS):
            (workdir / "app.zip").unlink(missing_ok=True)
            app_runs.append(_child("--app", str(workdir)))
            (workdir / "raw.zip").unlink(missing_ok=True)
            raw_runs.append(run_raw(workdir / "storage", workdir / "raw.zip"))
        payload = app_runs[0]["payload"]
        if app_runs[0]["files"] != FILES or raw_runs[0][1] != payload:
            raise RuntimeError(f"the two sides did not write the same files: {app_runs[0]}, {raw_runs[0]}")
        app_speed = payload / MB / min(run["seconds"] for run in app_runs)
        raw_speed = payload / MB / min(seconds for seconds, _ in raw_runs)
        peak = max(run["peak_rss_mb"] for run in app_runs)
        print(f"BENCH bundle app={app_speed:.0f} raw={raw_speed:.0f} unit=MB/s ratio={app_speed / raw_speed:.2f} "
              f"peak_rss_mb={peak:.0f}", flush=True)
        print(f"bundle: {FILES} PDFs, {payload / MB:.0f} MB; the app process's RSS was "
              f"{max(run['rss_before_mb'] for run in app_runs):.0f} MB once the application was loaded, before the "
              "bundle", file=sys.stderr)
    finally:
        shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] == "--build":
        build(Path(sys.argv[2]))
        print(json.dumps({"built": sys.argv[2]}))
    elif len(sys.argv) == 3 and sys.argv[1] == "--app":
        print(json.dumps(run_app(Path(sys.argv[2]), Path(sys.argv[2]) / "app.zip")))
    else:
        main()
