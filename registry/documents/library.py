"""The shipped convention templates: every ``<code>.docx`` with its ``<code>.json`` manifest beside it, in the
folder named by the ``CONVENTION_TEMPLATES_DIR`` setting."""

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path

from registry.documents.manifest import Manifest, ManifestError, parse_manifest
from registry.documents.problems import Problem


@dataclass(frozen=True)
class TemplateFile:
    manifest: Manifest
    path: Path

    @property
    def code(self) -> str:
        return self.manifest.code

    def read(self) -> bytes:
        return self.path.read_bytes()

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.read()).hexdigest()


class TemplateLibrary:
    def __init__(self, directory: str | Path):
        self.directory = Path(directory)
        #: Manifests that could not be read at the last listing, each with its problems.
        self.errors: dict[str, list[Problem]] = {}

    @classmethod
    def from_app(cls, app=None) -> "TemplateLibrary":
        """The library of the application (``CONVENTION_TEMPLATES_DIR``, default ``convention_templates/``)."""
        if app is None:
            from flask import current_app as app
        return cls(app.config["CONVENTION_TEMPLATES_DIR"])

    def templates(self) -> list[TemplateFile]:
        """Every template whose manifest is valid and whose .docx exists, by code."""
        found, self.errors = [], {}
        for path in sorted(self.directory.glob("*.json")):
            docx_path = path.with_suffix(".docx")
            try:
                manifest = parse_manifest(json.loads(path.read_text(encoding="utf-8")))
            except (OSError, ValueError) as exc:
                problems = exc.problems if isinstance(exc, ManifestError) else [
                    Problem(message=f"Manifeste illisible : {exc}", part="manifest", code="invalid_manifest")]
                self.errors[path.name] = problems
                continue
            if manifest.code != path.stem:
                self.errors[path.name] = [Problem(message=f"Le code « {manifest.code} » ne correspond pas au nom du "
                                                  f"fichier « {path.name} ».", part="manifest",
                                                  code="invalid_manifest")]
            elif not docx_path.is_file():
                self.errors[path.name] = [Problem(message=f"« {docx_path.name} » est introuvable.", part="package",
                                                  code="missing_template")]
            else:
                found.append(TemplateFile(manifest, docx_path))
        return found

    def get(self, code: str) -> TemplateFile:
        for template in self.templates():
            if template.code == code:
                return template
        raise KeyError(f"Modèle de convention inconnu : « {code} ».")

    def render(self, code: str, context: dict, **options) -> bytes:
        from registry.documents.render import render_convention

        template = self.get(code)
        return render_convention(template.read(), context, name=f"library:{template.code}", **options)
