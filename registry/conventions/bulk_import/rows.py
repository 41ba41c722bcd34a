"""One row of the spreadsheet, typed: ``parse_row`` turns its raw cells into a ``Row`` and lists what is wrong
in ``row.problems`` (in French, naming the column). It reads nothing but the cells: the partners, the PDF and
the duplicates are checked afterwards, for all rows at once (checking.check_stock).
"""

import re
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import TYPE_CHECKING

from registry.conventions.bulk_import.columns import DATE_HELP
from registry.conventions.bulk_import.spreadsheet import column_key
from registry.conventions.services import TITLE_LENGTH
from registry.conventions.terms import ConventionTerms, Signatory
from registry.core.french import french_join
from registry.core.vocabulary import LEGAL_BASES, PARTNER_TYPES, THEMES
from registry.organisations.identifiers import finess_problem
from registry.organisations.models import Organisation

if TYPE_CHECKING:
    from registry.conventions.bulk_import.archive import ArchiveEntry

SEPARATORS = re.compile(r"[\s,;]+")
YES = frozenset({"oui", "o", "yes", "y", "vrai", "true", "1", "x"})
NO = frozenset({"non", "n", "no", "faux", "false", "0"})


@dataclass
class PartnerLine:
    """A partner named by a row: its organisation and, when it is one already, its partnership."""

    organisation: Organisation
    partnership: object = None


@dataclass
class Row:
    line: int
    title: str = ""
    finess: list[str] = field(default_factory=list)
    partner_types: list[str] = field(default_factory=list)
    themes: list[str] = field(default_factory=list)
    effective_date: date | None = None
    duration_months: int | None = None
    tacit_renewal: bool | None = None
    notice_months: int | None = None
    signed_on: date | None = None
    legal_bases: list[str] = field(default_factory=list)
    transmitted_on: date | None = None
    filename: str = ""
    hospital_signatory: Signatory = field(default_factory=Signatory)
    partner_signatories: list[Signatory] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    #: Filled by check_stock().
    partners: list[PartnerLine] = field(default_factory=list)
    entry: "ArchiveEntry | None" = None
    sha256: str | None = None
    signature_label: str | None = None
    #: The signed copy's check (check_signed_copy), reused when the row is imported from the same plan.
    report: dict | None = None
    warnings: list[str] = field(default_factory=list)
    #: Why the row's PDF will be set aside once imported (its signature check raised an alert); [] otherwise.
    alerts: list[str] = field(default_factory=list)

    @property
    def display_title(self) -> str:
        """The title the convention will have (register_convention's default when the cell is empty)."""
        names = french_join([p.organisation.display_name for p in self.partners])
        return (self.title or f"Convention – {names}")[:TITLE_LENGTH]

    def terms(self, hospital, partnerships: list) -> ConventionTerms:
        """The row's terms, signed for the hospital and for each of ``partnerships`` (the row's partners' in order)."""
        signatories = {hospital.organisation_id: self.hospital_signatory}
        signatories.update({line.organisation.id: signatory
                            for line, signatory in zip(self.partners, self.partner_signatories)})
        return ConventionTerms(
            partnerships=partnerships, partner_types=self.partner_types, themes=self.themes,
            effective_date=self.effective_date, duration_months=self.duration_months,
            tacit_renewal=self.tacit_renewal, notice_months=self.notice_months, title=self.title or None,
            signatories=signatories, legal_bases=self.legal_bases)


