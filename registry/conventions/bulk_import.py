"""Registering a hospital's stock of existing conventions: a spreadsheet (one row per convention) and a ZIP of
their signed PDFs (docs/registering-conventions.md gives the columns, the limits and the decisions).

- ``read_spreadsheet(data)`` reads a CSV or XLSX file, told by its content, into rows of raw cells;
- ``PdfArchive(source)`` opens the ZIP without extracting anything, after refusing dangerous archives;
- ``check_stock(hospital, sheet, archive)`` checks every row (values, partners in the registry, file present and
  a real PDF, duplicates) and returns an ``ImportPlan``: what would be created and each row's problems. It
  writes nothing;
- ``import_stock(hospital, plan, archive)`` creates everything of a plan without problems: the partners to add,
  then per row register_convention → attach_signed_copy → « signée ». It flushes and never commits: the caller
  commits once, so a failure on any row leaves nothing behind (all or nothing).
"""

import codecs
import csv
import io
import re
import stat
import struct
import unicodedata
import zipfile
import zlib
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from registry.conventions import lifecycle
from registry.conventions.models import KIND_SIGNED, PARTY_PARTNER, Convention, ConventionDocument
from registry.conventions.services import TITLE_LENGTH, Signatory, register_convention
from registry.conventions.signed_copies import attach_signed_copy, check_signed_copy
from registry.conventions.transitions import transition
from registry.core.errors import DomainError
from registry.core.french import french_join, french_size
from registry.core.vocabulary import PARTNER_TYPES, THEMES
from registry.extensions import db
from registry.hospitals.services import add_partner
from registry.organisations.identifiers import finess_problem
from registry.organisations.models import Organisation
from registry.signatures import SignedCopyRejected
from registry.signatures.sniff import describe

MIB = 1024 * 1024
#: One import holds at most this many conventions (split a larger stock into several imports).
MAX_ROWS = 500
SPREADSHEET_MAX_BYTES = 5 * MIB
#: An XLSX is itself a ZIP: what openpyxl may have to inflate.
XLSX_MAX_UNCOMPRESSED = 50 * MIB
#: The ZIP of PDFs: entries (folders included), total size once inflated, and the inflation ratio above which
#: an entry of more than 1 Mio is taken for a decompression bomb (PDFs barely compress).
MAX_ENTRIES = 1000
ARCHIVE_MAX_UNCOMPRESSED = 1024 * MIB
MAX_RATIO = 100
#: Files that archiving tools add beside the PDFs; never matched, never listed as unused.
SYSTEM_FILES = frozenset({".ds_store", "thumbs.db", "desktop.ini"})
ADDED_PARTNER_NOTE = "Ajouté lors de l'import des conventions existantes."

DATE_HELP = "AAAA-MM-JJ ou JJ/MM/AAAA"
SEPARATORS = re.compile(r"[\s,;]+")
YES = frozenset({"oui", "o", "yes", "y", "vrai", "true", "1", "x"})
NO = frozenset({"non", "n", "no", "faux", "false", "0"})


class ImportRefused(DomainError):
    """The spreadsheet or the archive cannot be used at all (as opposed to a row's problem)."""


@dataclass(frozen=True)
class Column:
    name: str
    required: bool
    example: str
    help: str


