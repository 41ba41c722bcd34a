"""Template versions in the database: the shipped templates registered at init-db, uploads by administrators.

A version's .docx bytes live in the document store under their SHA-256; a convention names the version it was
drafted from, so a later upload never changes an existing draft.
"""

from flask import current_app
from sqlalchemy import func, select

from registry.audit.services import record_audit
from registry.core.errors import DomainError, NotFound
from registry.core.storage import document_store
from registry.documents.library import TemplateLibrary
from registry.documents.manifest import parse_manifest, validate_manifest
from registry.documents.models import SOURCE_SHIPPED, SOURCE_UPLOAD, TemplateVersion
from registry.documents.package import limits_for
from registry.documents.problems import Problem
from registry.documents.validation import validate_template
from registry.extensions import db


class TemplateRejected(DomainError):
    """An uploaded template or manifest is invalid; ``details`` lists every problem."""


def _add_version(data: bytes, manifest: dict, source: str, actor=None) -> TemplateVersion:
    sha256, size = document_store().store(data)
    existing = db.session.scalar(select(TemplateVersion).where(
        TemplateVersion.code == manifest["code"], TemplateVersion.sha256 == sha256))
    if existing is not None and existing.manifest == manifest:
        return existing
    last = db.session.scalar(select(func.max(TemplateVersion.version)).where(
        TemplateVersion.code == manifest["code"])) or 0
    version = TemplateVersion(code=manifest["code"], version=last + 1, name=manifest["name"], sha256=sha256,
                              size=size, manifest=manifest, source=source,
                              uploaded_by_id=actor.id if actor is not None else None)
    db.session.add(version)
    db.session.flush()
    record_audit("template.version", version, f"Modèle « {version.name} » : version {version.version} enregistrée",
                 actor=actor)
    return version


def sync_shipped_templates() -> list[TemplateVersion]:
    """Register the shipped templates whose current bytes are not a known version yet (idempotent)."""
    added = []
    for template in TemplateLibrary.from_app().templates():
        manifest = template.manifest.as_dict()
        known = db.session.scalar(select(TemplateVersion.id).where(
            TemplateVersion.code == template.code, TemplateVersion.sha256 == template.sha256,
            TemplateVersion.version == select(func.max(TemplateVersion.version))
            .where(TemplateVersion.code == template.code).scalar_subquery()))
        if known is None:
            added.append(_add_version(template.read(), manifest, SOURCE_SHIPPED))
    return added


def check_upload(data: bytes, manifest) -> list[Problem]:
    """Every problem of an uploaded template with its manifest; empty when it can be stored."""
    problems = validate_manifest(manifest)
    if problems:
        return problems
    return validate_template(data, manifest, limits=limits_for(current_app.config))


def register_upload(data: bytes, manifest: dict, actor) -> TemplateVersion:
    """Store an uploaded template as a new template, or a new version of one; nothing is stored if invalid."""
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
