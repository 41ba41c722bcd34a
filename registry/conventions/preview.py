"""Previews of a stored draft: HTML through mammoth (then cleaned), PDF through LibreOffice when it is installed.

mammoth escapes the document's text; the tree it builds is still cleaned against a short list of tags and
attributes, because a template uploaded by an administrator may carry links (``javascript:``) or odd parts.
"""

import io
import os
import re
import shutil
import signal
import subprocess
import tempfile
import zipfile
from pathlib import Path

import lxml.html
from flask import current_app
from lxml import etree
from markupsafe import Markup

from registry.core.errors import DomainError

PDF_UNAVAILABLE = "Aperçu PDF indisponible : LibreOffice n'est pas installé sur le serveur"
PDF_TIMEOUT_SECONDS = 60

#: Word styles of the shipped templates, one level below the page's own title (h1).
STYLE_MAP = """
p[style-name='Title'] => h2:fresh
p[style-name='Subtitle'] => p.lead:fresh
p[style-name='Intertitre'] => h3:fresh
p[style-name='heading 1'] => h3.article:fresh
p[style-name='heading 2'] => h4:fresh
p[style-name='heading 3'] => h5:fresh
"""
ALLOWED_TAGS = {"p", "h2", "h3", "h4", "h5", "h6", "strong", "em", "u", "s", "sup", "sub", "ul", "ol", "li",
                "table", "thead", "tbody", "tr", "td", "th", "br", "a", "img", "span", "div"}
#: Dropped with their content; any other unknown tag is unwrapped (its text kept).
DROPPED_TAGS = {"script", "style", "iframe", "object", "embed", "form", "input", "button", "textarea", "select",
                "svg", "math", "link", "meta", "base", "noscript", "template"}
ALLOWED_CLASSES = {"lead"}
SAFE_HREF = re.compile(r"(https?://|mailto:|#)", re.IGNORECASE)
SAFE_IMAGE = re.compile(r"data:image/(png|jpeg|gif|bmp|webp);base64,", re.IGNORECASE)
ANCHOR_ID = re.compile(r"(footnote|endnote|comment)(-ref)?-\d+")
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


class PreviewUnavailable(DomainError):
    status = 503
    code = "unavailable"


def _article_label(data: bytes) -> str | None:
    """The numbering text of the « heading 1 » style (« Article %1 – »), which mammoth does not reproduce."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as package:
            styles = etree.fromstring(package.read("word/styles.xml"))
            numbering = etree.fromstring(package.read("word/numbering.xml"))
    except (KeyError, zipfile.BadZipFile, etree.XMLSyntaxError):
        return None
    num_id = styles.find(f"{W}style[@{W}styleId='Heading1']/{W}pPr/{W}numPr/{W}numId")
    if num_id is None:
        return None
    abstract = numbering.find(f"{W}num[@{W}numId='{num_id.get(W + 'val')}']/{W}abstractNumId")
    if abstract is None:
        return None
    text = numbering.find(f"{W}abstractNum[@{W}abstractNumId='{abstract.get(W + 'val')}']/{W}lvl[@{W}ilvl='0']/"
                          f"{W}lvlText")
    return text.get(W + "val") if text is not None and "%1" in (text.get(W + "val") or "") else None


def _clean(element, article_label: str | None, counter: list[int]) -> None:
    for child in list(element):
        if not isinstance(child.tag, str) or child.tag in DROPPED_TAGS:
            child.drop_tree()
            continue
        _clean(child, article_label, counter)
        if child.tag == "h1":
            child.tag = "h2"
        if child.tag not in ALLOWED_TAGS:
            child.drop_tag()
            continue
        classes = set((child.get("class") or "").split())
        if "article" in classes and article_label:
            counter[0] += 1
            child.text = f"{article_label.replace('%1', str(counter[0]))} {child.text or ''}"
        kept = {}
        for name, value in child.attrib.items():
            if (name == "href" and child.tag == "a" and SAFE_HREF.match(value.strip())) \
                    or (name == "src" and child.tag == "img" and SAFE_IMAGE.match(value.strip())) \
                    or (name == "alt" and child.tag == "img") \
                    or (name in ("colspan", "rowspan") and value.isdigit()) \
                    or (name == "id" and ANCHOR_ID.fullmatch(value)):
                kept[name] = value
        if classes & ALLOWED_CLASSES:
            kept["class"] = " ".join(sorted(classes & ALLOWED_CLASSES))
        if child.tag == "table":
            kept["class"] = "table table-sm table-bordered"
        child.attrib.clear()
        child.attrib.update(kept)


def clean_html(html: str, article_label: str | None = None) -> Markup:
    """Only the tags and attributes a document preview needs; Heading 1 paragraphs numbered as in Word."""
    root = lxml.html.fragment_fromstring(html or "<p></p>", create_parent="div")
    _clean(root, article_label, [0])
    leading = str(Markup.escape(root.text)) if root.text else ""
    return Markup(leading + "".join(lxml.html.tostring(child, encoding="unicode") for child in root))


def docx_to_html(data: bytes) -> Markup:
    """The draft as HTML for the browser: its text, headings, lists and tables (no page layout)."""
    import mammoth  # loaded on first preview, not at start-up

    result = mammoth.convert_to_html(io.BytesIO(data), style_map=STYLE_MAP)
    return clean_html(result.value, _article_label(data))


def soffice() -> str | None:
    """LibreOffice's converter, when it is installed on the server."""
    return shutil.which("soffice")


def docx_to_pdf(data: bytes, *, timeout: float | None = None) -> bytes:
    """Convert a .docx with LibreOffice in a scratch folder of its own; PreviewUnavailable (503) says why not."""
    program = soffice()
    if program is None:
        raise PreviewUnavailable(PDF_UNAVAILABLE)
    timeout = timeout or current_app.config.get("PDF_PREVIEW_TIMEOUT", PDF_TIMEOUT_SECONDS)
    with tempfile.TemporaryDirectory(prefix="apercu-pdf-") as scratch:
        folder = Path(scratch)
        source, outdir = folder / "projet.docx", folder / "pdf"
        source.write_bytes(data)
        outdir.mkdir()
        command = [program, f"-env:UserInstallation={(folder / 'profil').as_uri()}", "--headless",
                   "--convert-to", "pdf", "--outdir", str(outdir), str(source)]
        # A session of its own, so that a timeout kills LibreOffice's child processes too.
        process = subprocess.Popen(command, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                                   stderr=subprocess.PIPE, start_new_session=True,
                                   env={**os.environ, "HOME": scratch})
        try:
            _, stderr = process.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.communicate()
            raise PreviewUnavailable(f"Aperçu PDF indisponible : la conversion a dépassé {timeout:g} "
                                     f"seconde{'s' if timeout >= 2 else ''}.")
        pdf = outdir / "projet.pdf"
        if process.returncode != 0 or not pdf.is_file() or not pdf.read_bytes().startswith(b"%PDF"):
            current_app.logger.warning("soffice failed (%s): %s", process.returncode,
                                       stderr.decode(errors="replace")[-2000:])
            raise PreviewUnavailable("Aperçu PDF indisponible : LibreOffice n'a pas pu convertir le projet.")
        return pdf.read_bytes()