def parse_row(line: int, cells: dict, *, today: date) -> Row:
    """A row's values, typed; what is wrong is in ``row.problems`` (French, naming the column)."""
    row = Row(line=line)
    problems = row.problems
    row.title = _text(cells.get("titre"))
    if len(row.title) > TITLE_LENGTH:
        problems.append(f"« titre » dépasse {TITLE_LENGTH} caractères")
    row.finess = _finess_numbers(cells.get("finess_partenaires"), problems)
    row.partner_types = _codes(cells, "types_partenaires", PARTNER_TYPES, "type de partenariat", problems)
    row.themes = _codes(cells, "themes", THEMES, "thème", problems)
    row.effective_date = _date(cells, "date_effet", problems)
    row.duration_months = _integer(cells, "duree_mois", 1, 240, problems)
    row.tacit_renewal = _yes_no(cells, "reconduction_tacite", problems)
    row.notice_months = _integer(cells, "preavis_mois", 0, 24, problems)
    row.signed_on = _date(cells, "date_signature", problems)
    if row.signed_on and row.signed_on > today:
        problems.append("« date_signature » est dans le futur")
    row.legal_bases = _legal_bases(cells, problems)
    if _text(cells.get("date_transmission_ars")):
        row.transmitted_on = sent = _date(cells, "date_transmission_ars", problems)
        if sent and (sent > today or (row.signed_on and sent < row.signed_on)):
            problems.append("« date_transmission_ars » ne peut être ni dans le futur ni avant la signature")
    row.filename = _text(cells.get("fichier_pdf"))
    if not row.filename:
        problems.append("« fichier_pdf » est vide : indiquez le nom du PDF signé dans l'archive")
    row.hospital_signatory = Signatory(_short(cells, "signataire_hopital", problems),
                                       _short(cells, "qualite_signataire_hopital", problems))
    row.partner_signatories = _partner_signatories(cells, len(row.finess), problems)
    return row


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "oui" if value else "non"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime):
        value = value.date()
    if isinstance(value, date):
        return value.strftime("%d/%m/%Y")
    return str(value).strip()


def _short(cells: dict, column: str, problems: list[str], limit: int = 120) -> str:
    text = _text(cells.get(column))
    if len(text) > limit:
        problems.append(f"« {column} » dépasse {limit} caractères")
    return text[:limit]


def _finess_numbers(value, problems: list[str]) -> list[str]:
    numbers = []
    for number in SEPARATORS.split(_text(value).upper()):
        if not number:
            continue
        if re.fullmatch(r"\d{8}", number) and finess_problem("0" + number) is None:
            number = "0" + number  # a spreadsheet that took the number for a figure dropped its leading zero
        problem = finess_problem(number)
        if problem:
            problems.append(f"« finess_partenaires » : {problem}")
        elif number not in numbers:
            numbers.append(number)
    if not numbers and not any(p.startswith("« finess_partenaires »") for p in problems):
        problems.append("« finess_partenaires » est vide : indiquez le FINESS ET de chaque partenaire")
    return numbers


def _codes(cells: dict, column: str, vocabulary: dict, what: str, problems: list[str]) -> list[str]:
    """Codes or French labels (« second_recours », « Établissement de second recours », « second recours »),
    separated by commas or semicolons; codes alone may also be separated by spaces."""
    accepted = _accepted_names(vocabulary)
    codes, unknown = [], []
    for item in _items(_text(cells.get(column))):
        code = accepted.get(column_key(item))
        words = [accepted.get(column_key(word)) for word in item.split()]
        if code:
            codes.append(code)
        elif len(words) > 1 and all(words):
            codes.extend(words)
        else:
            unknown.append(item)
    if unknown:
        problems.append(f"« {column} » : {what} inconnu " + ", ".join(f"« {item} »" for item in unknown)
                        + " (codes admis : " + ", ".join(vocabulary) + ", ou leurs libellés de la feuille « Codes » "
                        "du modèle)")
    elif not codes:
        problems.append(f"« {column} » est vide : indiquez au moins un {what}")
    return list(dict.fromkeys(codes))


def _items(text: str) -> list[str]:
    """The values of a cell, split at commas, semicolons and line breaks outside parentheses (a label such as
    « Télémédecine (téléconsultation, téléexpertise) » holds a comma)."""
    items, current, depth = [], "", 0
    for char in text:
        depth += {"(": 1, ")": -1}.get(char, 0)
        if char in ",;\n" and depth <= 0:
            items.append(current)
            current, depth = "", 0
        else:
            current += char
    items.append(current)
    return [item.strip() for item in items if item.strip()]