#: The import's columns, in the model's order (the header names are the contract; other columns are ignored).
COLUMNS = (
    Column("titre", False, "Convention de partenariat avec l'EHPAD", "Intitulé de la convention (300 caractères "
           "au plus). Vide : « Convention – » suivi du nom des partenaires."),
    Column("finess_partenaires", True, "210001236", "FINESS ET (établissement) de chaque partenaire, séparés par "
           "des virgules pour une convention à plusieurs partenaires. L'hôpital est partie d'office."),
    Column("types_partenaires", True, "ehpad", "Codes des types de partenariat couverts, séparés par des "
           "virgules : " + ", ".join(PARTNER_TYPES) + "."),
    Column("themes", True, "continuite_soins,retour_domicile", "Codes des thèmes couverts, séparés par des "
           "virgules : " + ", ".join(THEMES) + "."),
    Column("date_effet", True, "01/01/2019", f"Date d'effet ({DATE_HELP}) ; une date passée est acceptée."),
    Column("duree_mois", True, "36", "Durée en mois, de 1 à 240."),
    Column("reconduction_tacite", True, "oui", "oui ou non."),
    Column("preavis_mois", True, "3", "Préavis de résiliation en mois, de 0 à 24."),
    Column("date_signature", True, "15/12/2018", f"Date de signature ({DATE_HELP}), pas dans le futur."),
    Column("fichier_pdf", True, "convention-ehpad-2019.pdf", "Nom du PDF signé dans l'archive ZIP (avec son "
           "dossier si deux fichiers portent le même nom)."),
    Column("signataire_hopital", False, "Marie Durand", "Nom de la personne qui a signé pour l'hôpital."),
    Column("qualite_signataire_hopital", False, "Directrice", "Sa qualité."),
    Column("signataires_partenaires", False, "Paul Martin", "Noms des signataires des partenaires, séparés par "
           "des barres verticales (|) dans l'ordre des FINESS."),
    Column("qualites_signataires_partenaires", False, "Directeur", "Leurs qualités, séparées par des barres "
           "verticales (|) dans le même ordre."),
)
COLUMN_NAMES = tuple(column.name for column in COLUMNS)
REQUIRED_COLUMNS = tuple(column.name for column in COLUMNS if column.required)


# --- The spreadsheet ------------------------------------------------------------------------------------------

@dataclass
class Sheet:
    #: (line number as the spreadsheet shows it, {column: raw cell}) for each non-empty row.
    rows: list[tuple[int, dict]]
    ignored_columns: list[str] = field(default_factory=list)


def read_spreadsheet(data: bytes) -> Sheet:
    """The rows of a CSV (``;`` separated, UTF-8 with or without BOM, else cp1252) or XLSX (first sheet) file."""
    if not data:
        raise ImportRefused("Le tableur est vide (0 octet).")
    if len(data) > SPREADSHEET_MAX_BYTES:
        raise ImportRefused(f"Le tableur dépasse la limite de {SPREADSHEET_MAX_BYTES // MIB} Mo : découpez le stock "
                            "en plusieurs imports.")
    if data.startswith(b"PK\x03\x04"):
        return _read_xlsx(data)
    if not data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        looks_like = _looks_like(data)
        if looks_like not in (None, "un fichier texte") or b"\x00" in data:
            raise ImportRefused("Le tableur doit être un classeur Excel (.xlsx) ou un fichier CSV : ce fichier "
                                f"ressemble à {looks_like or 'un fichier binaire'}. Enregistrez-le au format "
                                ".xlsx ou CSV (séparateur point-virgule).")
    return _read_csv(_decode(data))


def _looks_like(data: bytes) -> str | None:
    return "un PDF" if data.startswith(b"%PDF-") else describe(data)


def _decode(data: bytes) -> str:
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return data.decode("utf-16")
    try:
        return data.removeprefix(codecs.BOM_UTF8).decode("utf-8")
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1252")
    except UnicodeDecodeError:
        raise ImportRefused("L'encodage du fichier CSV n'est pas reconnu : enregistrez-le en « CSV UTF-8 ».") \
            from None


def _read_csv(text: str) -> Sheet:
    first_line = text.split("\n", 1)[0]
    delimiter = next((d for d in (";", "\t", ",") if d in first_line), ";")
    try:
        records = list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))
    except csv.Error as error:
        raise ImportRefused(f"Le fichier CSV ne peut pas être lu : {error}.") from None
    if not records:
        raise ImportRefused("Le tableur ne contient pas de ligne d'en-tête.")
    return _sheet(records[0], ((line, record) for line, record in enumerate(records[1:], start=2)))


