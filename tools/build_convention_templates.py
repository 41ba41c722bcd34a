"""Build the FIRST version of the convention templates (.docx) from convention_templates/_source/.

Not part of the application. The .docx files in convention_templates/ are the source of truth: legal staff
edit them in Word. This script only produced their first version, from the clause library
(_source/clauses.txt, each shared clause written once) and one outline per template (_source/<code>.txt),
with the manifests (<code>.json) saying which clauses are optional. Running it again overwrites Word edits,
so it refuses to replace an existing .docx without --force.

    .venv/bin/python tools/build_convention_templates.py [--force] [code ...]

Design: an optional clause becomes conditional paragraphs ``{%p if clauses.<code> %}`` … ``{%p endif %}``
around the clause's own paragraphs, in the template itself (no docxtpl sub-documents, which lose numbering
and styles). Articles use the style « Heading 1 » bound to a Word numbering « Article N – », so the
numbers follow whatever clauses remain after rendering.
"""

import argparse
import io
import json
import re
import sys
import zipfile
from datetime import datetime
from pathlib import Path

import docx
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.shared import Cm, Pt, RGBColor

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
from registry.documents.package import write_package  # noqa: E402
from registry.documents.validation import validate_template  # noqa: E402

TEMPLATES = ROOT / "convention_templates"
SOURCE = TEMPLATES / "_source"
#: « @final »: the closing articles every template shares, in this order (the follow-up body and the
#: transmission to the ARS are written per template, before « @final »).
FINAL_CLAUSES = ("responsabilites", "protection_donnees", "financier", "duree", "avenant", "resiliation",
                 "litiges")
ARTICLE_NUM_ID = 90
KEEP_STYLES = {"Normal", "DefaultParagraphFont", "TableNormal", "NoList", "Header", "Footer", "Heading1",
               "Heading2", "Title", "Subtitle", "ListBullet", "TableGrid"}
BUILT_ON = datetime(2026, 1, 1)


def parse_blocks(text: str) -> tuple[dict[str, str], dict[str, list[str]]]:
    """« key: value » lines before the first « [section] », then the lines of each section."""
    meta, blocks, current = {}, {}, None
    for raw in text.splitlines():
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        if re.fullmatch(r"\[[a-z_]+\]", line):
            current = blocks.setdefault(line[1:-1], [])
        elif current is None:
            key, _, value = line.partition(":")
            meta[key.strip()] = value.strip()
        else:
            current.append(line)
    return meta, blocks


def expand(lines: list[str], library: dict[str, list[str]], optional: set[str]) -> list[str]:
    """Replace « @code » by the clause's lines, inside a conditional when the clause is optional."""
    out = []
    for line in lines:
        if not line.startswith("@"):
            out.append(line)
            continue
        code = line[1:]
        for clause in FINAL_CLAUSES if code == "final" else (code,):
            body = expand(library[clause], library, optional)  # a clause may itself name shared paragraphs
            out.extend([f"{{%p if clauses.{clause} %}}", *body, "{%p endif %}"] if clause in optional else body)
    return out


def prune_package(document) -> None:
    """Drop what python-docx's default template carries and a convention does not need."""
    for rel_id, rel in list(document.part.rels.items()):
        if rel.reltype.endswith(("/stylesWithEffects", "/customXml")):
            document.part.drop_rel(rel_id)
    package_rels = document.part.package.rels
    for rel_id, rel in list(package_rels.items()):
        if rel.reltype.endswith("/thumbnail"):
            del package_rels[rel_id]
    styles = document.styles.element
    for latent in styles.findall(qn("w:latentStyles")):
        styles.remove(latent)
    by_id = {s.get(qn("w:styleId")): s for s in styles.findall(qn("w:style"))}
    keep, todo = set(), list(KEEP_STYLES)
    while todo:
        style_id = todo.pop()
        if style_id in keep or style_id not in by_id:
            continue
        keep.add(style_id)
        for tag in ("w:basedOn", "w:link", "w:next"):
            ref = by_id[style_id].find(qn(tag))
            if ref is not None:
                todo.append(ref.get(qn("w:val")))
    for style_id, element in by_id.items():
        if style_id not in keep:
            styles.remove(element)


