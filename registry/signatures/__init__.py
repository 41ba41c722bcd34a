"""Signed copies of conventions: is the upload an archivable PDF, and what do its electronic signatures say?

No routes, no models: callers pass bytes and get answers (docs/signed-copies.md says the same, at length).

- ``inspect_pdf(data, max_bytes=...)`` checks the content, never the name, and returns a ``PdfInspection``
  (page count, size, SHA-256, PDF version, active content) or raises ``SignedCopyRejected`` with a French
  message: empty, over the cap, not a PDF (saying what it looks like), truncated, unreadable in pypdf's strict
  mode, protected by an opening password, no page.
- ``verify_signatures(data, trust_roots=())`` returns one ``SignatureReport`` per embedded signature, checked
  offline by pyHanko; ``summary_label(reports)`` is the document's French label.
- ``alert_reasons(signatures)`` (French reasons a copy is set aside: labels.ALERT_VERDICTS) and
  ``count_label(signatures)`` (« 2 signatures, 1 horodatage ») read the reports as stored (``as_dict()``).

Decisions:

- **Active content is accepted and flagged, not refused.** JavaScript, actions run on opening or on events
  (/OpenAction, /AA), /Launch and attached files are reported in ``PdfInspection.active_content`` with French
  warnings (« contient du JavaScript : à ne pas ouvrir dans un lecteur qui l'exécute »). The signed copy is
  evidence: stripping it would break its signatures, and refusing it would keep a genuinely signed convention
  out of the registry because of the tool that produced it. The registry never renders the PDF itself.
- **A PDF that needs a password to open is refused**: the archive must stay readable by anyone, without a
  secret that gets lost. A PDF encrypted with an owner password only (it opens without a password, only
  editing is restricted) is accepted and flagged: removing that protection would break its signatures.
- **Integrity and trust are separate.** ``intact`` is the signed bytes' digest matching and the signature
  value verifying; ``modified_after_signing`` is true when the signed bytes changed (not intact), when the
  signature does not cover its whole revision, when a later incremental update does more than add
  document-security data, timestamps, further signatures, form values or annotations, or when a certification
  signature's DocMDP permissions are exceeded. ``trust`` is judged
  offline against configured roots only (none by default): an unknown chain is « certificat non vérifié », not
  an error, and is evaluated at the time of the check.
"""

import importlib

from registry.signatures.alerts import alert_reasons, count_label, counts
from registry.signatures.errors import SignedCopyRejected

# pypdf and pyHanko weigh about 35 MB: they are loaded when a PDF is first checked, not at start-up (PEP 562).
_LAZY = {"inspect_pdf": "inspect", "PdfInspection": "reports", "SignatureReport": "reports",
         "summary_label": "reports", "load_trust_roots": "verify", "verify_signatures": "verify"}


def __getattr__(name: str):
    if name in _LAZY:
        return getattr(importlib.import_module(f"registry.signatures.{_LAZY[name]}"), name)
    raise AttributeError(f"module 'registry.signatures' has no attribute {name!r}")


__all__ = ["PdfInspection", "SignatureReport", "SignedCopyRejected", "alert_reasons", "count_label", "counts",
           "inspect_pdf", "load_trust_roots", "summary_label", "verify_signatures"]
