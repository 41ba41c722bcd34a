"""Electronic signatures (PAdES / CMS) inside a PDF, checked offline with pyHanko.

Nothing is fetched: the validation context has no network access and trusts only the roots it is given, so
without configured roots every certificate is « non vérifié », which says nothing against the document.
"""

import asyncio
import io
from collections.abc import Iterable
from dataclasses import replace
from datetime import datetime

from asn1crypto import pem, x509
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.diff_analysis import ModificationLevel
from pyhanko.sign.fields import enumerate_sig_fields
from pyhanko.sign.validation import validate_pdf_signature, validate_pdf_timestamp
from pyhanko.sign.validation.dss import DocumentSecurityStore
from pyhanko.sign.validation.pdf_embedded import EmbeddedPdfSignature
from pyhanko.sign.validation.settings import KeyUsageConstraints
from pyhanko.sign.validation.status import SignatureCoverageLevel
from pyhanko_certvalidator import ValidationContext

from registry.signatures import labels
from registry.signatures.errors import SignedCopyRejected
from registry.signatures.reports import SignatureReport

#: Signing certificates carry one of these usages; pyHanko's default asks for non-repudiation alone, which many
#: signing services' certificates lack. Trust is informational here, so the wider PKIX reading is kept.
KEY_USAGE = KeyUsageConstraints(key_usage={"digital_signature", "non_repudiation"}, match_all_key_usages=False)
#: Later revisions that leave a signature unmodified: none, DSS / document timestamps, form filling (further
#: signatures of a multi-party convention), annotations.
ALLOWED_AFTER_SIGNING = ModificationLevel.ANNOTATIONS

TrustRoot = bytes | x509.Certificate


def verify_signatures(data: bytes, *, trust_roots: Iterable[TrustRoot] = ()) -> list[SignatureReport]:
    """One report per filled signature field, in field order; ``[]`` for a PDF without electronic signature.

    ``trust_roots``: DER or PEM certificates (or asn1crypto ones) whose chains count as trusted; none by
    default. ``SignedCopyRejected`` only when the document itself cannot be read; a signature that cannot be
    read gives a report with ``error`` set.
    """
    _refuse_inside_an_event_loop()
    roots = [_certificate(root) for root in trust_roots]
    try:
        reader, fields = _open(data, strict=True)
    except Exception:
        reader, fields = None, None
    reports = [_check(reader, name, field, roots) for name, _value, field in fields] if fields is not None else None
    if reports is None or any(report.error for report in reports):
        # pyHanko's strict reader refuses structures common signing tools write (cross-reference sections out of
        # order, hybrid-reference files); its tolerant one reads them, and says what it finds.
        try:
            reader, fields = _open(data, strict=False)
        except Exception as error:
            if reports is not None:
                return reports
            raise SignedCopyRejected(
                "Les signatures électroniques du PDF ne peuvent pas être vérifiées : le document est illisible.",
                details={"reason": f"{type(error).__name__}: {error}"}) from error
        lenient = [replace(_check(reader, name, field, roots), lenient=True) for name, _value, field in fields]
        if reports is None or sum(1 for r in lenient if r.error) < sum(1 for r in reports if r.error):
            reports = lenient
    return reports


def _open(data: bytes, *, strict: bool):
    reader = PdfFileReader(io.BytesIO(data), strict=strict)
    if reader.encrypted:
        reader.decrypt(b"")
    return reader, list(enumerate_sig_fields(reader, filled_status=True))


def load_trust_roots(pem_bundle: bytes) -> list[x509.Certificate]:
    """The certificates of a PEM bundle (or of one DER certificate), e.g. a file named by configuration."""
    if pem.detect(pem_bundle):
        return [x509.Certificate.load(der) for _type, _headers, der in pem.unarmor(pem_bundle, multiple=True)]
    return [x509.Certificate.load(pem_bundle)]


def _refuse_inside_an_event_loop() -> None:
    """pyHanko's synchronous API runs its own event loop; inside another one every signature would fail, and be
    misreported as unreadable, so say so plainly instead."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return
    raise RuntimeError("verify_signatures() is synchronous: call it outside a running asyncio event loop")


def _certificate(root: TrustRoot) -> x509.Certificate:
    if isinstance(root, x509.Certificate):
        return root
    certificates = load_trust_roots(root)
    if len(certificates) != 1:
        raise ValueError("one trust root per item: pass a bundle through load_trust_roots()")
    return certificates[0]


def _context(reader: PdfFileReader, roots: list[x509.Certificate]) -> ValidationContext:
    """Offline: the configured roots, and the certificates, CRLs and OCSP responses the PDF's document security
    store (DSS, written by long-term signing tools) carries, so that a revocation recorded there is seen. Nothing
    is fetched; without such data revocation is not checked (pyHanko's « soft-fail »)."""
    try:
        return DocumentSecurityStore.read_dss(reader).as_validation_context(
            {"trust_roots": roots, "allow_fetching": False})
    except Exception:  # no DSS (the usual case), or one that cannot be read: roots only
        return ValidationContext(trust_roots=roots, allow_fetching=False)


def _check(reader: PdfFileReader, name: str, field, roots: list[x509.Certificate]) -> SignatureReport:
    context = _context(reader, roots)
    try:
        embedded = EmbeddedPdfSignature(reader, field, name)
        if embedded.sig_object_type == "/DocTimeStamp":
            status = validate_pdf_timestamp(embedded, validation_context=context)
            kind, signing_time, timestamped = labels.DOCUMENT_TIMESTAMP, status.timestamp, True
        else:
            status = validate_pdf_signature(embedded, context, key_usage_settings=KEY_USAGE)
            kind = labels.SIGNATURE
            signing_time, timestamped = _signing_time(status)
    except Exception as error:
        return SignatureReport(field_name=name, error="signature illisible ou d'un format non reconnu",
                               error_detail=f"{type(error).__name__}: {error}")
    intact = bool(status.intact and status.valid)
    return SignatureReport(
        field_name=name,
        kind=kind,
        signer=_common_name(status.signing_cert),
        signing_time=signing_time,
        timestamped=timestamped,
        intact=intact,
        modified_after_signing=not intact or _modified(status),
        trust=labels.TRUSTED if status.trusted else labels.REVOKED if status.revoked else labels.UNTRUSTED,
        coverage=status.coverage.name if status.coverage is not None else None,
        modification_level=status.modification_level.name if status.modification_level is not None else None,
        docmdp_ok=status.docmdp_ok,
    )


def _signing_time(status) -> tuple[datetime | None, bool]:
    """A signature timestamp token's time when there is one (a third party's word), else the declared time."""
    token = status.timestamp_validity
    if token is not None and token.intact and token.valid:
        return token.timestamp, True
    return status.signer_reported_dt, False


def _modified(status) -> bool:
    """Changed after signing: the signature misses part of its own revision, a later revision does more than
    ALLOWED_AFTER_SIGNING (or could not be analysed), or the certifier's DocMDP permissions were exceeded."""
    if status.coverage is None or status.coverage < SignatureCoverageLevel.ENTIRE_REVISION:
        return True
    level = status.modification_level
    return level is None or level > ALLOWED_AFTER_SIGNING or status.docmdp_ok is False


def _common_name(certificate: x509.Certificate) -> str:
    subject = certificate.subject.native
    return subject.get("common_name") or certificate.subject.human_friendly
