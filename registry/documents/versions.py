"""Template versions in the database: the shipped templates registered at init-db, uploads by administrators.

A version's .docx bytes live in the document store under their SHA-256; a convention names the version it was
drafted from, so a later upload never changes an existing draft.
"""

import hashlib

from flask import current_app
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from registry.audit.services import record_audit
from registry.core.errors import Conflict, DomainError, NotFound
from registry.core.storage import document_store
from registry.documents.library import TemplateLibrary
from registry.documents.manifest import parse_manifest, validate_manifest
from registry.documents.models import SOURCE_SHIPPED, SOURCE_UPLOAD, TemplateVersion
from registry.documents.package import limits_for
from registry.documents.problems import Problem
from registry.extensions import db


class TemplateRejected(DomainError):
    """An uploaded template or manifest is invalid; ``details`` lists every problem."""


def _latest(code: str, source: str | None = None) -> TemplateVersion | None:
    query = select(TemplateVersion).where(TemplateVersion.code == code)
    if source is not None:
        query = query.where(TemplateVersion.source == source)
    return db.session.scalar(query.order_by(TemplateVersion.version.desc()).limit(1))


def _is(version: TemplateVersion | None, sha256: str, manifest: dict) -> bool:
    return version is not None and version.sha256 == sha256 and version.manifest == manifest


def next_version_number(code: str, sha256: str, manifest: dict) -> tuple[int, bool]:
    """(the version number an upload gets, whether it is new): the latest version when document and manifest
    are the same as its own, else the next number."""
    latest = _latest(code)
    if _is(latest, sha256, manifest):
        return latest.version, False
    return (latest.version if latest else 0) + 1, True


def _add_version(data: bytes, manifest: dict, source: str, actor=None) -> tuple[TemplateVersion, bool]:
    """A version is a document with its manifest; the same pair as the latest version is that version."""
    sha256 = hashlib.sha256(data).hexdigest()
    number, created = next_version_number(manifest["code"], sha256, manifest)
    if not created:
        return _latest(manifest["code"]), False
    document_store().store(data)
    version = TemplateVersion(code=manifest["code"], version=number, name=manifest["name"], sha256=sha256,
                              size=len(data), manifest=manifest, source=source,
                              uploaded_by_id=actor.id if actor is not None else None)
    try:
        with db.session.begin_nested():
            db.session.add(version)
    except IntegrityError as error:  # another upload of the same template took this number meanwhile
        raise Conflict("Une autre version de ce modèle vient d'être enregistrée : réessayez.") from error
    record_audit("template.version", version, f"Modèle « {version.name} » : version {version.version} enregistrée",
                 actor=actor)
    return version, True


def sync_shipped_templates() -> list[TemplateVersion]:
    """Register each shipped template whose document or manifest differs from its latest shipped version, so a
    release's templates become current while an administrator's uploads survive until the next release."""
    added = []
    for template in TemplateLibrary.from_app().templates():
        manifest = template.manifest.as_dict()
        if not _is(_latest(template.code, SOURCE_SHIPPED), template.sha256, manifest):
            added.append(_add_version(template.read(), manifest, SOURCE_SHIPPED)[0])
    return added


def check_upload(data: bytes, manifest) -> list[Problem]:
    """Every problem of an uploaded template with its manifest; empty when it can be stored."""
    from registry.documents.validation import validate_template  # docx, docxtpl, lxml: loaded when needed

    problems = validate_manifest(manifest)
    if problems:
        return problems
    return validate_template(data, manifest, limits=limits_for(current_app.config))


def register_upload(data: bytes, manifest: dict, actor) -> tuple[TemplateVersion, bool]:
    """Store an uploaded template as a new template or a new version of one: (the version, whether it is new).
    Nothing is stored when it is invalid."""
    problems = check_upload(data, manifest)
    if problems:
        raise TemplateRejected("Le modèle est refusé : " + problems[0].message,
                               details=[problem.as_dict() for problem in problems])
    return _add_version(data, parse_manifest(manifest).as_dict(), SOURCE_UPLOAD, actor)


def latest_versions() -> list[TemplateVersion]:
    """The newest version of every template, by name."""
    newest = (select(TemplateVersion.code, func.max(TemplateVersion.version).label("version"))
              .group_by(TemplateVersion.code).subquery())
    query = (select(TemplateVersion)
             .join(newest, (TemplateVersion.code == newest.c.code) & (TemplateVersion.version == newest.c.version))
             .order_by(TemplateVersion.name))
    return list(db.session.scalars(query))


def current_version(code: str) -> TemplateVersion:
    version = db.session.scalar(select(TemplateVersion).where(TemplateVersion.code == code)
                                .order_by(TemplateVersion.version.desc()).limit(1))
    if version is None:
        raise NotFound(f"Modèle de convention inconnu : « {code} ».")
    return version


def template_bytes(version: TemplateVersion) -> bytes:
    return document_store().read(version.sha256)