def _read_xlsx(data: bytes) -> Sheet:
    from openpyxl import load_workbook

    try:
        with zipfile.ZipFile(io.BytesIO(data)) as package:
            infos = package.infolist()
            names = {info.filename for info in infos}
    except zipfile.BadZipFile:
        raise ImportRefused("Le classeur Excel est endommagé : il ne peut pas être ouvert.") from None
    if "xl/workbook.xml" not in names:
        raise ImportRefused(f"Le tableur doit être un classeur Excel (.xlsx) ou un fichier CSV : ce fichier "
                            f"ressemble à {_looks_like(data)}. Enregistrez-le au format .xlsx ou CSV.")
    if len(infos) > MAX_ENTRIES or sum(info.file_size for info in infos) > XLSX_MAX_UNCOMPRESSED:
        raise ImportRefused("Le classeur Excel est anormalement volumineux une fois décompressé : "
                            "enregistrez-le au format CSV.")
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises many kinds on a damaged package
        raise ImportRefused(f"Le classeur Excel ne peut pas être lu ({type(error).__name__}) : enregistrez-le "
                            "à nouveau depuis Excel, ou au format CSV.") from None
    try:
        rows = workbook.worksheets[0].iter_rows(values_only=True)
        header = next(rows, ())
        return _sheet(header, ((line, values) for line, values in enumerate(rows, start=2)))
    finally:
        workbook.close()


def _column_key(text) -> str:
    """« Date effet » → date_effet: case, accents and spaces do not matter in the header."""
    text = unicodedata.normalize("NFKD", str(text or "")).encode("ascii", "ignore").decode().lower()
    return re.sub(r"[^a-z0-9]+", "_", text).strip("_")


def _sheet(header, records) -> Sheet:
    columns, ignored = {}, []
    for index, name in enumerate(header):
        key = _column_key(name)
        if key in COLUMN_NAMES:
            if key in columns.values():
                raise ImportRefused(f"La colonne « {key} » apparaît deux fois dans la ligne d'en-tête.")
            columns[index] = key
        elif key:
            ignored.append(str(name).strip())
    missing = [name for name in REQUIRED_COLUMNS if name not in columns.values()]
    if missing:
        raise ImportRefused("Colonnes obligatoires absentes de la première ligne : " + ", ".join(missing)
                            + ". Partez du modèle téléchargeable : sa première ligne est l'en-tête attendu.")
    rows = []
    for line, values in records:
        cells = {columns[i]: _cell(value) for i, value in enumerate(values) if i in columns}
        if any(value not in (None, "") for value in cells.values()):
            rows.append((line, cells))
            if len(rows) > MAX_ROWS:
                raise ImportRefused(f"Le tableur compte plus de {MAX_ROWS} conventions : découpez le stock en "
                                    "plusieurs imports.")
    if not rows:
        raise ImportRefused("Le tableur ne contient aucune convention sous sa ligne d'en-tête.")
    return Sheet(rows=rows, ignored_columns=ignored)


def _cell(value):
    return value.strip() if isinstance(value, str) else value


# --- One row --------------------------------------------------------------------------------------------------

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
    filename: str = ""
    hospital_signatory: Signatory = field(default_factory=Signatory)
    partner_signatories: list[Signatory] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    #: Filled by check_stock().
    partners: list[PartnerLine] = field(default_factory=list)
    entry: "ArchiveEntry | None" = None
    sha256: str | None = None
    signature_label: str | None = None
    warnings: list[str] = field(default_factory=list)

    @property
    def display_title(self) -> str:
        """The title the convention will have (register_convention's default when the cell is empty)."""
        names = french_join([p.organisation.display_name for p in self.partners])
        return (self.title or f"Convention – {names}")[:TITLE_LENGTH]


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
    codes = [code.lower() for code in SEPARATORS.split(_text(cells.get(column))) if code]
    unknown = [code for code in codes if code not in vocabulary]
    if unknown:
        problems.append(f"« {column} » : {what} inconnu " + ", ".join(f"« {code} »" for code in unknown)
                        + " (codes admis : " + ", ".join(vocabulary) + ")")
    elif not codes:
        problems.append(f"« {column} » est vide : indiquez au moins un {what}")
    return list(dict.fromkeys(code for code in codes if code in vocabulary))


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


# --- The archive of signed PDFs -------------------------------------------------------------------------------

@dataclass(frozen=True)
class ArchiveEntry:
    name: str
    info: zipfile.ZipInfo

    @property
    def key(self) -> str:
        return _path_key(self.name)


def _path_key(name: str) -> str:
    key = unicodedata.normalize("NFC", name).replace("\\", "/").strip()
    while key.startswith("./"):
        key = key[2:]
    return key.casefold()