def set_font(style, size: float, bold=None, italic=None, color=RGBColor(0, 0, 0)) -> None:
    style.font.name, style.font.size, style.font.color.rgb = "Calibri", Pt(size), color
    style.font.bold, style.font.italic = bold, italic
    rfonts = style.element.get_or_add_rPr().get_or_add_rFonts()
    for attr in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
        rfonts.set(qn(attr), "Calibri")
    for attr in ("w:asciiTheme", "w:hAnsiTheme", "w:cstheme", "w:eastAsiaTheme"):
        rfonts.attrib.pop(qn(attr), None)


def define_styles(document) -> None:
    styles = document.styles
    normal = styles["Normal"]
    set_font(normal, 11)
    normal.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
    normal.paragraph_format.space_after = Pt(6)
    for name, size in (("Title", 16), ("Subtitle", 12)):
        style = styles[name]
        set_font(style, size, bold=name == "Title", italic=name == "Subtitle")
        style.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER
        style.paragraph_format.space_after = Pt(12)
        borders = style.element.pPr.find(qn("w:pBdr")) if style.element.pPr is not None else None
        if borders is not None:
            borders.getparent().remove(borders)
    heading = styles["Heading 1"]
    set_font(heading, 12, bold=True)
    heading.paragraph_format.space_before, heading.paragraph_format.space_after = Pt(12), Pt(6)
    heading.paragraph_format.keep_with_next = True
    heading.element.get_or_add_pPr().get_or_add_numPr().get_or_add_numId().val = ARTICLE_NUM_ID
    intertitle = styles.add_style("Intertitre", 1)
    intertitle.base_style, intertitle.next_paragraph_style = normal, normal
    set_font(intertitle, 11, bold=True)
    intertitle.paragraph_format.space_before = Pt(12)
    intertitle.paragraph_format.keep_with_next = True
    tag = styles.add_style("Balise de modèle", 1)
    tag.base_style = normal
    set_font(tag, 8, color=RGBColor(0x80, 0x80, 0x80))
    tag.paragraph_format.space_after = Pt(0)
    numbering = document.part.numbering_part.element
    abstract = parse_xml(
        f'<w:abstractNum {nsdecls("w")} w:abstractNumId="{ARTICLE_NUM_ID}"><w:multiLevelType w:val="singleLevel"/>'
        '<w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="decimal"/><w:pStyle w:val="Heading1"/>'
        '<w:suff w:val="space"/><w:lvlText w:val="Article %1 –"/><w:lvlJc w:val="left"/>'
        '<w:pPr><w:ind w:left="0" w:firstLine="0"/></w:pPr></w:lvl></w:abstractNum>')
    numbering.find(qn("w:num")).addprevious(abstract)
    numbering.append(parse_xml(f'<w:num {nsdecls("w")} w:numId="{ARTICLE_NUM_ID}">'
                               f'<w:abstractNumId w:val="{ARTICLE_NUM_ID}"/></w:num>'))


def add_text(paragraph, text: str) -> None:
    for i, chunk in enumerate(re.split(r"\*\*(.+?)\*\*", text)):
        if chunk:
            paragraph.add_run(chunk).bold = True if i % 2 else None


def add_line(container, line: str):
    if line.startswith("{%p") or line.startswith("{%tr"):
        return container.add_paragraph(line, style="Balise de modèle")
    if line.startswith("= "):
        return container.add_paragraph(line[2:], style="Heading 1")
    paragraph = container.add_paragraph(style="List Bullet" if line.startswith("- ") else None)
    add_text(paragraph, line[2:] if line.startswith("- ") else line)
    return paragraph


def add_field(paragraph, instruction: str) -> None:
    for xml in (f'<w:r {nsdecls("w")}><w:fldChar w:fldCharType="begin"/></w:r>',
                f'<w:r {nsdecls("w")}><w:instrText xml:space="preserve"> {instruction} </w:instrText></w:r>',
                f'<w:r {nsdecls("w")}><w:fldChar w:fldCharType="separate"/></w:r>',
                f'<w:r {nsdecls("w")}><w:t>1</w:t></w:r>',
                f'<w:r {nsdecls("w")}><w:fldChar w:fldCharType="end"/></w:r>'):
        paragraph._p.append(parse_xml(xml))


