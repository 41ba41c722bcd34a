"""What the checks answer: plain frozen dataclasses, with ``as_dict()`` for JSON."""

from dataclasses import dataclass
from datetime import datetime

from registry.signatures import labels


@dataclass(frozen=True)
class PdfInspection:
    """An uploaded PDF that passed the content checks, with what is worth showing beside it."""

    size: int
    sha256: str
    page_count: int
    #: The highest of the header's version and the catalog's ``/Version``, e.g. "1.7".
    pdf_version: str
    #: Codes of active content found (labels.JAVASCRIPT, LAUNCH, AUTO_ACTION, EMBEDDED_FILE), sorted.
    active_content: tuple[str, ...] = ()
    #: Encrypted with an owner password only: opens without a password (a user password is refused).
    owner_password_only: bool = False
    #: Its structure breaks the strict rules; it was read leniently (labels.LENIENT).
    lenient: bool = False

    @property
    def has_javascript(self) -> bool:
        return labels.JAVASCRIPT in self.active_content

    @property
    def has_auto_actions(self) -> bool:
        return bool({labels.AUTO_ACTION, labels.LAUNCH} & set(self.active_content))

    @property
    def warnings(self) -> list[str]:
        codes = (list(self.active_content) + ([labels.OWNER_PASSWORD] if self.owner_password_only else [])
                 + ([labels.LENIENT] if self.lenient else []))
        return [labels.WARNINGS[code] for code in codes]

    def as_dict(self) -> dict:
        return {
            "size": self.size,
            "sha256": self.sha256,
            "page_count": self.page_count,
            "pdf_version": self.pdf_version,
            "active_content": list(self.active_content),
            "owner_password_only": self.owner_password_only,
            "lenient": self.lenient,
            "warnings": self.warnings,
        }


@dataclass(frozen=True)
class SignatureReport:
    """One electronic signature (or document timestamp) embedded in a PDF, as checked offline.

    Integrity (``intact``, ``modified_after_signing``) and certificate trust (``trust``) are separate answers:
    an unknown signer's certificate is no sign of tampering. ``error`` is set, and the other answers are
    ``None``, when the signature could not be read at all.
    """

    field_name: str
    kind: str = labels.SIGNATURE
    #: Common name of the signing certificate's subject (its whole subject when it has no CN).
    signer: str | None = None
    #: From a signature timestamp token when there is one, else the time the signer's software declared.
    signing_time: datetime | None = None
    timestamped: bool = False
    #: The signed bytes' digest matches and the signature value verifies with the certificate's key.
    intact: bool | None = None
    #: The document was changed after this signature beyond what signing allows (see docs/signed-copies.md);
    #: always true when not ``intact``, since then the signed bytes themselves changed.
    modified_after_signing: bool | None = None
    trust: str = labels.UNTRUSTED
    #: pyHanko's raw findings, kept for the curious and for support: coverage, modification level, DocMDP.
    coverage: str | None = None
    modification_level: str | None = None
    docmdp_ok: bool | None = None
    #: Why the signature could not be read, in French; ``error_detail`` holds the library's own words.
    error: str | None = None
    error_detail: str | None = None
    #: Read by pyHanko's tolerant reader: the strict one refused the file's structure (labels.LENIENT).
    lenient: bool = False

    @property
    def trusted(self) -> bool:
        return self.trust == labels.TRUSTED

    @property
    def trust_label(self) -> str:
        return labels.TRUST_LABELS[self.trust]

    @property
    def verdict(self) -> str:
        if self.error is not None:
            return labels.UNREADABLE
        if not self.intact:
            return labels.ALTERED
        if self.modified_after_signing:
            return labels.MODIFIED
        return {labels.TRUSTED: labels.INTACT_TRUSTED, labels.REVOKED: labels.CERT_REVOKED}.get(
            self.trust, labels.INTACT_UNTRUSTED)

    @property
    def label(self) -> str:
        return labels.VERDICT_LABELS[self.verdict]

    def as_dict(self) -> dict:
        return {
            "field": self.field_name,
            "kind": self.kind,
            "signer": self.signer,
            "signing_time": self.signing_time.isoformat() if self.signing_time else None,
            "timestamped": self.timestamped,
            "intact": self.intact,
            "modified_after_signing": self.modified_after_signing,
            "trust": self.trust,
            "trust_label": self.trust_label,
            "verdict": self.verdict,
            "label": self.label,
            "coverage": self.coverage,
            "modification_level": self.modification_level,
            "docmdp_ok": self.docmdp_ok,
            "error": self.error,
            "error_detail": self.error_detail,
            "lenient": self.lenient,
        }


def summary_label(reports: list[SignatureReport]) -> str:
    """The document's label: « signature manuscrite (copie numérisée) » without signatures, else the worst one's."""
    if not reports:
        return labels.HANDWRITTEN
    worst = min(reports, key=lambda report: labels.VERDICTS_WORST_FIRST.index(report.verdict))
    return worst.label
