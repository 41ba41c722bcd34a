"""The guide's pages: Markdown files of GUIDE_DIR turned into HTML without any raw HTML of their own.

The files are written to read well on a code forge too: links between pages name the Markdown file
(``juriste.md#...``) and images sit in ``images/``; the served pages link to each other without the suffix.
"""

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from xml.etree.ElementTree import Element

import markdown
from markdown.extensions import Extension
from markdown.treeprocessors import Treeprocessor

#: (slug, menu label, title): the pages the « Aide » menu offers, in its order; the slug is the file name without
#: ``.md``.
PAGES = (
    ("index", "Premiers pas", "Présentation et premiers pas"),
    ("juriste", "Juriste d'établissement", "Guide du juriste d'établissement"),
    ("ars", "Agent de l'ARS", "Guide de l'agent de l'ARS"),
    ("admin", "Administrateur", "Guide de l'administrateur"),
    ("ecrans", "Les écrans", "Les écrans sur téléphone, portable et grand écran"),
)
TITLES = {slug: title for slug, _label, title in PAGES}
#: Link targets kept as they are; anything else (javascript:, data:, ...) loses its link.
SAFE_TARGET = re.compile(r"^(https?://|mailto:|#|[\w.-]+\.md(#[\w-]*)?$|images/[\w.-]+$)")
MARKDOWN_PAGE = re.compile(r"^([\w-]+)\.md(#[\w-]*)?$")


@dataclass(frozen=True)
class GuidePage:
    slug: str
    title: str
    html: str


class _Links(Treeprocessor):
    """Links to another page lose their ``.md``; unsafe targets are dropped; tables get Bootstrap's classes."""

    def run(self, root: Element) -> None:
        for element in root.iter():
            if element.tag == "a":
                target = element.get("href", "")
                if not SAFE_TARGET.match(target):
                    element.attrib.pop("href", None)
                    continue
                page = MARKDOWN_PAGE.match(target)
                if page:
                    slug = page.group(1)
                    element.set("href", ("./" if slug == "index" else slug) + (page.group(2) or ""))
            elif element.tag == "img" and not SAFE_TARGET.match(element.get("src", "")):
                element.attrib.pop("src", None)
            elif element.tag == "img":
                element.set("loading", "lazy")
            elif element.tag == "table":
                element.set("class", "table table-sm table-bordered")


class _NoRawHtml(Extension):
    """Raw HTML in a page is shown as text, never passed through."""

    def extendMarkdown(self, md):  # noqa: N802 (Python-Markdown's name)
        md.preprocessors.deregister("html_block")
        md.inlinePatterns.deregister("html")
        md.treeprocessors.register(_Links(md), "guide_links", 1)


def render(text: str) -> str:
    converter = markdown.Markdown(extensions=["tables", "sane_lists", "toc", _NoRawHtml()], output_format="html")
    return converter.convert(text)


@lru_cache(maxsize=32)
def _rendered(path: Path, modified: float) -> str:  # keyed by the file's modification time
    return render(path.read_text(encoding="utf-8"))


def guide_page(directory: str, slug: str) -> GuidePage | None:
    """The page ``slug`` of the guide, or None when the guide has no such page."""
    if slug not in TITLES:
        return None
    path = Path(directory) / f"{slug}.md"
    if not path.is_file():
        return None
    return GuidePage(slug, TITLES[slug], _rendered(path, path.stat().st_mtime))