def party_text(var: str, basis_field: str) -> str:
    """The party block: the legal entity (long name, status, numbers, head office), the site it acts for, the
    signatory and the basis of the signatory's power. Worded so that nothing agrees in gender or number."""
    return (f"**{{{{ {var}.name }}}}**{{% if {var}.legal_status %}}, {{{{ {var}.legal_status }}}}{{% endif %}}"
            f"{{% if {var}.finess_ej %}}, FINESS juridique n° {{{{ {var}.finess_ej }}}}{{% endif %}}"
            f"{{% if {var}.siret %}}, SIRET n° {{{{ {var}.siret }}}}{{% endif %}}"
            f"{{% if {var}.rna %}}, RNA n° {{{{ {var}.rna }}}}{{% endif %}}"
            f"{{% if {var}.head_office %}}, dont le siège est situé {{{{ {var}.head_office }}}}{{% endif %}}"
            f"{{% if {var}.acting_for %}}, {{{{ {var}.acting_for }}}}"
            f"{{% elif {var}.finess_et and {var}.finess_et != {var}.finess_ej %}}, FINESS établissement n° "
            f"{{{{ {var}.finess_et }}}}{{% endif %}}"
            f", ayant pour signataire {{{{ {var}.representative.name or '………' }}}}, "
            f"{{{{ {var}.representative.title or '………' }}}} (pouvoir de signer : "
            f"{{{{ {var}.signing_basis or {basis_field} or '………' }}}}),")


HOSPITAL_BASIS = "signing_basis_hospital"
#: The choice of the « financial_terms » field that brings the financial annex (clauses.txt, [financier]).
PAID = "Contreparties financières définies en annexe"
SIGNING_LINE = ("Fait à {{ signing_place }}, le {{ dates.signature or '………………………' }}, en "
                "{{ convention.party_count_words }} exemplaires originaux, un pour chaque partie, ou par signature "
                "électronique de chacune des parties.")
PARTNER_BASIS = "(signing_basis_partners[loop.index0] if loop.index0 < signing_basis_partners|length else '')"


def build(code: str, library: dict[str, list[str]]) -> bytes:
    manifest = json.loads((TEMPLATES / f"{code}.json").read_text(encoding="utf-8"))
    meta, blocks = parse_blocks((SOURCE / f"{code}.txt").read_text(encoding="utf-8"))
    optional = {clause["code"] for clause in manifest.get("clauses", [])}
    document = docx.Document()
    prune_package(document)
    define_styles(document)
    section = document.sections[0]
    section.left_margin = section.right_margin = Cm(2.2)
    header = section.header.paragraphs[0]
    avenant = meta.get("layout") == "avenant"
    kind = "Avenant" if avenant else "Convention"
    header.text = f"{{{{ hospital.name }}}} – {kind} n° {{{{ reference }}}}"
    header.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    footer = section.footer.paragraphs[0]
    footer.alignment = WD_ALIGN_PARAGRAPH.CENTER
    footer.add_run("Page ")
    add_field(footer, "PAGE")
    footer.add_run(" sur ")
    add_field(footer, "NUMPAGES")
    body = document
    body.add_paragraph(meta["title"], style="Title")
    body.add_paragraph(meta["subtitle"], style="Subtitle")
    body.add_paragraph(f"{kind} n° {{{{ reference }}}}", style="Subtitle")
    parties = ["ENTRE LES SOUSSIGNÉS", party_text("hospital", HOSPITAL_BASIS),
               "ci-après « l'hôpital de proximité »,", "D'une part,", "ET", "{%p for partner in partners %}",
               party_text("partner", PARTNER_BASIS), "ci-après « {{ partner.short_name }} »,",
               "{%p if not loop.last %}", "ET", "{%p endif %}", "{%p endfor %}", "D'autre part,", "VISAS",
               *expand(blocks["visas"], library, optional), "PRÉAMBULE", *blocks["preamble"]]
    lines = avenant_lines(parties, blocks) if avenant else convention_lines(parties, meta, blocks, library, optional)
    add_lines(body, lines)
    add_signature_table(body)
    properties = document.core_properties
    properties.title, properties.author, properties.comments = manifest["name"], "", ""
    properties.last_modified_by, properties.revision = "", 1
    properties.created = properties.modified = BUILT_ON
    buffer = io.BytesIO()
    document.save(buffer)
    with zipfile.ZipFile(buffer) as archive:
        return write_package((name, archive.read(name)) for name in archive.namelist())


