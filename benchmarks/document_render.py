"""Benchmark: generating a convention through the application's service against raw docxtpl, side by side.

app  = build the context from the manifest + render through the preparation cache + store (SHA-256, file)
raw  = docxtpl load + render (same sandboxed environment, autoescape on) + save

warm: the template version is already prepared; cold: a new version, prepared by the first render (a fresh
cache for each document). Both paths must give the same document text, checked before timing.
Prints ``BENCH document_render_warm …`` and ``BENCH document_render_cold …`` (INTERFACE.md, ``make bench``).
"""

import gc
import hashlib
import resource
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from registry.documents import TemplateCache, TemplateLibrary, build_context, render_convention  # noqa: E402
from registry.documents.render import render_with_docxtpl  # noqa: E402
from registry.documents.samples import SAMPLE_HOSPITAL, SAMPLE_PARTNERS, sample_value  # noqa: E402
from registry.documents.text import document_text  # noqa: E402

TEMPLATE = "second_recours"
ROUNDS = 4


def convention_context(manifest) -> dict:
    return build_context(
        manifest, reference="HDP-21-2027-0042", hospital=SAMPLE_HOSPITAL, partners=list(SAMPLE_PARTNERS),
        effective_date=date(2027, 1, 1), duration_months=60, signed_on=date(2026, 12, 15),
        territory="Auxois-Morvan", fields={spec.name: sample_value(spec) for spec in manifest.fields},
        clauses=manifest.clause_codes)


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
    template = TemplateLibrary(ROOT / "convention_templates").get(TEMPLATE)
    data, manifest = template.read(), template.manifest
    context = convention_context(manifest)
    store = Path(tempfile.mkdtemp(prefix="bench-documents-"))

    def app(cache: TemplateCache) -> bytes:
        document = render_convention(data, convention_context(manifest), cache=cache)
        (store / hashlib.sha256(document).hexdigest()).write_bytes(document)
        return document

    def raw() -> bytes:
        return render_with_docxtpl(data, context)

    warm_cache = TemplateCache()
    if document_text(app(warm_cache)) != document_text(raw()):
        raise SystemExit("document_render: the application and raw docxtpl give different documents")
    print(line("document_render_warm", *side_by_side(lambda: app(warm_cache), raw, 150, 25)))
    print(line("document_render_cold", *side_by_side(lambda: app(TemplateCache()), raw, 25, 25)))
    for path in store.iterdir():
        path.unlink()
    store.rmdir()


if __name__ == "__main__":
    main()
