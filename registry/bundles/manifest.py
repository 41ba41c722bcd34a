"""What a bundle says about each file: its place in the ZIP and its manifest record, then manifest.csv (French
headings, `;`, UTF-8 with BOM, for people and spreadsheets) and manifest.json (for programs and verify-bundle).

Everything here is a function of the rows and the bundle's date, in a fixed order (département, FINESS,
reference), so the same content always gives the same manifest.
"""

import json
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from hashlib import sha256

from registry.bundles.copies import SignedCopy
from registry.bundles.names import fold, safe_name, unique_names
from registry.compliance.exports import to_csv
from registry.core.spreadsheets import safe as safe_cell
from registry.conventions.lifecycle import STATE_LABELS
from registry.conventions.models import COPY_CONFIRMED
from registry.conventions.signed_copies import copy_alerts
from registry.conventions.statuses import Status
from registry.core import clock
from registry.core.french import PARIS
from registry.core.vocabulary import PARTNER_TYPES

MANIFEST_JSON, MANIFEST_CSV, CONFORMITE_CSV, README = "manifest.json", "manifest.csv", "conformite.csv", "LISEZMOI.txt"
#: manifest.json's "format": changes when a field changes meaning.
FORMAT = "registre-hdp/lot-conventions-signees/1"
#: Signature check of a copy stored without a report (none is made for copies registered before the check).
NOT_CHECKED = "non contrôlée"


@dataclass(frozen=True)
class BundleFile:
    """A signed copy in the bundle: where it goes, which stored bytes, and its manifest record."""

    path: str
    sha256: str
    size: int
    record: dict
    #: The copy's CRC-32 when it was recorded at upload (the ZIP writer then need not compute it).
    crc32: int | None = None


def bundle_files(copies: Iterable[SignedCopy], at: date) -> list[BundleFile]:
    """The files of the copies, laid out as « <département>/<FINESS> <hôpital>/<référence> <partenaires>.pdf »,
    sorted, with names made safe and unique. Only what the layout and the manifest need is kept of each copy, so
    the copies may be streamed and let go."""
    gathered = sorted((_sort_key(copy), _departement(copy), copy.hospital_id,
                       f"{copy.hospital_finess_et or 'sans FINESS'} {copy.hospital_name}",
                       _file_name(copy), copy.sha256, copy.size, copy.crc32, record(copy, at))
                      for copy in copies)
    tree: dict[str, dict[int, tuple[str, list]]] = {}
    for _, departement, hospital_id, folder, *copy in gathered:
        tree.setdefault(departement, {}).setdefault(hospital_id, (folder, []))[1].append(copy)
    del gathered
    files = []
    for departement, hospitals in tree.items():
        folders = unique_names([safe_name(folder) for folder, _ in hospitals.values()])
        for folder, (_, copies) in zip(folders, hospitals.values()):
            names = unique_names([file_name for file_name, *_ in copies], extension=".pdf")
            files += [BundleFile(f"{departement}/{folder}/{name}", sha, size, item, crc32)
                      for name, (_, sha, size, crc32, item) in zip(names, copies)]
    return files


def _sort_key(copy: SignedCopy) -> tuple:
    return (copy.departement or "", copy.hospital_finess_et or "", copy.hospital_id, copy.reference,
            copy.convention_id)


def _departement(copy: SignedCopy) -> str:
    return safe_name(copy.departement or "", fallback="sans departement")


def _file_name(copy: SignedCopy) -> str:
    partners = ", ".join(fold(party.name) for party in copy.partners)  # each name folded once per bundle
    return safe_name(f"{copy.reference} {partners}", extension=".pdf")


def record(copy: SignedCopy, at: date) -> dict:
    """The manifest.json record of a signed copy (without its path, size and SHA-256, added by the caller)."""
    report = copy.signature_report or {}
    terms = copy.terms
    return {
        "reference": copy.reference,
        "kind": copy.kind,
        "parent_reference": copy.parent_reference,
        "title": copy.title,
        "hospital": {"finess_et": copy.hospital_finess_et, "name": copy.hospital_name,
                     "departement": copy.departement},
        "parties": [{"role": party.role, "name": party.name, "finess_et": party.finess_et, "siret": party.siret,
                     "rna": party.rna} for party in copy.parties],
        "partner_types": list(copy.partner_types or []),
        "status": terms.status,
        "state": copy.state_on(at),
        "signed_on": _iso(terms.signed_on),
        "effective_date": _iso(terms.effective_date),
        "end_date": _iso(copy.end_on(at)),
        "terminated_on": _iso(terms.terminated_on),
        "copy_version": copy.version,
        "signature_check": {
            "label": report.get("label", NOT_CHECKED),
            "signatures": [{"signer": item.get("signer"), "signing_time": item.get("signing_time"),
                            "label": item.get("label")} for item in report.get("signatures", [])],
        },
        # Added after format /1 (readers of /1 ignore it): null unless the copy was set aside by its signature
        # check and then confirmed by the hospital despite the alert.
        "confirmed_despite_alert": _confirmation(copy),
    }