def _entry_name(info: zipfile.ZipInfo) -> str:
    """The entry's name as its author saw it: names without the UTF-8 flag are read as UTF-8, else as the
    DOS code page French Windows writes (cp850), not as cp437 like zipfile does."""
    if info.flag_bits & 0x800:
        return info.filename
    raw = info.filename.encode("cp437")
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        return raw.decode("cp850")


def _unsafe(name: str) -> str | None:
    if name.startswith(("/", "\\")) or re.match(r"^[A-Za-z]:", name):
        return "est un chemin absolu"
    if ".." in re.split(r"[\\/]", name):
        return "remonte hors du dossier de l'archive (« .. »)"
    if any(ord(char) < 32 for char in name):
        return "contient des caractères de contrôle"
    return None


def _declared_entries(handle) -> int | None:
    """The number of entries the end record announces, read before zipfile loads the whole directory."""
    handle.seek(0, io.SEEK_END)
    size = handle.tell()
    handle.seek(max(0, size - 22 - 65535))
    tail = handle.read()
    at = tail.rfind(b"PK\x05\x06")
    if at < 0 or len(tail) - at < 22:
        return None
    return struct.unpack("<H", tail[at + 10:at + 12])[0]


def _archive_refused(message: str) -> ImportRefused:
    return ImportRefused(f"L'archive ZIP est refusée : {message}.")


def _too_many_entries() -> ImportRefused:
    return _archive_refused(f"elle contient plus de {MAX_ENTRIES} fichiers ; découpez le stock en plusieurs imports")


class PdfArchive:
    """A ZIP of signed PDFs, read in place: nothing is ever extracted to disk, no name from it is a path."""

    def __init__(self, source: str | Path | bytes, *, max_entry_bytes: int):
        self.max_entry_bytes = max_entry_bytes
        self._handle = io.BytesIO(source) if isinstance(source, bytes) else open(source, "rb")
        try:
            self._open()
        except BaseException:
            self._handle.close()
            raise

    def _open(self) -> None:
        declared = _declared_entries(self._handle)
        if declared is None:
            self._handle.seek(0)
            head = self._handle.read(4096)
            raise _archive_refused(f"ce fichier n'est pas une archive ZIP (il ressemble à "
                            f"{'un PDF' if head.startswith(b'%PDF-') else describe(head) or 'un fichier binaire'})")
        if declared > MAX_ENTRIES:
            raise _too_many_entries()
        try:
            self._zip = zipfile.ZipFile(self._handle)
        except (zipfile.BadZipFile, OSError, ValueError):
            raise _archive_refused("elle est endommagée et ne peut pas être ouverte")
        self.entries: list[ArchiveEntry] = []
        total = 0
        for info in self._zip.infolist():
            name = _entry_name(info)
            problem = _unsafe(name)
            if problem:
                raise _archive_refused(f"le fichier « {name} » {problem} ; créez l'archive à partir du dossier des PDF")
            if stat.S_ISLNK(info.external_attr >> 16):
                raise _archive_refused(f"« {name} » est un lien symbolique, pas un fichier")
            total += info.file_size
            if info.file_size > MIB and info.file_size > MAX_RATIO * max(info.compress_size, 1):
                raise _archive_refused(f"« {name} » se décompresserait de {french_size(info.compress_size)} à "
                                f"{french_size(info.file_size)}, ce qui n'est pas le cas d'un PDF")
            if not (info.is_dir() or self._is_system_file(name)):
                self.entries.append(ArchiveEntry(name, info))
        if len(self._zip.infolist()) > MAX_ENTRIES:
            raise _too_many_entries()
        if total > ARCHIVE_MAX_UNCOMPRESSED:
            raise _archive_refused("une fois décompressée, elle ferait plus de "
                                   f"{french_size(ARCHIVE_MAX_UNCOMPRESSED)}")
        if not self.entries:
            raise _archive_refused("elle ne contient aucun fichier")

    @staticmethod
    def _is_system_file(name: str) -> bool:
        parts = name.replace("\\", "/").split("/")
        return "__MACOSX" in parts or parts[-1].startswith("._") or parts[-1].lower() in SYSTEM_FILES

    def close(self) -> None:
        self._zip.close()
        self._handle.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def find(self, filename: str) -> tuple[ArchiveEntry | None, str | None]:
        """The entry a row names, by its path in the archive, else by its file name alone; or the problem."""
        for key in dict.fromkeys([_path_key(filename), _path_key(filename) + ".pdf"]):
            matches = [e for e in self.entries if e.key == key] or (
                [e for e in self.entries if e.key.rsplit("/", 1)[-1] == key] if "/" not in key else [])
            if len(matches) == 1:
                return matches[0], None
            if matches:
                return None, (f"plusieurs fichiers « {filename} » dans l'archive ("
                              + ", ".join(e.name for e in matches) + ") : indiquez le chemin complet")
        return None, f"le fichier « {filename} » est absent de l'archive ZIP"

    def read(self, entry: ArchiveEntry) -> tuple[bytes | None, str | None]:
        """The entry's bytes, never more than the signed-copy size cap; or the problem."""
        info = entry.info
        if info.flag_bits & 0x1:
            return None, f"« {entry.name} » est protégé par un mot de passe dans l'archive : recréez-la sans"
        too_big = (f"« {entry.name} » fait plus de {french_size(self.max_entry_bytes)}, la taille maximale d'une "
                   "copie signée")
        if info.file_size > self.max_entry_bytes:
            return None, too_big
        try:
            with self._zip.open(info) as handle:
                data = handle.read(self.max_entry_bytes + 1)
        except NotImplementedError:
            return None, (f"« {entry.name} » est compressé par une méthode non prise en charge : recréez l'archive "
                          "avec l'outil de compression de Windows ou de macOS")
        except (zipfile.BadZipFile, zlib.error, EOFError, OSError):
            return None, f"« {entry.name} » est endommagé dans l'archive"
        return (None, too_big) if len(data) > self.max_entry_bytes else (data, None)


