"""Previews of a draft: HTML (mammoth, cleaned, hostile values inert) and PDF through LibreOffice or its absence."""

import os
import re
import stat
import threading
import time

import pytest

from registry.conventions.preview import PDF_UNAVAILABLE
from tests.web.conftest import page, text
from tests.web.convention_helpers import create_through_the_form, drafting  # noqa: F401

HOSTILE = '<script>alert("x")</script><img src=x onerror=alert(1)> & {{ config }}'


def minimal_pdf() -> bytes:
    """A one-page PDF with a correct cross-reference table."""
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
               b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>"]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


@pytest.fixture
def fake_soffice(tmp_path, monkeypatch):
    """A `soffice` first on PATH that records its arguments and writes a small PDF into --outdir.

    fake_soffice("sleep") hangs, fake_soffice("fail") exits 1 without output.
    """
    folder = tmp_path / "fake-bin"
    folder.mkdir()
    (folder / "sample.pdf").write_bytes(minimal_pdf())

    def install(behaviour: str = "convert"):
        action = {"convert": f'cp "{folder}/sample.pdf" "$outdir/$(basename "$source" .docx).pdf"',
                  "sleep": "sleep 30", "fail": "exit 1"}[behaviour]
        script = folder / "soffice"
        script.write_text(f"""#!/bin/sh
echo "$@" > "{folder}/arguments"
outdir=""; source=""
while [ $# -gt 0 ]; do
  if [ "$1" = "--outdir" ]; then outdir="$2"; shift; fi
  source="$1"; shift
done
{action}
""")
        script.chmod(script.stat().st_mode | stat.S_IXUSR)
        monkeypatch.setenv("PATH", f"{folder}{os.pathsep}{os.environ['PATH']}")
        return folder / "arguments"
    return install


@pytest.fixture
def no_soffice(tmp_path, monkeypatch):
    empty = tmp_path / "empty-bin"
    empty.mkdir()
    monkeypatch.setenv("PATH", str(empty))


@pytest.fixture
def hostile_convention(client, drafting, login):
    login(drafting.staff)
    return create_through_the_form(client, drafting, "second_recours", champ_ght_name=HOSTILE,
                                   title=f"Convention {HOSTILE}")


def test_html_preview_shows_the_draft_inside_the_page(client, drafting, hostile_convention):
    response = client.get(f"/conventions/{hostile_convention.id}/projets/1/apercu")
    words = text(response)
    assert response.status_code == 200
    assert "Aperçu du projet v1" in words and "CONVENTION DE PARTENARIAT" in words
    assert "CHU Dijon Bourgogne" in words and drafting.hospital.finess_et in words  # the draft's typography
    assert "Article 1 – Objet" in words  # Word's heading numbering, which mammoth leaves out
    assert "1er janvier 2027" in words
    policy = response.headers["Content-Security-Policy"]
    assert "default-src 'self'" in policy and "unsafe-inline" not in policy  # a second line of defence


def test_html_preview_keeps_hostile_values_inert(client, hostile_convention):
    body = client.get(f"/conventions/{hostile_convention.id}/projets/1/apercu").get_data(as_text=True)
    document_part = body.split('<div class="card-body p-4 p-lg-5">', 1)[1]
    assert ('territoire &lt;script&gt;alert("x")&lt;/script&gt;&lt;img src=x onerror=alert(1)&gt; &amp; {{ config }}'
            in document_part)  # the field's value, as text
    assert "<script>" not in body and "<img" not in body
    assert "SECRET_KEY" not in body and "test-secret-key" not in body
    assert body.count("<script") == body.count('<script src="/')  # only the site's own scripts