def convention_lines(parties: list[str], meta: dict, blocks: dict, library: dict, optional: set[str]) -> list[str]:
    role = meta["role"]
    return [*parties,
            "Dans la présente convention, « l'hôpital de proximité » désigne {{ hospital.short_name }}"
            f"{{% if partners|length == 1 %}} et « {role} » désigne {{{{ partner_names }}}}.{{% else %}} ; "
            f"« {role} » ou « les partenaires » désigne ensemble {{{{ partner_names }}}}, chacun s'engageant "
            "pour ce qui relève de sa propre activité ; les stipulations qui visent le partenaire s'appliquent "
            "à chacun d'eux.{% endif %}",
            "IL A ÉTÉ CONVENU CE QUI SUIT :", *expand(blocks["articles"], library, optional), "ANNEXES",
            "Sont jointes à la présente convention, dont elles font partie intégrante, les annexes suivantes :",
            *expand(blocks.get("annexes", []), library, optional),
            "- Coordonnées des référents, lignes directes, adresses de messagerie sécurisée et délégués à la "
            "protection des données des parties (annexe opérationnelle)",
            "- Traitements de données partagés et rôle de chaque partie (articles 26 et 28 du RGPD)",
            f"{{%p if financial_terms == \"{PAID}\" %}}", "- Annexe financière", "{%p endif %}",
            "{%p for annex in annexes %}", "- {{ annex }}", "{%p endfor %}", "SIGNATURES", SIGNING_LINE]


def avenant_lines(parties: list[str], blocks: dict) -> list[str]:
    """An avenant: the convention's parties, visas and preamble, its articles, the signing line (no annexes)."""
    return [*parties, "IL A ÉTÉ CONVENU CE QUI SUIT :", *blocks["articles"], "SIGNATURES", SIGNING_LINE]


def add_lines(body, lines: list[str]) -> None:
    for line in lines:
        if line.isupper() or line == "IL A ÉTÉ CONVENU CE QUI SUIT :":
            body.add_paragraph(line, style="Intertitre")
        else:
            add_line(body, line)


def add_signature_table(body) -> None:
    table = body.add_table(rows=3, cols=2)
    table.style, table.alignment = "Table Grid", WD_TABLE_ALIGNMENT.CENTER
    add_line(table.cell(0, 0), "{%tr for party in parties %}")
    cell = table.cell(1, 0)
    add_text(cell.paragraphs[0], "Pour **{{ party.designation|nobreak }}**")
    cell.add_paragraph("{{ party.representative.name }}")
    cell.add_paragraph("{{ party.representative.title }}")
    table.cell(1, 1).paragraphs[0].text = "Signature :"
    add_line(table.cell(2, 0), "{%tr endfor %}")


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("codes", nargs="*", help="templates to build (default: every outline)")
    parser.add_argument("--force", action="store_true", help="overwrite existing .docx files (loses Word edits)")
    args = parser.parse_args(argv)
    _, library = parse_blocks((SOURCE / "clauses.txt").read_text(encoding="utf-8"))
    codes = args.codes or sorted(p.stem for p in SOURCE.glob("*.txt") if p.stem != "clauses")
    failed = False
    for code in codes:
        target = TEMPLATES / f"{code}.docx"
        if target.exists() and not args.force:
            print(f"{target.name}: exists, kept (use --force to overwrite Word edits)")
            continue
        data = build(code, library)
        problems = validate_template(data, json.loads((TEMPLATES / f"{code}.json").read_text(encoding="utf-8")))
        for problem in problems:
            print(f"{code}: {problem.part}: {problem.message} [{problem.paragraph[:80]}]")
        failed = failed or bool(problems)
        target.write_bytes(data)
        print(f"{target.name}: built ({len(data)} bytes, {len(problems)} problems)")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