def _confirmation(copy: SignedCopy) -> dict | None:
    if copy.review != COPY_CONFIRMED:
        return None
    return {"reason": copy.review_reason,
            "at": clock.as_utc(copy.reviewed_at).astimezone(PARIS).date().isoformat() if copy.reviewed_at else None,
            "alerts": copy_alerts(copy.signature_report)}


def _iso(value: date | None) -> str | None:
    return value.isoformat() if value else None


#: Stands for the list of files while the rest of manifest.json is encoded (control characters are escaped, and
#: nothing after the list holds text from the registry, so its last occurrence is this one).
_FILES_PLACEHOLDER = "\x00files\x00"
#: One file record on one line (the C encoder: ``indent`` would switch to the pure-Python one, ten times slower).
_RECORD = json.JSONEncoder(ensure_ascii=False, separators=(", ", ": ")).encode


def manifest_json(header: dict, files: list[BundleFile], others: dict[str, bytes]) -> bytes:
    """manifest.json: the bundle's header, every signed copy with its path, size and SHA-256, and the SHA-256
    of the other files (LISEZMOI.txt, manifest.csv, conformite.csv) so that verify-bundle checks them too.

    Indented by two spaces, but each file's record on one line: readable, and written one record at a time (the
    whole document as one Python object, with the encoder's pieces of it, would take several times its size).
    """
    document = {
        "format": FORMAT,
        **header,
        "totals": {"files": len(files), "size": sum(item.size for item in files)},
        "files": _FILES_PLACEHOLDER,
        "other_files": [{"path": name, "size": len(data), "sha256": sha256(data).hexdigest()}
                        for name, data in sorted(others.items())],
    }
    head, tail = json.dumps(document, ensure_ascii=False, indent=2).rsplit(json.dumps(_FILES_PLACEHOLDER), 1)
    parts = [head.encode("utf-8"), b"[\n" if files else b"[]"]
    for number, item in enumerate(files, 1):
        record = _RECORD({"path": item.path, "size": item.size, "sha256": item.sha256, **item.record})
        parts.append(f"    {record}{',' if number < len(files) else ''}\n".encode("utf-8"))
    if files:
        parts.append(b"  ]")
    parts.append((tail + "\n").encode("utf-8"))
    return b"".join(parts)


#: (French heading, how to read the cell from a file) of each manifest.csv column.
CSV_COLUMNS = (
    ("Chemin", lambda f, r: f.path),
    ("Taille (octets)", lambda f, r: str(f.size)),
    ("SHA-256", lambda f, r: f.sha256),
    ("Référence", lambda f, r: r["reference"]),
    ("Nature", lambda f, r: r["kind"]),
    ("Convention d'origine", lambda f, r: r["parent_reference"] or ""),
    ("Intitulé", lambda f, r: r["title"]),
    ("Hôpital", lambda f, r: r["hospital"]["name"]),
    ("FINESS de l'hôpital", lambda f, r: r["hospital"]["finess_et"] or ""),
    ("Partenaires", lambda f, r: " | ".join(p["name"] for p in _partners(r))),
    ("Identifiants des partenaires", lambda f, r: " | ".join(_identifier(p) for p in _partners(r))),
    ("Types de partenariat", lambda f, r: " | ".join(PARTNER_TYPES.get(c, c) for c in r["partner_types"])),
    ("Statut", lambda f, r: Status.label_of(r["status"])),
    ("État à la date du lot", lambda f, r: STATE_LABELS.get(r["state"], r["state"] or "")),
    ("Signée le", lambda f, r: r["signed_on"] or ""),
    ("Date d'effet", lambda f, r: r["effective_date"] or ""),
    ("Fin", lambda f, r: r["end_date"] or ""),
    ("Résiliée le", lambda f, r: r["terminated_on"] or ""),
    ("Version de la copie", lambda f, r: str(r["copy_version"])),
    ("Contrôle des signatures", lambda f, r: r["signature_check"]["label"]),
    ("Confirmée malgré l'alerte", lambda f, r: _confirmation_cell(r.get("confirmed_despite_alert"))),
)


def _confirmation_cell(confirmation: dict | None) -> str:
    return f"oui : {confirmation['reason']}" if confirmation else ""


def _partners(record: dict) -> list[dict]:
    return [party for party in record["parties"] if party["role"] == "partner"]


def _identifier(party: dict) -> str:
    if party["finess_et"]:
        return f"FINESS {party['finess_et']}"
    if party["siret"]:
        return f"SIRET {party['siret']}"
    return f"RNA {party['rna']}" if party["rna"] else "—"


def csv_bytes(rows: list[list[str]]) -> bytes:
    """Rows as the bundle's CSV files are written, like the compliance exports: `;`, CRLF, UTF-8 with a BOM (Excel
    reads the accents), and no cell a spreadsheet would take for a formula (written after a quote)."""
    safe = [[safe_cell(cell) for cell in row] for row in rows]
    return ("\ufeff" + to_csv(safe)).encode("utf-8")


def manifest_csv(files: list[BundleFile]) -> bytes:
    rows = [[heading for heading, _ in CSV_COLUMNS]]
    rows += [[cell(item, item.record) for _, cell in CSV_COLUMNS] for item in files]
    return csv_bytes(rows)
