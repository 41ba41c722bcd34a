"""PDFs made in the tests: blank, signed with a self-signed certificate, tampered with, hostile or not PDFs at all.

Reusable by any test of uploads: ``signed_pdf()`` gives a signed convention in a few milliseconds.
"""

import io
import zipfile
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

from asn1crypto import keys, x509
from cryptography import x509 as cx509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID
from pyhanko.pdf_utils import generic
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.sign import fields, signers
from pyhanko.sign.timestamps.dummy_client import DummyTimeStamper
from pyhanko_certvalidator.registry import SimpleCertificateStore
from pypdf import PdfWriter
from pypdf.generic import DictionaryObject, NameObject, TextStringObject

A4 = (595, 842)


@dataclass(frozen=True)
class Identity:
    """A self-signed certificate and its key, in the forms pyHanko and the trust-root option take."""

    certificate: x509.Certificate
    key: keys.PrivateKeyInfo
    #: The issuers' certificates, embedded with the signature (none for a self-signed identity).
    chain: tuple = ()

    @property
    def certificate_der(self) -> bytes:
        return self.certificate.dump()

    @property
    def signer(self) -> signers.SimpleSigner:
        return signers.SimpleSigner(signing_cert=self.certificate, signing_key=self.key,
                                    cert_registry=SimpleCertificateStore.from_certs([self.certificate, *self.chain]))


def make_identity(common_name: str = "Dr Marie Dupont", organisation: str = "Centre hospitalier de Test",
                  *, timestamping: bool = False) -> Identity:
    """A self-signed certificate valid from yesterday for a year: EC, or RSA for a time-stamping authority
    (pyHanko's test timestamper signs with RSA only)."""
    key = rsa.generate_private_key(65537, 2048) if timestamping else ec.generate_private_key(ec.SECP256R1())
    name = cx509.Name([cx509.NameAttribute(NameOID.COMMON_NAME, common_name),
                       cx509.NameAttribute(NameOID.ORGANIZATION_NAME, organisation)])
    now = datetime.now(timezone.utc)  # system clock: pyHanko checks validity against the real time
    builder = (cx509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
               .serial_number(cx509.random_serial_number())
               .not_valid_before(now - timedelta(days=1)).not_valid_after(now + timedelta(days=365))
               .add_extension(cx509.BasicConstraints(ca=True, path_length=None), critical=True)
               .add_extension(cx509.KeyUsage(digital_signature=True, content_commitment=True, key_cert_sign=True,
                                             key_encipherment=False, data_encipherment=False, key_agreement=False,
                                             crl_sign=False, encipher_only=False, decipher_only=False),
                              critical=True))
    if timestamping:
        builder = builder.add_extension(cx509.ExtendedKeyUsage([ExtendedKeyUsageOID.TIME_STAMPING]), critical=True)
    certificate = builder.sign(key, hashes.SHA256())
    return Identity(
        certificate=x509.Certificate.load(certificate.public_bytes(serialization.Encoding.DER)),
        key=keys.PrivateKeyInfo.load(key.private_bytes(serialization.Encoding.DER, serialization.PrivateFormat.PKCS8,
                                                       serialization.NoEncryption())))


def issued_identity(issuer: Identity, common_name: str, organisation: str = "Centre hospitalier de Test") -> Identity:
    """A signing certificate (not a CA) issued by ``issuer``, as a qualified provider issues one under its root."""
    key = ec.generate_private_key(ec.SECP256R1())
    issuer_key = serialization.load_der_private_key(issuer.key.dump(), password=None)
    name = cx509.Name([cx509.NameAttribute(NameOID.COMMON_NAME, common_name),
                       cx509.NameAttribute(NameOID.ORGANIZATION_NAME, organisation)])
    now = datetime.now(timezone.utc)  # system clock: pyHanko checks validity against the real time
    certificate = (cx509.CertificateBuilder().subject_name(name)
                   .issuer_name(cx509.load_der_x509_certificate(issuer.certificate_der).subject)
                   .public_key(key.public_key()).serial_number(cx509.random_serial_number())
                   .not_valid_before(now - timedelta(days=1)).not_valid_after(now + timedelta(days=365))
                   .add_extension(cx509.BasicConstraints(ca=False, path_length=None), critical=True)
                   .add_extension(cx509.KeyUsage(digital_signature=True, content_commitment=True,
                                                 key_cert_sign=False, key_encipherment=False, data_encipherment=False,
                                                 key_agreement=False, crl_sign=False, encipher_only=False,
                                                 decipher_only=False), critical=True)
                   .sign(issuer_key, hashes.SHA256()))
    return Identity(
        certificate=x509.Certificate.load(certificate.public_bytes(serialization.Encoding.DER)),
        key=keys.PrivateKeyInfo.load(key.private_bytes(serialization.Encoding.DER, serialization.PrivateFormat.PKCS8,
                                                       serialization.NoEncryption())),
        chain=(issuer.certificate,))


def _written(writer: PdfWriter) -> bytes:
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def blank_pdf(pages: int = 1) -> bytes:
    writer = PdfWriter()
    for _ in range(pages):
        writer.add_blank_page(*A4)
    return _written(writer)


