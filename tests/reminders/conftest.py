"""A real SMTP server (aiosmtpd) on a free local port per test, the application configured to send through it, and a
small region: two hospitals of Côte-d'Or with their users and conventions, one hospital of Paris."""

import socket
from dataclasses import dataclass, field
from datetime import date
from email import message_from_bytes, policy
from email.message import EmailMessage

import pytest
from aiosmtpd.controller import Controller

from registry.extensions import db
from tests.conventions.builders import signed_convention

BASE_URL = "https://hdp.example.fr/registre"
SENDER = "Registre HdP <registre-hdp@example.fr>"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@dataclass
class Handler:
    """Keeps every mail received; refuses the addresses in ``refused``."""

    messages: list[EmailMessage] = field(default_factory=list)
    refused: set[str] = field(default_factory=set)

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address in self.refused:
            return "550 5.1.1 Mailbox unavailable"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        self.messages.append(message_from_bytes(envelope.content, policy=policy.default))
        return "250 Message accepted for delivery"

    def to(self, address: str) -> list[EmailMessage]:
        return [message for message in self.messages if message["To"] == address]


@pytest.fixture
def smtp_port():
    return free_port()


@pytest.fixture
def smtp(smtp_port):
    """The server's handler: ``smtp.messages`` are the mails received, parsed."""
    handler = Handler()
    controller = Controller(handler, hostname="127.0.0.1", port=smtp_port)
    controller.start()
    yield handler
    controller.stop()


@pytest.fixture
def app_config(smtp_port):
    return {"MAIL_SERVER": "127.0.0.1", "MAIL_PORT": smtp_port, "MAIL_DEFAULT_SENDER": SENDER,
            "BASE_URL": BASE_URL, "REMINDER_DELAYS_DAYS": "180,90,30"}


@dataclass
class Region:
    is_sur_tille: object
    auxonne: object
    paris: object
    conventions: dict
    users: dict


@pytest.fixture
def region(make_hospital, make_organisation, make_partnership, make_user):
    """Côte-d'Or (region 27): Is-sur-Tille (listed 2022, statutory convention late) and Auxonne (listed 1 March
    2026: due by 1 March 2027); Paris (region 11). Conventions seen on 2 December 2026 (tests/clock.py):

    - is_fixed: 1 April 2026 for 12 months, 3 months' notice: notice by 31 December 2026, ends 31 March 2027;
    - is_tacit: 1 January 2025 for 24 months, tacit renewal, 3 months' notice: the notice of 31 December 2026's end
      is past (30 September 2026), the next one is 30 September 2028;
    - auxonne_ending: 1 February 2026 for 12 months, no notice: ends 31 January 2027;
    - paris_ending: like auxonne_ending, in Paris.
    """
    def hospital(name, departement, listed_on):
        return make_hospital(make_organisation(name=name, departement=departement, category_code="106"),
                             listed_on=listed_on)

    is_sur_tille = hospital("CH D'IS-SUR-TILLE", "21", date(2022, 5, 1))
    auxonne = hospital("CH D'AUXONNE", "21", date(2026, 3, 1))
    paris = hospital("HOPITAL DE PARIS", "75", date(2022, 5, 1))
    chu = make_partnership(is_sur_tille, make_organisation(name="CHU DIJON BOURGOGNE", category_code="101"),
                           partner_types=["second_recours"])
    ehpad = make_partnership(is_sur_tille, make_organisation(name="EHPAD LE CHAMP DE MARS", category_code="500"),
                             partner_types=["ehpad"])
    auxonne_partner = make_partnership(auxonne, make_organisation(name="EHPAD D'AUXONNE", category_code="500"))
    paris_partner = make_partnership(paris, make_organisation(name="EHPAD DE PARIS", category_code="500",
                                                              departement="75"))
    conventions = {
        "is_fixed": signed_convention(is_sur_tille, [chu, ehpad], effective_date=date(2026, 4, 1),
                                      duration_months=12, notice_months=3, title="Filière gériatrique"),
        "is_tacit": signed_convention(is_sur_tille, [chu], effective_date=date(2025, 1, 1), duration_months=24,
                                      tacit_renewal=True, notice_months=3, title="Consultations avancées"),
        "auxonne_ending": signed_convention(auxonne, [auxonne_partner], effective_date=date(2026, 2, 1),
                                            duration_months=12, notice_months=0, title="Astreinte"),
        "paris_ending": signed_convention(paris, [paris_partner], effective_date=date(2026, 2, 1),
                                          duration_months=12, notice_months=0, title="Astreinte parisienne"),
    }
    users = {
        "is_juriste": make_user("hospital", organisations=[is_sur_tille.organisation], email="juriste@is.fr"),
        "both": make_user("hospital", organisations=[is_sur_tille.organisation, auxonne.organisation],
                          email="direction@ght21.fr"),
        "auxonne": make_user("hospital", organisations=[auxonne.organisation], email="juriste@auxonne.fr"),
        "paris": make_user("hospital", organisations=[paris.organisation], email="juriste@paris.fr"),
        "ars_bfc": make_user("ars", region="27", email="ars@bfc.fr"),
        "ars_idf": make_user("ars", region="11", email="ars@idf.fr"),
        "admin": make_user("admin", email="admin@example.fr"),
        "inactive": make_user("hospital", organisations=[is_sur_tille.organisation], email="parti@is.fr"),
    }
    users["inactive"].active = False
    db.session.commit()
    return Region(is_sur_tille, auxonne, paris, conventions, users)