# --- Checking the stock ---------------------------------------------------------------------------------------

@dataclass
class NewPartner:
    """An organisation of the registry that becomes the hospital's partner with the import."""

    organisation: Organisation
    partner_types: list[str]
    themes: list[str]
    lines: list[int]


@dataclass
class ImportPlan:
    rows: list[Row]
    new_partners: list[NewPartner]
    ignored_columns: list[str]
    #: Files of the archive that no row names (shown, never imported).
    unused_files: list[str]

    @property
    def rows_with_problems(self) -> list[Row]:
        return [row for row in self.rows if row.problems]

    @property
    def ready(self) -> bool:
        return bool(self.rows) and not self.rows_with_problems


def check_stock(hospital, sheet: Sheet, archive: PdfArchive, *, today: date | None = None) -> ImportPlan:
    """Every row checked against the vocabulary, the registry and the archive; nothing is written."""
    rows = [parse_row(line, cells, today=today or date.today()) for line, cells in sheet.rows]
    _find_partners(hospital, rows)
    used = _check_files(rows, archive)
    _find_duplicates(hospital, rows)
    return ImportPlan(rows=rows, new_partners=_new_partners(rows), ignored_columns=sheet.ignored_columns,
                      unused_files=[e.name for e in archive.entries if e.key not in used])


def _find_partners(hospital, rows: list[Row]) -> None:
    """Partners by FINESS ET, in two queries whatever the number of rows."""
    wanted = {number for row in rows for number in row.finess}
    found = {o.finess_et: o for o in db.session.scalars(select(Organisation).where(
        Organisation.finess_et.in_(wanted)))} if wanted else {}
    missing = wanted - found.keys()
    legal_entities = {number: name for number, name in db.session.execute(
        select(Organisation.finess_ej, Organisation.name).where(Organisation.finess_ej.in_(missing)))}
    partnerships = {p.partner_id: p for p in hospital.partnerships}
    for row in rows:
        for number in row.finess:
            organisation = found.get(number)
            if organisation is None and number in legal_entities:
                row.problems.append(f"« {number} » est le FINESS juridique (EJ) de {legal_entities[number]} : "
                                    "indiquez le FINESS de l'établissement (ET)")
            elif organisation is None:
                row.problems.append(f"FINESS « {number} » inconnu du registre : ajoutez ce partenaire à l'hôpital "
                                    "(hors FINESS s'il le faut) et enregistrez cette convention avec le formulaire")
            elif organisation.id == hospital.organisation_id:
                row.problems.append(f"« {number} » est l'hôpital lui-même : il est partie d'office, ne "
                                    "l'indiquez pas parmi les partenaires")
            else:
                row.partners.append(PartnerLine(organisation, partnerships.get(organisation.id)))


