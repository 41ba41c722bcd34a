"""Reading the Jinja tags of a Word part paragraph by paragraph, so that every problem is located.

Word splits text into runs at every change of formatting, spell-check mark or revision; docxtpl joins a
tag's pieces back. Here each paragraph's text is joined the same way and each tag is checked on its own
(so one error does not hide the others), then block tags are matched across the part.
"""

import re
from dataclasses import dataclass, field

from jinja2 import TemplateSyntaxError, nodes
from lxml import etree

from registry.documents.problems import Problem, french_jinja_message

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
SAFE_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False)
TAG = re.compile(r"\{\{(.*?)\}\}|\{%(.*?)%\}|\{#(.*?)#\}", re.S)
#: docxtpl's tag prefixes: {%p …%} paragraph, {%tr …%} row, {%tc …%} cell, {%r …%} run; {{r …}} {{p …}}.
STATEMENT_PREFIX = re.compile(r"^(p|tr|tc|r) ")
EXPRESSION_PREFIX = re.compile(r"^(r|p) ")
QUOTES = str.maketrans({"‘": "'", "’": "'", "“": '"', "”": '"'})

BLOCKS = {"if": "endif", "for": "endfor", "with": "endwith", "macro": "endmacro", "call": "endcall",
          "filter": "endfilter", "set": "endset", "raw": "endraw"}
ENDS = {end: start for start, end in BLOCKS.items()}
MIDDLES = {"elif": ("if",), "else": ("if", "for")}
DOCXTPL_TAGS = {"colspan", "cellbg", "vm", "hm"}
SANDBOX_TAGS = {"extends", "include", "import", "from", "block", "endblock", "autoescape", "endautoescape"}
#: Names a template must not reach: Jinja's own template object and what a web template would have.
REFUSED_NAMES = {"self", "config", "request", "session", "g", "os", "sys", "builtins", "globals", "current_app",
                 "url_for", "get_flashed_messages", "environment", "context"}
UNSAFE_ATTRIBUTES = {"mro", "func_globals", "func_code", "gi_frame", "gi_code", "cr_frame", "cr_code",
                     "ag_frame", "ag_code", "f_globals", "f_locals", "f_builtins", "f_code", "tb_frame",
                     "co_code", "im_class", "im_func", "im_self"}


def paragraph_texts(root) -> list[str]:
    """Each paragraph's own text (a text box inside a paragraph is its own paragraph)."""
    texts = []
    for paragraph in root.iter(W + "p"):
        own = [t.text or "" for t in paragraph.iter(W + "t") if next(t.iterancestors(W + "p")) is paragraph]
        texts.append("".join(own))
    return texts


@dataclass
class Tag:
    kind: str  # "expression", "statement" or "comment"
    inner: str
    paragraph: str
    keyword: str = ""
    docx_prefix: str = ""

    @property
    def shown(self) -> str:
        return {"expression": "{{%s}}", "statement": "{%%%s%%}", "comment": "{#%s#}"}[self.kind] % (
            (self.docx_prefix + " " if self.docx_prefix else "") + self.inner)


@dataclass
class TagAnalysis:
    """What the tags of one part use, each name with the paragraph where it first appears."""

    problems: list[Problem] = field(default_factory=list)
    loaded: dict[str, str] = field(default_factory=dict)
    stored: set[str] = field(default_factory=set)
    clauses: dict[str, str] = field(default_factory=dict)


def scan(text: str) -> tuple[list[Tag], bool]:
    """The tags of a paragraph's text, and whether a tag is left open in it."""
    tags = []
    for match in TAG.finditer(text):
        expression, statement, comment = match.groups()
        if comment is not None:
            tags.append(Tag("comment", comment, text))
            continue
        kind = "expression" if expression is not None else "statement"
        inner = (expression if expression is not None else statement).translate(QUOTES)
        prefix = (EXPRESSION_PREFIX if kind == "expression" else STATEMENT_PREFIX).match(inner)
        tag = Tag(kind, inner[prefix.end():] if prefix else inner, text, docx_prefix=prefix.group(1) if prefix else "")
        if kind == "statement":
            words = tag.inner.strip().lstrip("-+").split()
            tag.keyword = words[0] if words else ""
        tags.append(tag)
    rest = TAG.sub("", text)
    return tags, "{{" in rest or "{%" in rest


def _snippet(tag: Tag) -> str | None:
    """A minimal template holding the tag alone, to check its syntax; None when there is nothing to parse."""
    body, keyword = tag.inner.strip().strip("-+").strip(), tag.keyword
    if tag.kind == "expression":
        return "{{" + tag.inner + "}}"
    if keyword in ("colspan", "cellbg"):
        return "{{" + body[len(keyword):] + "}}"
    if keyword == "set" and "=" not in body:
        return "{% " + body + " %}{% endset %}"
    if keyword == "set":
        return "{% " + body + " %}"
    if keyword == "elif":
        return "{% if true %}{% " + body + " %}{% endif %}"
    if keyword in BLOCKS and keyword != "raw":
        return "{% " + body + " %}{% " + BLOCKS[keyword] + " %}"
    return None


def _located(message: str, tag: Tag, part: str, entry: str, code: str) -> Problem:
    return Problem(message=message, part=part, paragraph=tag.paragraph, code=code, entry=entry)


