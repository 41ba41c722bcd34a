"""docxtpl's own ``patch_xml``, run with substitutions that cannot match skipped.

``DocxTemplate.patch_xml`` applies some twenty ``re.sub`` passes over the whole part, most of them for tags a
given template never uses (``{%tr``, ``{%r``, ``{#p``, ``colspan``, ``{% vm %}`` …): about a fifth of a cold
preparation on the shipped conventions. This runs docxtpl's very code (its function object, not a copy of
its source) with a ``re`` whose ``sub`` first looks for a literal each of those patterns needs in order to
match: when none is in the text, the pass would change nothing and is skipped. Any other call goes to ``re``
unchanged, so the result is docxtpl's (``tests/documents/test_patching.py`` compares them).
"""

import re
import types

import docxtpl.template


def _element_patterns() -> dict[str, tuple[str, ...]]:
    """The patterns docxtpl builds in its loops over ``tr``, ``tc``, ``p`` and ``r`` (same formatting)."""
    patterns = {}
    for y in ("tr", "tc", "p", "r"):
        pattern = (r"<w:%(y)s[ >](?:(?!<w:%(y)s[ >]).)*({%%|{{)%(y)s ([^}%%]*(?:%%}|}})).*?</w:%(y)s>"
                   % {"y": y})
        patterns[pattern] = ("{%" + y + " ", "{{" + y + " ")
    for y in ("tr", "tc", "p"):
        pattern = r"<w:%(y)s[ >](?:(?!<w:%(y)s[ >]).)*({#)%(y)s ([^}#]*(?:#})).*?</w:%(y)s>" % {"y": y}
        patterns[pattern] = ("{#" + y + " ",)
    return patterns


#: docxtpl 0.20's pattern → what the text must hold for the pattern to match: one at least of these literals,
#: or a match of a much cheaper pattern (``vm`` alone is in every document: the VML namespace).
NEEDED_LITERALS: dict[str, tuple[str | re.Pattern, ...]] = {
    r"(<w:tc[ >](?:(?!<w:tc[ >]).)*){%\s*colspan\s+([^%]*)\s*%}(.*?</w:tc>)": ("colspan",),
    r"(<w:tc[ >](?:(?!<w:tc[ >]).)*){%\s*cellbg\s+([^%]*)\s*%}(.*?</w:tc>)": ("cellbg",),
    r"({{r\s.*?}}|{%r\s.*?%})": ("{{r", "{%r"),
    r"</w:t>(?:(?!</w:t>).)*?{%-": ("{%-",),
    r"-%}(?:(?!<w:t[ >]|{%|{{).)*?<w:t[^>]*?>": ("-%}",),
    r"<w:tc[ >](?:(?!<w:tc[ >]).)*?{%\s*vm\s*%}.*?</w:tc[ >]": (re.compile(r"{%\s*vm\s*%}"),),
    r"<w:tc[ >](?:(?!<w:tc[ >]).)*?{%\s*hm\s*%}.*?</w:tc[ >]": (re.compile(r"{%\s*hm\s*%}"),),
    **_element_patterns(),
}


class _SkippingRe(types.ModuleType):
    """The ``re`` module as docxtpl's ``patch_xml`` sees it: ``sub`` returns the text untouched when the
    pattern needs a literal the text does not hold."""

    def __init__(self):
        super().__init__("re")

    def __getattr__(self, name):
        return getattr(re, name)

    def sub(self, pattern, repl, string, count=0, flags=0):
        needed = NEEDED_LITERALS.get(pattern) if isinstance(pattern, str) else None
        if needed is not None and not any(literal in string if isinstance(literal, str) else literal.search(string)
                                          for literal in needed):
            return string
        return re.sub(pattern, repl, string, count=count, flags=flags)


_RE = _SkippingRe()
_ORIGINAL = docxtpl.template.DocxTemplate.patch_xml
_PATCH_XML = types.FunctionType(_ORIGINAL.__code__, {**vars(docxtpl.template), "re": _RE}, _ORIGINAL.__name__,
                                _ORIGINAL.__defaults__, _ORIGINAL.__closure__)


def patch_xml(template: docxtpl.template.DocxTemplate, xml: str) -> str:
    """What ``template.patch_xml(xml)`` returns, without the passes that cannot change ``xml``."""
    return _PATCH_XML(template, xml)
