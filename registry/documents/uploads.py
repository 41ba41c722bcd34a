"""An administrator's upload of a template, shared by the API and the administration pages: reading the manifest
sent beside the .docx, validating, and storing a new template or a new version of one."""

import hashlib
import json

from sqlalchemy import func, select

from registry.core.errors import Conflict
from registry.documents.manifest import parse_manifest, validate_manifest
from registry.documents.models import TemplateVersion
from registry.documents.problems import Problem
from registry.documents.versions import TemplateRejected, check_upload, register_upload
from registry.extensions import db

#: Lengths of the template_versions columns that a manifest fills.
MAX_NAME, MAX_CODE = 200, 60
_JSON_MESSAGES = {
    "Expecting value": "valeur attendue",
    "Expecting ',' delimiter": "virgule attendue",
    "Expecting ':' delimiter": "deux-points attendus",
    "Expecting property name enclosed in double quotes": "nom de clé entre guillemets droits attendu",
    "Unterminated string starting at": "texte sans guillemet fermant",
    "Invalid control character at": "caractère de contrôle dans un texte",
    "Extra data": "texte en trop après la fin de l'objet JSON",
    "Invalid \\escape": "séquence d'échappement invalide",
}


def _manifest_problem(message: str, paragraph: str = "", code: str = "invalid_manifest") -> Problem:
    return Problem(message=message, part="manifest", paragraph=paragraph, code=code)


def _unstorable(value) -> bool:
    """Whether a manifest holds text no database stores (NUL, lone UTF-16 surrogate)."""
    if isinstance(value, dict):
        return any(_unstorable(key) or _unstorable(item) for key, item in value.items())
    if isinstance(value, list):
        return any(_unstorable(item) for item in value)
    if isinstance(value, str):
        return "\x00" in value or any(0xD800 <= ord(char) <= 0xDFFF for char in value)
    return False


def _column_problems(manifest: dict) -> list[Problem]:
    problems = []
    if _unstorable(manifest):
        problems.append(_manifest_problem("Le manifeste contient un caractère non autorisé (caractère nul ou "
                                          "UTF-16 isolé)."))
    if isinstance(manifest.get("name"), str) and len(manifest["name"].strip()) > MAX_NAME:
        problems.append(_manifest_problem(f"« name » compte plus de {MAX_NAME} caractères."))
    if isinstance(manifest.get("code"), str) and len(manifest["code"]) > MAX_CODE:
        problems.append(_manifest_problem(f"« code » compte plus de {MAX_CODE} caractères."))
    return problems


def read_manifest(raw: bytes | str | None) -> tuple[dict | None, list[Problem]]:
    """The manifest sent as JSON text, or the problems that prevent reading it (located by line)."""
    if raw is None or not (raw.strip() if isinstance(raw, (bytes, str)) else raw):
        return None, [_manifest_problem("Le manifeste (JSON) est manquant.", code="missing_manifest")]
    if isinstance(raw, bytes):
        try:
            raw = raw.decode("utf-8-sig")
        except UnicodeDecodeError:
            return None, [_manifest_problem("Le manifeste doit être un fichier texte encodé en UTF-8.",
                                            code="invalid_json")]
    try:
        manifest = json.loads(raw)
    except json.JSONDecodeError as exc:
        lines = raw.splitlines() or [""]
        line = lines[min(exc.lineno, len(lines)) - 1]
        reason = _JSON_MESSAGES.get(exc.msg, exc.msg)
        return None, [_manifest_problem(f"Le manifeste n'est pas un JSON valide : {reason} (ligne {exc.lineno}, "
                                        f"colonne {exc.colno}).", paragraph=line, code="invalid_json")]
    except RecursionError:
        return None, [_manifest_problem("Le manifeste est imbriqué trop profondément.", code="invalid_json")]
    if not isinstance(manifest, dict):
        return None, validate_manifest(manifest)
    problems = _column_problems(manifest)
    return (None, problems) if problems else (manifest, [])


def rejected(problems: list[Problem]) -> TemplateRejected:
    """The 422 error listing every problem, as ``register_upload`` raises it."""
    return TemplateRejected("Le modèle est refusé : " + problems[0].message,
                            details=[problem.as_dict() for problem in problems])


def _same_document(data: bytes, manifest: dict) -> TemplateVersion | None:
    """The stored version of this template with exactly these bytes, if any."""
    return db.session.scalar(select(TemplateVersion).where(
        TemplateVersion.code == manifest.get("code"), TemplateVersion.sha256 == hashlib.sha256(data).hexdigest()))


def _check_not_a_manifest_only_change(existing: TemplateVersion | None, manifest: dict) -> None:
    """A version is one .docx: the same file with another manifest cannot be stored again under its code."""
    if existing is not None and parse_manifest(manifest).as_dict() != existing.manifest:
        raise Conflict(f"Ce document Word est déjà la version {existing.version} du modèle « {existing.name} » avec un "
                       "autre manifeste : une nouvelle version demande un document Word modifié.")


def check_template(data: bytes, manifest: dict) -> tuple[int, bool]:
    """Validate without storing: (the version number the upload would get or already is, whether it would be
    created); ``TemplateRejected`` lists the problems, ``Conflict`` for a manifest-only change."""
    problems = check_upload(data, manifest)
    if problems:
        raise rejected(problems)
    existing = _same_document(data, manifest)
    _check_not_a_manifest_only_change(existing, manifest)
    if existing is not None:
        return existing.version, False
    last = db.session.scalar(select(func.max(TemplateVersion.version))
                             .where(TemplateVersion.code == manifest["code"])) or 0
    return last + 1, True


def store_template(data: bytes, manifest: dict, actor) -> tuple[TemplateVersion, bool]:
    """Store a valid upload as a new template or a new version: (the version, whether it was created). The same
    file with the same manifest is the existing version, unchanged."""
    existing = _same_document(data, manifest)
    if existing is not None and not validate_manifest(manifest):
        _check_not_a_manifest_only_change(existing, manifest)
    return register_upload(data, manifest, actor), existing is None