def _check_files(rows: list[Row], archive: PdfArchive) -> set[str]:
    """Each row's PDF: present in the archive, used once, and a signed copy the registry accepts."""
    first_use: dict[str, int] = {}
    for row in rows:
        if not row.filename:
            continue
        entry, problem = archive.find(row.filename)
        if entry is not None and entry.key in first_use:
            problem = f"le fichier « {entry.name} » est déjà celui de la ligne {first_use[entry.key]}"
        if problem:
            row.problems.append(problem)
            continue
        first_use[entry.key] = row.line
        data, problem = archive.read(entry)
        if problem:
            row.problems.append(problem)
            continue
        try:
            report = check_signed_copy(data)
        except SignedCopyRejected as error:
            row.problems.append(f"« {entry.name} » : {error.message}")
            continue
        row.entry, row.sha256 = entry, report["pdf"]["sha256"]
        row.signature_label, row.warnings = report["label"], report["pdf"]["warnings"]
    return set(first_use)


def _find_duplicates(hospital, rows: list[Row]) -> None:
    """The same convention twice in the file, or already in the registry (same partners, date and title, or
    the same PDF): importing a stock twice must not double it."""
    def key(partner_ids, effective_date, title):
        return frozenset(partner_ids), effective_date, title.casefold()

    existing = db.session.scalars(select(Convention).where(
        Convention.hospital_id == hospital.id, Convention.parent_id.is_(None)).options(
        selectinload(Convention.parties)))
    registered = {key((p.organisation_id for p in c.parties if p.role == PARTY_PARTNER), c.effective_date,
                      c.title): c.reference for c in existing}
    copies = {sha256: reference for sha256, reference in db.session.execute(
        select(ConventionDocument.sha256, Convention.reference).join(Convention)
        .where(Convention.hospital_id == hospital.id, ConventionDocument.kind == KIND_SIGNED))}
    seen_keys: dict[tuple, int] = {}
    seen_pdfs: dict[str, int] = {}
    for row in rows:
        if row.partners and row.effective_date:
            row_key = key((p.organisation.id for p in row.partners), row.effective_date, row.display_title)
            if row_key in registered:
                row.problems.append(f"déjà enregistrée : la convention {registered[row_key]} a les mêmes "
                                    "partenaires, la même date d'effet et le même intitulé")
            elif row_key in seen_keys:
                row.problems.append(f"en double : mêmes partenaires, date d'effet et intitulé qu'à la ligne "
                                    f"{seen_keys[row_key]}")
            seen_keys.setdefault(row_key, row.line)
        if row.sha256:
            if row.sha256 in copies:
                row.problems.append(f"ce PDF est déjà la copie signée de la convention {copies[row.sha256]}")
            elif row.sha256 in seen_pdfs:
                row.problems.append(f"ce PDF a le même contenu que celui de la ligne {seen_pdfs[row.sha256]}")
            seen_pdfs.setdefault(row.sha256, row.line)


def _new_partners(rows: list[Row]) -> list[NewPartner]:
    """Organisations named by rows that are not yet partners: added with the types their rows cover that they
    can play (else the types of their FINESS category), and their rows' themes."""
    new: dict[int, NewPartner] = {}
    for row in rows:
        for line in row.partners:
            if line.partnership is not None:
                continue
            organisation = line.organisation
            partner = new.setdefault(organisation.id, NewPartner(organisation, [], [], []))
            partner.partner_types += [t for t in row.partner_types if t in organisation.partner_types
                                      and t not in partner.partner_types]
            partner.themes += [t for t in row.themes if t not in partner.themes]
            partner.lines.append(row.line)
    for partner in new.values():
        partner.partner_types = partner.partner_types or list(partner.organisation.partner_types)
    return list(new.values())


# --- Creating the stock ---------------------------------------------------------------------------------------

