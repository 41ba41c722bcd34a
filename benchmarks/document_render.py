"""Benchmark: generating a convention through the application's service against raw docxtpl, side by side.

app  = conventions.services.generate_draft on a real convention of a temporary database: context built from the
       registry + render through the preparation cache + bytes stored in the document store + draft row
raw  = docxtpl load + render (same sandboxed environment, autoescape on) + save, with the same context

warm: the template version is already prepared; cold: the preparation cache is emptied before each document.
Each app draft gets a different field value, so the store writes every document (no deduplication shortcut).
Both paths must give the same document text, checked before timing.
Prints ``BENCH document_render_warm …`` and ``BENCH document_render_cold …`` (docs/interface.md, ``make bench``).
"""

import gc
import shutil
import resource
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from registry.conventions.terms import ConventionTerms, Signatory  # noqa: E402
from registry.documents.cache import default_cache  # noqa: E402
from registry.documents.render import render_with_docxtpl  # noqa: E402
from registry.documents.text import document_text  # noqa: E402

TEMPLATE = "second_recours"
ROUNDS = 4


def make_convention(app):
    """A hospital, a second-recours partner and a convention drafted from the shipped template."""
    from registry.core.migrations import upgrade

    from registry.conventions.services import create_convention
    from registry.documents.versions import sync_shipped_templates
    from registry.extensions import db
    from registry.hospitals.models import HospitalProfile, Partnership
    from registry.organisations.models import Organisation

    upgrade()
    sync_shipped_templates()
    hospital_org = Organisation(finess_et="210987582", name="CH D'IS-SUR-TILLE", departement="21", region="27",
                                address="1 R DU GENERAL LECLERC", postal_code="21120", city="IS SUR TILLE")
    partner_org = Organisation(finess_et="210986089", name="CHU DIJON BOURGOGNE", departement="21", region="27",
                               category_code="101", postal_code="21000", city="DIJON")
    hospital = HospitalProfile(organisation=hospital_org, territory_departements=["21"])
    partnership = Partnership(hospital=hospital, partner=partner_org, partner_types=["second_recours"])
    db.session.add_all([hospital, partnership])
    db.session.flush()
    manifest_fields = {"specialties": ["Cardiologie", "Gériatrie"], "administrative_court": "Dijon",
                       "signing_place": "Is-sur-Tille", "ght_name": "GHT 21-52"}
    convention = create_convention(hospital, ConventionTerms(partnerships=[partnership],
        effective_date=date(2027, 1, 1), duration_months=60,
        signatories={hospital_org.id: Signatory("Marie Durand", "Directrice")}),
        template_code=TEMPLATE, fields=manifest_fields, clauses=["telemedecine", "plateau_technique"])
    db.session.commit()
    return convention


def side_by_side(app, raw, app_count: int, raw_count: int) -> tuple[float, float]:
    """Documents per second of each path: rounds alternate between them, the best round of each counts."""
    best = {"app": float("inf"), "raw": float("inf")}
    for _ in range(ROUNDS):
        for name, work, count in (("app", app, app_count), ("raw", raw, raw_count)):
            gc.collect()
            start = time.perf_counter()
            for _ in range(count):
                work()
            best[name] = min(best[name], (time.perf_counter() - start) / count)
    return 1 / best["app"], 1 / best["raw"]


def line(name: str, app: float, raw: float) -> str:
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return (f"BENCH {name} app={app:.1f} raw={raw:.1f} unit=docs/s ratio={app / raw:.2f} "
            f"peak_rss_mb={peak_mb:.0f}")


def main() -> None:
    from registry import create_app
    from registry.conventions.services import generate_draft
    from registry.documents.versions import template_bytes

    workdir = Path(tempfile.mkdtemp(prefix="bench-documents-"))
    app = create_app({"DATABASE_URL": f"sqlite:///{workdir / 'bench.sqlite3'}", "SECRET_KEY": "bench",
                      "STORAGE_DIR": str(workdir / "storage")}, instance_path=str(workdir / "instance"))
    with app.app_context():
        convention = make_convention(app)
        data = template_bytes(convention.template_version)
        counter = iter(range(10**9))

        def app_draft() -> bytes:
            convention.fields = {**convention.fields, "ght_name": f"GHT 21-52 n° {next(counter)}"}
            draft = generate_draft(convention)
            return draft

        first = app_draft()
        context = dict(first.context)

        def raw() -> bytes:
            return render_with_docxtpl(data, context)

        from registry.core.storage import document_store
        if document_text(document_store().read(first.sha256)) != document_text(raw()):
            raise SystemExit("document_render: the application and raw docxtpl give different documents")

        def cold():
            default_cache().clear()
            app_draft()

        print(line("document_render_warm", *side_by_side(app_draft, raw, 150, 25)))
        print(line("document_render_cold", *side_by_side(cold, raw, 25, 25)))
    shutil.rmtree(workdir)


if __name__ == "__main__":
    main()