def test_pdf_preview_converts_with_libreoffice(client, hostile_convention, fake_soffice):
    arguments = fake_soffice()
    words = text(client.get(f"/conventions/{hostile_convention.id}"))
    assert PDF_UNAVAILABLE not in words
    link = re.search(r'<a [^>]*href="/conventions/\d+/projets/1\.pdf"[^>]*>.*?</a>',
                     page(client.get(f"/conventions/{hostile_convention.id}")), re.S).group(0)
    assert 'target="_blank" rel="noopener"' in link  # a new tab, said to screen readers
    assert "PDF du projet v1 (s'ouvre dans un nouvel onglet)" in " ".join(re.sub(r"<[^>]+>", " ", link).split())
    response = client.get(f"/conventions/{hostile_convention.id}/projets/1.pdf")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    assert response.data == minimal_pdf()
    assert response.headers["Content-Disposition"].startswith("inline;")
    assert response.headers["Content-Disposition"].endswith('projet v1.pdf"')
    called = arguments.read_text()
    assert "--headless --convert-to pdf --outdir" in called and called.strip().endswith("projet.docx")


def test_pdf_preview_without_libreoffice_says_why(client, hostile_convention, no_soffice):
    page_words = text(client.get(f"/conventions/{hostile_convention.id}"))
    assert PDF_UNAVAILABLE in page_words
    body = page(client.get(f"/conventions/{hostile_convention.id}"))
    assert f'disabled title="{PDF_UNAVAILABLE}"' in body
    assert f"/conventions/{hostile_convention.id}/projets/1.pdf" not in body
    response = client.get(f"/conventions/{hostile_convention.id}/projets/1.pdf")
    assert response.status_code == 503 and PDF_UNAVAILABLE in text(response)


@pytest.mark.parametrize("app_config", [{"PDF_PREVIEW_TIMEOUT": 1}])
def test_pdf_preview_that_hangs_is_stopped(client, hostile_convention, fake_soffice):
    fake_soffice("sleep")
    response = client.get(f"/conventions/{hostile_convention.id}/projets/1.pdf")
    assert response.status_code == 503 and "la conversion a dépassé 1 seconde." in text(response)


def test_pdf_preview_that_fails_says_so(client, hostile_convention, fake_soffice):
    fake_soffice("fail")
    response = client.get(f"/conventions/{hostile_convention.id}/projets/1.pdf")
    assert response.status_code == 503 and "LibreOffice n'a pas pu convertir le projet" in text(response)


def test_a_draft_is_converted_once(client, hostile_convention, fake_soffice):
    arguments = fake_soffice()
    url = f"/conventions/{hostile_convention.id}/projets/1.pdf"
    assert client.get(url).data == minimal_pdf()
    arguments.unlink()
    again = client.get(url)
    assert again.status_code == 200 and again.data == minimal_pdf()
    assert not arguments.exists()  # served from the kept PDF: LibreOffice did not run


def test_conversions_run_a_few_at_a_time(app, monkeypatch):
    from registry.conventions import pdf_previews

    running, most = [0], [0]
    lock = threading.Lock()

    def slow_conversion(data):
        with lock:
            running[0] += 1
            most[0] = max(most[0], running[0])
        time.sleep(0.3)
        with lock:
            running[0] -= 1
        return b"%PDF-1.4 " + data

    monkeypatch.setattr(pdf_previews, "docx_to_pdf", slow_conversion)
    results = []

    def convert(number):
        with app.app_context():
            results.append(pdf_previews.draft_pdf(f"{number:064x}", lambda: str(number).encode()))

    threads = [threading.Thread(target=convert, args=(number,)) for number in range(5)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert len(results) == 5 and most[0] == 2


@pytest.mark.parametrize("app_config", [{"PDF_CONVERSIONS": 1, "PDF_QUEUE_SECONDS": 0.2}])
def test_every_slot_busy_answers_retry_later(app, monkeypatch):
    from registry.conventions import pdf_previews
    from registry.conventions.preview import PreviewUnavailable

    started, release = threading.Event(), threading.Event()

    def held_conversion(data):
        started.set()
        release.wait(10)
        return b"%PDF-1.4"

    monkeypatch.setattr(pdf_previews, "docx_to_pdf", held_conversion)

    def first():
        with app.app_context():
            pdf_previews.draft_pdf("a" * 64, lambda: b"a")

    thread = threading.Thread(target=first)
    thread.start()
    started.wait(10)
    try:
        with pytest.raises(PreviewUnavailable, match="réessayez dans un instant"):
            pdf_previews.draft_pdf("b" * 64, lambda: b"b")
    finally:
        release.set()
        thread.join(timeout=10)
