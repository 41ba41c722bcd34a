"""What the templates API reads and writes (docs/interface.md, "Core payloads"): a template version and its
manifest, the list, an upload's answer and its problems."""

from marshmallow import fields as ma, pre_dump

from registry.api.fields import FrenchSchema, Integer, List, Nested, String, one_of
from registry.documents.models import TemplateVersion


class ManifestFieldSchema(FrenchSchema):
    name = String()
    label = String()
    type = String(validate=one_of(["text", "date", "int", "bool", "choice", "list"]))
    required = ma.Boolean()
    choices = List(String())
    help = String()


class ManifestClauseSchema(FrenchSchema):
    code = String()
    label = String()
    default = ma.Boolean()


class TemplateSchema(FrenchSchema):
    """A template version: its manifest (docs/interface.md), with its version number and SHA-256."""

    code = String()
    name = String()
    description = String()
    partner_types = List(String())
    themes = List(String())
    fields = List(Nested(ManifestFieldSchema))
    clauses = List(Nested(ManifestClauseSchema))
    version = Integer()
    sha256 = String()
    size = Integer()
    source = String(metadata={"description": "« shipped » (livré) ou « upload » (téléversé)."})
    uploaded_at = ma.DateTime()

    @pre_dump
    def _flatten(self, version, **_):
        return template_values(version) if isinstance(version, TemplateVersion) else version


def template_values(version: TemplateVersion) -> dict:
    """A version as the API shows it: its manifest, plus its number, SHA-256, size, source and date."""
    return {**version.manifest, "version": version.version, "sha256": version.sha256, "size": version.size,
            "source": version.source, "uploaded_at": version.uploaded_at}


class TemplateList(FrenchSchema):
    templates = List(Nested(TemplateSchema))


class TemplateStored(TemplateSchema):
    created = ma.Boolean(metadata={"description": "false si ce fichier et ce manifeste étaient déjà la "
                                                      "version indiquée (rien n'est ajouté)."})


class ProblemSchema(FrenchSchema):
    message = String()
    part = String(metadata={"description": "document, header, footer, footnotes, properties, manifest, package."})
    paragraph = String(metadata={"description": "Texte du paragraphe en cause."})
    code = String()
    entry = String()


class TemplateCheck(FrenchSchema):
    """POST /templates?dry_run=true on a valid template."""

    valid = ma.Boolean()
    problems = List(Nested(ProblemSchema))
    code = String()
    version = Integer(metadata={"description": "Version que l'envoi créerait (ou déjà existante)."})
    created = ma.Boolean(metadata={"description": "Si l'envoi créerait une version."})


class TemplateUploadQuery(FrenchSchema):
    dry_run = ma.Boolean(load_default=False, error_messages={"invalid": "true ou false attendu"},
                             metadata={"description": "Valider sans rien enregistrer."})