def import_stock(hospital, plan: ImportPlan, archive: PdfArchive, *, actor=None) -> list[Convention]:
    """Create every convention of a plan without problems, signed with its copy; flushes, the caller commits.

    Conventions are numbered in the order of their effective dates, so the references of a year follow them.
    A refusal names its line; the caller's rollback then undoes every row (all or nothing).
    """
    if not plan.ready:
        raise DomainError(f"Import refusé : {len(plan.rows_with_problems)} ligne(s) à corriger.")
    partnerships = {p.partner_id: p for p in hospital.partnerships}
    for new in plan.new_partners:
        partnerships[new.organisation.id] = add_partner(hospital, new.organisation, partner_types=new.partner_types,
                                                        themes=new.themes, notes=ADDED_PARTNER_NOTE)
    created = []
    for row in sorted(plan.rows, key=lambda r: (r.effective_date, r.line)):
        try:
            created.append(_create(hospital, row, partnerships, archive, actor))
        except DomainError as error:
            raise DomainError(f"Ligne {row.line} : {error.message}", details=error.details) from error
    return created


def _create(hospital, row: Row, partnerships: dict, archive: PdfArchive, actor) -> Convention:
    signatories = {hospital.organisation_id: row.hospital_signatory}
    signatories.update({line.organisation.id: signatory
                        for line, signatory in zip(row.partners, row.partner_signatories)})
    convention = register_convention(
        hospital, partnerships=[partnerships[line.organisation.id] for line in row.partners],
        partner_types=row.partner_types, themes=row.themes, effective_date=row.effective_date,
        duration_months=row.duration_months, tacit_renewal=row.tacit_renewal, notice_months=row.notice_months,
        title=row.title or None, signatories=signatories, actor=actor)
    data, problem = archive.read(row.entry)
    if problem:
        raise DomainError(problem)
    attach_signed_copy(convention, data, actor=actor)
    transition(convention, lifecycle.SIGNEE, actor=actor, date=row.signed_on)
    return convention


# --- The model file -------------------------------------------------------------------------------------------

def model_values(hospital) -> list[str]:
    """The model's example row, about one of the hospital's partners in FINESS when it has one."""
    values = {column.name: column.example for column in COLUMNS}
    partnership = next((p for p in hospital.partnerships if p.partner.finess_et), None)
    if partnership is not None:
        values.update(titre=f"Convention de partenariat avec {partnership.partner.display_name}"[:TITLE_LENGTH],
                      finess_partenaires=partnership.partner.finess_et,
                      types_partenaires=",".join(partnership.partner_types))
    return [values[name] for name in COLUMN_NAMES]


def model_csv(hospital) -> bytes:
    """The header and the example row, `;` separated, in UTF-8 with a BOM (so Excel reads the accents)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow(COLUMN_NAMES)
    writer.writerow(model_values(hospital))
    return codecs.BOM_UTF8 + buffer.getvalue().encode("utf-8")


def model_xlsx(hospital) -> bytes:
    """The same as a workbook: the first sheet is read by the import; two more explain the columns and codes."""
    from openpyxl import Workbook
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Conventions"
    sheet.append(COLUMN_NAMES)
    sheet.append(model_values(hospital))
    for index, name in enumerate(COLUMN_NAMES, start=1):
        letter = get_column_letter(index)
        sheet[f"{letter}1"].font = Font(bold=True)
        sheet.column_dimensions[letter].width = max(14, len(name) + 4)
        sheet.column_dimensions[letter].number_format = "@"  # FINESS, codes and dates stay as typed
        sheet[f"{letter}2"].number_format = "@"
    sheet.freeze_panes = "A2"
    columns = workbook.create_sheet("Colonnes")
    columns.append(("colonne", "obligatoire", "contenu"))
    for column in COLUMNS:
        columns.append((column.name, "oui" if column.required else "non", column.help))
    codes = workbook.create_sheet("Codes")
    codes.append(("colonne", "code", "signification"))
    for column, vocabulary in (("types_partenaires", PARTNER_TYPES), ("themes", THEMES)):
        for code, label in vocabulary.items():
            codes.append((column, code, label))
    for extra in (columns, codes):
        for cell in extra[1]:
            cell.font = Font(bold=True)
        extra.column_dimensions["A"].width, extra.column_dimensions["B"].width = 34, 24
        extra.column_dimensions["C"].width = 100
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