def signed_pdf(identity: Identity, pdf: bytes | None = None, *, field_name: str = "Signature1",
               timestamper: Identity | None = None) -> bytes:
    """``pdf`` (a blank page by default) signed in an incremental update, PAdES, optionally timestamped."""
    metadata = signers.PdfSignatureMetadata(field_name=field_name, subfilter=fields.SigSeedSubFilter.PADES)
    tsa = DummyTimeStamper(tsa_cert=timestamper.certificate, tsa_key=timestamper.key) if timestamper else None
    writer = IncrementalPdfFileWriter(io.BytesIO(pdf if pdf is not None else blank_pdf()))
    return signers.sign_pdf(writer, metadata, signer=identity.signer, timestamper=tsa).getvalue()


def timestamped_document(timestamper: Identity, pdf: bytes) -> bytes:
    """``pdf`` with a document timestamp (/DocTimeStamp) appended, as long-term archiving services add."""
    tsa = DummyTimeStamper(tsa_cert=timestamper.certificate, tsa_key=timestamper.key)
    output = signers.PdfTimeStamper(tsa).timestamp_pdf(IncrementalPdfFileWriter(io.BytesIO(pdf)), md_algorithm="sha256")
    return output.getvalue()


def tamper_signed_bytes(signed: bytes) -> bytes:
    """Change the page size inside the signed byte range, leaving the file's length and structure alone."""
    at = signed.index(b"/MediaBox")
    end = signed.index(b"]", at)
    box = signed[at:end]
    return signed[:at] + box.replace(b"842", b"843", 1) + signed[end:]


def append_page(signed: bytes) -> bytes:
    """An incremental update after signing that adds a page: the signed bytes stay, the content changes."""
    writer = IncrementalPdfFileWriter(io.BytesIO(signed))
    writer.insert_page(generic.DictionaryObject({
        generic.NameObject("/Type"): generic.NameObject("/Page"),
        generic.NameObject("/MediaBox"): generic.ArrayObject(map(generic.NumberObject, (0, 0, *A4))),
    }))
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def change_page_content(signed: bytes, text: bytes = b"BT /F1 24 Tf 72 720 Td (Montant : 0 euro) Tj ET") -> bytes:
    """An incremental update after signing that replaces the first page's content stream: the signed bytes stay
    intact, what the page shows changes."""
    writer = IncrementalPdfFileWriter(io.BytesIO(signed))
    page_ref = writer.root["/Pages"]["/Kids"][0]
    page = page_ref.get_object()
    page[generic.NameObject("/Contents")] = writer.add_object(generic.StreamObject(stream_data=text))
    writer.update_container(page)
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def blank_signature_contents(signed: bytes) -> bytes:
    """The signature's CMS blob replaced by zeros: still a filled field, no longer a readable signature."""
    start = signed.index(b"/Contents <") + len(b"/Contents <")
    end = signed.index(b">", start)
    return signed[:start] + b"0" * (end - start) + signed[end:]


def pdf_with_open_action_javascript(script: str = "app.alert('bonjour');") -> bytes:
    writer = PdfWriter()
    writer.add_blank_page(*A4)
    writer._root_object[NameObject("/OpenAction")] = DictionaryObject({
        NameObject("/S"): NameObject("/JavaScript"), NameObject("/JS"): TextStringObject(script)})
    return _written(writer)


def pdf_with_attachment() -> bytes:
    writer = PdfWriter()
    writer.add_blank_page(*A4)
    writer.add_attachment("annexe.txt", b"piece jointe")
    return _written(writer)


def encrypted_pdf(user_password: str, owner_password: str = "proprietaire") -> bytes:
    writer = PdfWriter()
    writer.add_blank_page(*A4)
    writer.encrypt(user_password=user_password, owner_password=owner_password, algorithm="AES-256")
    return _written(writer)


def hand_written_pdf(catalog_extra: str = "", page_extra: str = "", pages: int = 1) -> bytes:
    """A PDF written byte by byte with a correct cross-reference table; the extras go in /Root and each /Page."""
    objects = [f"<< /Type /Catalog /Pages 2 0 R {catalog_extra}>>",
               f"<< /Type /Pages /Kids [{' '.join(f'{3 + n} 0 R' for n in range(pages))}] /Count {pages} >>"]
    objects += [f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] {page_extra}>>"] * pages
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n{body}\nendobj\n".encode("latin-1")
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    out += b"".join(f"{offset:010d} 00000 n \n".encode() for offset in offsets)
    out += f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    return bytes(out)


def zip_bytes(entries: dict[str, bytes] | None = None) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, content in (entries or {"convention.txt": b"convention"}).items():
            archive.writestr(name, content)
    return buffer.getvalue()


def docx_like_bytes() -> bytes:
    return zip_bytes({"[Content_Types].xml": b"<Types/>", "word/document.xml": b"<w:document/>"})


HTML_PAGE = (b"<!DOCTYPE html>\n<html lang=\"fr\"><head><title>Convention</title></head>"
             b"<body><p>Convention sign\xc3\xa9e</p></body></html>\n")
PLAIN_TEXT = "Convention de partenariat signée le 3 mars 2025.\n".encode()