def _check_nodes(tree, tag: Tag, env, part: str, entry: str, analysis: TagAnalysis) -> None:
    def refuse(what: str) -> None:
        analysis.problems.append(_located(
            f"Accès refusé par le bac à sable dans « {tag.shown} » : {what}.", tag, part, entry, "sandbox_refused"))

    for node in tree.find_all(nodes.Filter):
        if node.name not in env.filters:
            analysis.problems.append(_located(f"Filtre inconnu « {node.name} » dans « {tag.shown} ».",
                                              tag, part, entry, "unknown_filter"))
    for node in tree.find_all(nodes.Test):
        if node.name not in env.tests:
            analysis.problems.append(_located(f"Test inconnu « {node.name} » dans « {tag.shown} ».",
                                              tag, part, entry, "unknown_test"))
    for node in tree.find_all(nodes.Getattr):
        if node.attr.startswith("_") or node.attr in UNSAFE_ATTRIBUTES:
            refuse(f"l'attribut interne « {node.attr} »")
        elif isinstance(node.node, nodes.Name) and node.node.name == "clauses":
            analysis.clauses.setdefault(node.attr, tag.paragraph)
    for node in tree.find_all(nodes.Getitem):
        if isinstance(node.arg, nodes.Const) and isinstance(node.arg.value, str):
            if node.arg.value.startswith("_") or node.arg.value in UNSAFE_ATTRIBUTES:
                refuse(f"l'attribut interne « {node.arg.value} »")
            elif isinstance(node.node, nodes.Name) and node.node.name == "clauses":
                analysis.clauses.setdefault(node.arg.value, tag.paragraph)
    for node in tree.find_all(nodes.Name):
        if node.ctx != "load":
            analysis.stored.add(node.name)
        elif node.name in REFUSED_NAMES or node.name.startswith("_"):
            refuse(f"« {node.name} » n'est pas disponible, seules les données de la convention le sont")
        else:
            analysis.loaded.setdefault(node.name, tag.paragraph)


def _check_statement(tag: Tag, stack: list[Tag], part: str, entry: str, problems: list[Problem]) -> None:
    keyword = tag.keyword
    if keyword in ENDS:
        if tag.inner.strip().strip("-+").strip() != keyword:
            problems.append(_located(f"« {keyword} » ne prend pas d'argument : « {tag.shown} ».", tag, part, entry,
                                     "syntax_error"))
        if stack and stack[-1].keyword == ENDS[keyword]:
            stack.pop()
        else:
            opened = f" (le bloc ouvert est « {stack[-1].shown} »)" if stack else ""
            problems.append(_located(f"« {tag.shown} » ne ferme aucun bloc « {ENDS[keyword]} » ouvert{opened}.",
                                     tag, part, entry, "syntax_error"))
    elif keyword in MIDDLES:
        if not stack or stack[-1].keyword not in MIDDLES[keyword]:
            problems.append(_located(f"« {tag.shown} » n'est dans aucun bloc « {' ou '.join(MIDDLES[keyword])} ».",
                                     tag, part, entry, "syntax_error"))
    elif keyword in BLOCKS and not (keyword == "set" and "=" in tag.inner):
        stack.append(tag)
    elif keyword in SANDBOX_TAGS:
        problems.append(_located(f"Balise refusée par le bac à sable : « {tag.shown} » (un modèle de convention ne "
                                 "peut ni charger un autre modèle ni désactiver l'échappement).", tag, part, entry,
                                 "sandbox_refused"))
    elif keyword not in DOCXTPL_TAGS:
        problems.append(_located(f"Balise inconnue « {keyword or tag.shown} » dans « {tag.shown} ».", tag, part,
                                 entry, "syntax_error"))


def analyse_paragraphs(texts: list[str], env, part: str, entry: str) -> TagAnalysis:
    """Every tag problem of a part, and the names, assignments and clauses its tags use."""
    analysis, stack, in_raw = TagAnalysis(), [], False
    for text in texts:
        tags, unclosed = scan(text)
        if unclosed:
            analysis.problems.append(Problem(
                message="Balise non fermée dans ce paragraphe (« {{ » sans « }} » ou « {% » sans « %} ») : une "
                        "balise doit tenir dans un seul paragraphe.", part=part, paragraph=text,
                code="syntax_error", entry=entry))
        paragraph_tags = [tag for tag in tags if tag.docx_prefix == "p" and tag.kind == "statement"]
        if len(paragraph_tags) > 1:
            analysis.problems.append(Problem(message="Deux balises « {%p … %} » dans le même paragraphe : chacune "
                                             "doit être seule dans son paragraphe.", part=part, paragraph=text,
                                             code="syntax_error", entry=entry))
        elif paragraph_tags and TAG.sub("", text).strip():
            analysis.problems.append(Problem(message="Ce paragraphe contient une balise « {%p … %} » et du texte : "
                                             "le paragraphe entier est retiré au rendu, son texte serait perdu.",
                                             part=part, paragraph=text, code="text_lost", entry=entry))
        for tag in tags:
            if tag.kind == "comment" or (in_raw and tag.keyword != "endraw"):
                continue
            in_raw = tag.keyword == "raw"
            if tag.kind == "statement":
                _check_statement(tag, stack, part, entry, analysis.problems)
                if tag.keyword in SANDBOX_TAGS:
                    continue
            snippet = _snippet(tag)
            if snippet is None:
                continue
            try:
                tree = env.parse(snippet)
            except TemplateSyntaxError as exc:
                message = f"Erreur de syntaxe dans « {tag.shown} » : {french_jinja_message(exc.message)}"
                analysis.problems.append(_located(message, tag, part, entry, "syntax_error"))
                continue
            _check_nodes(tree, tag, env, part, entry, analysis)
    for tag in stack:
        analysis.problems.append(_located(f"Le bloc « {tag.shown} » n'est jamais fermé (« {BLOCKS[tag.keyword]} » "
                                          "manquant).", tag, part, entry, "syntax_error"))
    return analysis
