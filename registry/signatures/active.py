"""Active content in a PDF (JavaScript, actions, attachments), found by walking every reachable object.

Walking the parsed objects rather than searching the raw bytes sees names inside compressed object streams
and names spelt with ``#xx`` escapes (``/J#53`` is ``/JS``), which a byte search would miss.
"""

from pypdf import PdfReader
from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject

from registry.signatures import labels

#: Stop walking after this many objects: enough for any real scan, bounded for a hostile file.
MAX_OBJECTS = 500_000


def find_active_content(reader: PdfReader) -> tuple[str, ...]:
    """Codes of the active content reachable from the trailer, sorted (see labels.WARNINGS)."""
    found: set[str] = set()
    seen: set[tuple[int, int]] = set()
    stack = [reader.trailer]
    while stack and len(seen) < MAX_OBJECTS:
        item = stack.pop()
        if isinstance(item, IndirectObject):
            if (item.idnum, item.generation) in seen:
                continue
            seen.add((item.idnum, item.generation))
            try:
                item = item.get_object()
            except Exception:  # a dangling or broken reference hides nothing a reader would run
                continue
        if isinstance(item, DictionaryObject):
            found |= _classify(item)
            stack.extend(dict.values(item))
        elif isinstance(item, ArrayObject):
            stack.extend(list.__iter__(item))
    return tuple(sorted(found))


def _classify(entry: DictionaryObject) -> set[str]:
    keys = set(dict.keys(entry))
    action = _name(entry, "/S")
    found = set()
    if "/JS" in keys or "/JavaScript" in keys or action == "/JavaScript":
        found.add(labels.JAVASCRIPT)
    if action == "/Launch":
        found.add(labels.LAUNCH)
    if "/AA" in keys or _is_open_action(entry):
        found.add(labels.AUTO_ACTION)
    if "/EmbeddedFiles" in keys or _name(entry, "/Type") == "/EmbeddedFile" \
            or _name(entry, "/Subtype") == "/FileAttachment":
        found.add(labels.EMBEDDED_FILE)
    return found


def _is_open_action(catalog: DictionaryObject) -> bool:
    """An /OpenAction that is an action; a destination (an array) or a lone « go to page » only opens a page."""
    if "/OpenAction" not in catalog:
        return False
    action = _resolved(dict.get(catalog, "/OpenAction"))
    if not isinstance(action, DictionaryObject):
        return False
    return _name(action, "/S") != "/GoTo" or "/Next" in action


def _name(entry: DictionaryObject, key: str) -> str | None:
    value = _resolved(dict.get(entry, key))
    return str(value) if value is not None else None


def _resolved(value):
    try:
        return value.get_object() if isinstance(value, IndirectObject) else value
    except Exception:
        return None
