"""Convention documents: the template library, the context a template sees, sandboxed deterministic rendering
through a preparation cache, and the validation of uploaded templates.

    library = TemplateLibrary.from_app()
    template = library.get("ehpad")
    context = build_context(template.manifest, reference=..., hospital=party_from_organisation(org, ...), ...)
    docx_bytes = render_convention(template.read(), context)       # RenderError / PackageError on failure
    problems = validate_template(uploaded_bytes, manifest_dict)     # [Problem], never raises
"""

import importlib

#: Where each public name lives. Loaded on first use (PEP 562): rendering and validation bring in docx, docxtpl
#: and lxml, which the models (through registry.documents.context) and most commands never need.
_EXPORTS = {
    "TemplateCache": "cache", "default_cache": "cache",
    "ContextError": "context", "Party": "context", "Representative": "context", "build_context": "context",
    "french_date": "context", "party_from_organisation": "context",
    "TemplateFile": "library", "TemplateLibrary": "library",
    "Manifest": "manifest", "ManifestError": "manifest", "load_manifest": "manifest", "parse_manifest": "manifest",
    "validate_manifest": "manifest",
    "Limits": "package", "PackageError": "package", "limits_for": "package",
    "Problem": "problems", "RenderError": "problems",
    "DocumentProperties": "render", "render_convention": "render",
    "validate_template": "validation",
}


def __getattr__(name: str):
    if name not in _EXPORTS:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f"{__name__}.{_EXPORTS[name]}"), name)
    globals()[name] = value
    return value


__all__ = [
    "ContextError", "DocumentProperties", "Limits", "Manifest", "ManifestError", "PackageError", "Party",
    "Problem", "RenderError", "Representative", "TemplateCache", "TemplateFile", "TemplateLibrary",
    "build_context", "default_cache", "french_date", "limits_for", "load_manifest", "parse_manifest",
    "party_from_organisation", "render_convention", "validate_manifest", "validate_template",
]
