"""Signed conventions in two regions, three départements and four hospitals, and a user of every role.

``world.own`` (Côte-d'Or, region 27) holds a signed convention with two signed copies (only the latest goes into a
bundle), a signed avenant, a terminated convention, a convention waiting for its signature with a copy uploaded,
and a draft; ``neighbour`` (Côte-d'Or), ``nievre`` (Nièvre, region 27) and ``rhone`` (Rhône, region 84) one signed
convention each.
"""

import io
from datetime import date
from types import SimpleNamespace

import pytest
from pypdf import PdfWriter

from registry.conventions.signed_copies import attach_signed_copy
from registry.conventions.transitions import create_avenant, terminate, transition
from registry.extensions import db
from tests.clock import TODAY
from tests.conventions.builders import registered_convention

SIGNED_ON = date(2026, 6, 1)


def unique_pdf(text: str) -> bytes:
    """A one-page PDF whose bytes are its own (the text is its title)."""
    writer = PdfWriter()
    writer.add_blank_page(595, 842)
    writer.add_metadata({"/Title": text})
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def sign(convention, *, copies: int = 1, on: date = SIGNED_ON):
    """Upload ``copies`` signed copies (each different), then record the signature."""
    documents = [attach_signed_copy(convention, unique_pdf(f"{convention.reference} copie {n}"))
                 for n in range(1, copies + 1)]
    transition(convention, "signee", date=on, today=max(on, TODAY))
    return documents[-1]


@pytest.fixture
def build(make_organisation, make_hospital, make_partnership):
    """build.hospital(departement, name) and build.signed(hospital, partner_name=..., copies=...)."""
    def hospital(departement: str, name: str):
        return make_hospital(make_organisation(departement=departement, name=name, category_code="106"))

    def signed(hospital, *, partner_name: str = "EHPAD LES TILLEULS", copies: int = 1, **values):
        partnership = make_partnership(hospital, make_organisation(
            departement=hospital.organisation.departement, name=partner_name, category_code="500"),
            partner_types=["ehpad"])
        convention = registered_convention(hospital, [partnership], **values)
        return convention, sign(convention, copies=copies)

    return SimpleNamespace(hospital=hospital, signed=signed)


@pytest.fixture
def world(build, make_user, make_partnership, make_organisation):
    own = build.hospital("21", "CH DE BEAUNE")
    neighbour = build.hospital("21", "CH DE SEMUR")
    nievre = build.hospital("58", "CH DE DECIZE")
    rhone = build.hospital("69", "HOPITAL DE GIVORS")
    main, main_copy = build.signed(own, partner_name="EHPAD LE CHÂTEAU", copies=2)
    avenant = create_avenant(main, "Ajout de la télémédecine")
    avenant_copy = sign(avenant)
    ended, ended_copy = build.signed(own, partner_name="CHU DIJON BOURGOGNE")
    terminate(ended, on=date(2026, 9, 1), reason="Remplacée par une convention territoriale")
    waiting = registered_convention(own, [make_partnership(own, make_organisation(name="SSR DU LAC"))])
    attach_signed_copy(waiting, unique_pdf("en attente"))  # uploaded, but the signature is not recorded
    registered_convention(own, [make_partnership(own, make_organisation(name="HAD COTE D'OR"))])  # a draft
    files = {"main": main_copy, "avenant": avenant_copy, "ended": ended_copy,
             "neighbour": build.signed(neighbour)[1], "nievre": build.signed(nievre)[1],
             "rhone": build.signed(rhone)[1]}
    users = {"admin": make_user("admin"), "ars": make_user("ars", region="27"),
             "ars_other": make_user("ars", region="84"),
             "hospital": make_user("hospital", organisations=[own.organisation]),
             "hospital_other": make_user("hospital", organisations=[rhone.organisation])}
    db.session.commit()
    return SimpleNamespace(own=own, neighbour=neighbour, nievre=nievre, rhone=rhone, main=main, avenant=avenant,
                           ended=ended, waiting=waiting, files=files, users=users)
