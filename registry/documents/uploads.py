"""An administrator's upload of a template, shared by the API and the administration pages: reading the manifest
sent beside the .docx, validating, and storing a new template or a new version of one."""

import hashlib
import json

from registry.documents.manifest import parse_manifest, validate_manifest
from registry.documents.models import TemplateVersion
from registry.documents.problems import Problem
from registry.documents.versions import TemplateRejected, check_upload, next_version_number, register_upload

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
    return manifest, []


def rejected(problems: list[Problem]) -> TemplateRejected:
    """The 422 error listing every problem, as ``register_upload`` raises it."""
    return TemplateRejected("Le modèle est refusé : " + problems[0].message,
                            details=[problem.as_dict() for problem in problems])


def check_template(data: bytes, manifest: dict) -> tuple[int, bool]:
    """Validate without storing: (the version number the upload would get or already is, whether it would be
    created); ``TemplateRejected`` lists the problems."""
    problems = check_upload(data, manifest)
    if problems:
        raise rejected(problems)
    return next_version_number(manifest["code"], hashlib.sha256(data).hexdigest(),
                               parse_manifest(manifest).as_dict())


def store_template(data: bytes, manifest: dict, actor) -> tuple[TemplateVersion, bool]:
    """Store a valid upload as a new template or a new version: (the version, whether it was created). The same
    document with the same manifest as the latest version is that version, unchanged."""
    return register_upload(data, manifest, actor)
