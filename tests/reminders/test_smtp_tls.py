"""MAIL_USE_TLS against a real SMTP server that requires STARTTLS (aiosmtpd with a certificate made by the test):
the mails go encrypted once the server's certificate is trusted, and an untrusted certificate stops the run with
nothing sent or recorded."""

import datetime
import ipaddress
import ssl

import pytest
from aiosmtpd.controller import Controller
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID
from sqlalchemy import func, select

from registry.extensions import db
from registry.reminders.models import SentReminder
from tests.reminders.conftest import Handler


class TlsHandler(Handler):
    """Also notes, for each mail, whether its session had switched to TLS."""

    def __init__(self):
        super().__init__()
        self.encrypted: list[bool] = []

    async def handle_DATA(self, server, session, envelope):
        self.encrypted.append(session.ssl is not None)
        return await super().handle_DATA(server, session, envelope)


@pytest.fixture
def certificate(tmp_path):
    """A self-signed certificate for 127.0.0.1 and its key, as PEM files: (certificate path, key path)."""
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "smtp.test")])
    now = datetime.datetime.now(datetime.timezone.utc)  # system clock: what OpenSSL checks the validity against
    certificate = (x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
                   .serial_number(x509.random_serial_number())
                   .not_valid_before(now - datetime.timedelta(days=1)).not_valid_after(now + datetime.timedelta(days=1))
                   .add_extension(x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]),
                                  critical=False)
                   .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
                   .sign(key, hashes.SHA256()))
    cert_path, key_path = tmp_path / "smtp.crt", tmp_path / "smtp.key"
    cert_path.write_bytes(certificate.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                           serialization.NoEncryption()))
    return cert_path, key_path


@pytest.fixture
def tls_smtp(app, smtp_port, certificate):
    """A server that refuses any mail before STARTTLS; the application set to use it."""
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(*certificate)
    handler = TlsHandler()
    controller = Controller(handler, hostname="127.0.0.1", port=smtp_port, tls_context=context,
                            require_starttls=True)
    controller.start()
    app.config["MAIL_USE_TLS"] = True
    yield handler
    controller.stop()


def _sent_count() -> int:
    return db.session.scalar(select(func.count(SentReminder.id)))


def test_with_the_certificate_trusted_every_mail_goes_after_starttls(runner, region, tls_smtp, certificate,
                                                                       monkeypatch):
    monkeypatch.setenv("SSL_CERT_FILE", str(certificate[0]))  # the system's authorities, as OpenSSL reads them
    result = runner.invoke(args=["remind"])
    assert result.exit_code == 0, result.output
    assert result.output.startswith("6 courriels envoyés (10 rappels)")
    assert len(tls_smtp.messages) == 6 and tls_smtp.encrypted == [True] * 6
    assert _sent_count() == 10


def test_an_untrusted_certificate_stops_the_run_with_nothing_sent(runner, region, tls_smtp, smtp_port):
    result = runner.invoke(args=["remind"])
    assert result.exit_code == 1
    assert f"Serveur SMTP 127.0.0.1:{smtp_port} : connexion chiffrée (STARTTLS) refusée (" in result.output
    assert "CERTIFICATE_VERIFY_FAILED" in result.output
    assert "Aucun rappel n'a été envoyé ni enregistré." in result.output
    assert tls_smtp.messages == [] and _sent_count() == 0