def _accepted_names(vocabulary: dict) -> dict[str, str]:
    """Every way of naming a code, folded by ``column_key``: the code, its label, the label without its
    parenthesis (« Télémédecine »), the acronym in it (« HAD ») and each side of a slash (« SSR / SMR »). A
    name two codes could claim is left out."""
    claims: dict[str, set[str]] = {}
    for code, label in vocabulary.items():
        bare = re.sub(r"\s*\(.*?\)", "", label)
        names = {code, label, bare, *re.findall(r"\(([^(),]+)\)", label), *label.split("/")}
        for name in names:
            if column_key(name):
                claims.setdefault(column_key(name), set()).add(code)
    return {name: codes.pop() for name, codes in claims.items() if len(codes) == 1}


def _legal_bases(cells: dict, problems: list[str]) -> list[str]:
    """The optional « fondements » column: article numbers as the code writes them (« L6111-3-2 »)."""
    codes = [code.upper() for code in SEPARATORS.split(_text(cells.get("fondements"))) if code]
    unknown = [code for code in codes if code not in LEGAL_BASES]
    if unknown:
        problems.append("« fondements » : fondement juridique inconnu " + ", ".join(f"« {c} »" for c in unknown)
                        + " (articles admis : " + ", ".join(LEGAL_BASES) + ")")
    return list(dict.fromkeys(code for code in codes if code in LEGAL_BASES))


def _date(cells: dict, column: str, problems: list[str]) -> date | None:
    value = cells.get(column)
    if isinstance(value, datetime):
        value = value.date()
    if not isinstance(value, date):
        text = _text(value)
        if not text:
            problems.append(f"« {column} » est vide ({DATE_HELP})")
            return None
        value = None
        for pattern in ("%Y-%m-%d", "%d/%m/%Y"):
            try:
                value = datetime.strptime(text, pattern).date()
                break
            except ValueError:
                continue
        if value is None:
            problems.append(f"« {column} » : « {text} » n'est pas une date valide ({DATE_HELP})")
            return None
    if not 1900 <= value.year <= 2199:
        problems.append(f"« {column} » : l'année {value.year} n'est pas plausible")
        return None
    return value


def _integer(cells: dict, column: str, low: int, high: int, problems: list[str]) -> int | None:
    value = cells.get(column)
    text = _text(value)
    if not text:
        problems.append(f"« {column} » est vide (nombre de mois de {low} à {high})")
        return None
    if isinstance(value, bool) or not re.fullmatch(r"\+?\d+", text):
        problems.append(f"« {column} » : « {text} » n'est pas un nombre entier de mois")
        return None
    if not low <= int(text) <= high:
        problems.append(f"« {column} » : {int(text)} mois, hors des bornes ({low} à {high})")
        return None
    return int(text)


def _yes_no(cells: dict, column: str, problems: list[str]) -> bool | None:
    text = _text(cells.get(column)).lower()
    if text in YES or text in NO:
        return text in YES
    problems.append(f"« {column} » : « {text} » n'est ni oui ni non" if text else f"« {column} » est vide (oui ou non)")
    return None


def _partner_signatories(cells: dict, partners: int, problems: list[str]) -> list[Signatory]:
    columns = ("signataires_partenaires", "qualites_signataires_partenaires")
    lists = [[part.strip() for part in _text(cells.get(column)).split("|")] for column in columns]
    for column, values in zip(columns, lists):
        if any(values) and partners and len(values) != partners:
            problems.append(f"« {column} » : {len(values)} valeur(s) pour {partners} partenaire(s) ; séparez-les "
                            "par des barres verticales (|) dans l'ordre des FINESS")
        elif any(len(value) > 120 for value in values):
            problems.append(f"« {column} » : un nom ou une qualité dépasse 120 caractères")
    names, titles = ([*values, *[""] * partners][:partners] for values in lists)
    return [Signatory(name[:120], title[:120]) for name, title in zip(names, titles)]
