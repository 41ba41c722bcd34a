"""The demo's signed copies, made at load time in a few milliseconds each: a one-page PDF naming the convention,
either as a scan would come (no electronic signature: « signature manuscrite (copie numérisée) ») or signed with
pyHanko by a self-signed demo certificate (« intègre, certificat non vérifié »), dated the day of the signature.

The certificate and its key are made at each load and never kept: nothing secret is committed.
"""

import io
from datetime import datetime, time, timedelta
from functools import cache

from registry.core import clock
from registry.core.french import PARIS

A4_WIDTH, A4_HEIGHT = 595, 842
FOOTER = "Document de démonstration : aucune valeur juridique."


def _pdf_text(text: str) -> bytes:
    """A PDF literal string in WinAnsi (Latin-1 covers the French letters used here)."""
    data = text.encode("cp1252", errors="replace")
    return b"(" + data.replace(b"\\", b"\\\\").replace(b"(", b"\\(").replace(b")", b"\\)") + b")"


def convention_pdf(title: str, lines: list[str]) -> bytes:
    """A one-page A4 PDF: the title in bold, then ``lines``, then the demo footer; strict-readable, no metadata."""
    content = [b"BT /F2 13 Tf 56 780 Td " + _pdf_text(title[:90]) + b" Tj ET"]
    y = 750
    for line in [*lines, "", FOOTER]:
        if line:
            content.append(b"BT /F1 10 Tf 56 %d Td " % y + _pdf_text(line[:110]) + b" Tj ET")
        y -= 16
    stream = b"\n".join(content)
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 %d %d] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R /F2 6 0 R >> >> >>" % (A4_WIDTH, A4_HEIGHT),
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica-Bold /Encoding /WinAnsiEncoding >>",
    ]
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


@cache
def _identity():
    """A self-signed EC certificate « Signataire de démonstration », valid from ten years ago for twenty years
    (the demo's signatures are dated years back)."""
    from asn1crypto import keys, x509  # noqa: PLC0415 (pyHanko's dependencies, loaded by the demo only)
    from cryptography import x509 as cx509  # noqa: PLC0415
    from cryptography.hazmat.primitives import hashes, serialization  # noqa: PLC0415
    from cryptography.hazmat.primitives.asymmetric import ec  # noqa: PLC0415
    from cryptography.x509.oid import NameOID  # noqa: PLC0415

    key = ec.generate_private_key(ec.SECP256R1())
    name = cx509.Name([cx509.NameAttribute(NameOID.COMMON_NAME, "Signataire de démonstration"),
                       cx509.NameAttribute(NameOID.ORGANIZATION_NAME, "Registre HdP (démonstration)")])
    start = clock.now() - timedelta(days=3653)
    certificate = (
        cx509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
        .serial_number(cx509.random_serial_number())
        .not_valid_before(start).not_valid_after(start + timedelta(days=2 * 3653))
        .add_extension(cx509.KeyUsage(digital_signature=True, content_commitment=True, key_cert_sign=False,
                                      key_encipherment=False, data_encipherment=False, key_agreement=False,
                                      crl_sign=False, encipher_only=False, decipher_only=False), critical=True)
        .sign(key, hashes.SHA256()))
    return (x509.Certificate.load(certificate.public_bytes(serialization.Encoding.DER)),
            keys.PrivateKeyInfo.load(key.private_bytes(serialization.Encoding.DER, serialization.PrivateFormat.PKCS8,
                                                       serialization.NoEncryption())))


def signed_pdf(pdf: bytes, on) -> bytes:
    """``pdf`` signed (PAdES, incremental update) by the demo certificate, the signing time at noon in Paris on
    ``on`` so the signature report agrees with the convention's signature date."""
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter  # noqa: PLC0415
    from pyhanko.sign import fields, signers  # noqa: PLC0415
    from pyhanko_certvalidator.registry import SimpleCertificateStore  # noqa: PLC0415

    at = datetime.combine(on, time(12), tzinfo=PARIS)

    class DatedSigner(signers.PdfSigner):
        def init_signing_session(self, pdf_out, existing_fields_only=False):
            session = super().init_signing_session(pdf_out, existing_fields_only=existing_fields_only)
            session.system_time = at
            return session

    certificate, key = _identity()
    signer = signers.SimpleSigner(signing_cert=certificate, signing_key=key,
                                  cert_registry=SimpleCertificateStore.from_certs([certificate]))
    metadata = signers.PdfSignatureMetadata(field_name="Signature1", subfilter=fields.SigSeedSubFilter.PADES)
    writer = IncrementalPdfFileWriter(io.BytesIO(pdf))
    return DatedSigner(metadata, signer=signer).sign_pdf(writer, bytes_reserved=8192).getvalue()  # no size estimate
