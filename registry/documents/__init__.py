"""Convention documents: the template library, the context a template sees, sandboxed deterministic rendering
through a preparation cache, and the validation of uploaded templates.

    library = TemplateLibrary.from_app()
    template = library.get("ehpad")
    context = build_context(template.manifest, reference=..., hospital=party_from_organisation(org, ...), ...)
    docx_bytes = render_convention(template.read(), context)       # RenderError / PackageError on failure
    problems = validate_template(uploaded_bytes, manifest_dict)     # [Problem], never raises
"""

from registry.documents.cache import TemplateCache, default_cache
from registry.documents.context import (ContextError, Party, Representative, build_context, french_date,
                                        party_from_organisation)
from registry.documents.library import TemplateFile, TemplateLibrary
from registry.documents.manifest import Manifest, ManifestError, load_manifest, parse_manifest, validate_manifest
from registry.documents.package import Limits, PackageError, limits_for
from registry.documents.problems import Problem, RenderError
from registry.documents.render import DocumentProperties, render_convention
from registry.documents.validation import validate_template

__all__ = [
    "ContextError", "DocumentProperties", "Limits", "Manifest", "ManifestError", "PackageError", "Party",
    "Problem", "RenderError", "Representative", "TemplateCache", "TemplateFile", "TemplateLibrary",
    "build_context", "default_cache", "french_date", "limits_for", "load_manifest", "parse_manifest",
    "party_from_organisation", "render_convention", "validate_manifest", "validate_template",
]
