"""The convention page and a signed copy set aside by its signature check: the red warning, the current copy left
alone, the confirmation with a mandatory reason (then current, flagged), the discard; CSRF and who may act."""

import io
import re

import pytest
from sqlalchemy import select

from registry.audit.models import AuditLog
from registry.conventions import lifecycle
from registry.conventions.models import COPY_CONFIRMED, COPY_DISCARDED, COPY_SET_ASIDE, Convention
from registry.conventions.signed_copies import attach_signed_copy
from registry.extensions import db
from tests.conventions.builders import drafted_convention
from tests.conventions.lifecycle_helpers import reload, signed_copies, signed_pdf, tampered_pdf
from tests.web.conftest import page, text
from tests.web.convention_helpers import drafting  # noqa: F401  (fixture)

REASON = "Original papier vérifié : le PDF a été réenregistré par le logiciel du partenaire"


@pytest.fixture
def convention(drafting) -> Convention:
    """A convention « à signer » of the drafting hospital with a sound copy v1."""
    convention = drafted_convention(drafting.hospital, drafting.ehpad, actor=drafting.staff,
                                    status=lifecycle.A_SIGNER)
    attach_signed_copy(convention, signed_pdf(), actor=drafting.staff)
    db.session.commit()
    return convention


@pytest.fixture
def set_aside(drafting, convention) -> Convention:
    """The same, with an altered copy v2 set aside."""
    attach_signed_copy(convention, tampered_pdf(), actor=drafting.staff)
    db.session.commit()
    return convention


def url(convention: Convention, action: str = "") -> str:
    return f"/conventions/{convention.id}{action}"


def upload(client, convention, data: bytes):
    return client.post(url(convention, "/copies-signees"), data={"file": (io.BytesIO(data), "signée.pdf")},
                       content_type="multipart/form-data")


def confirm(client, convention, version: int = 2, reason: str = REASON, **extra):
    return client.post(url(convention, f"/copies-signees/{version}/confirmation"),
                       data={f"confirmer-v{version}-reason": reason, **extra})


def discard(client, convention, version: int = 2, reason: str = ""):
    return client.post(url(convention, f"/copies-signees/{version}/rejet"),
                       data={f"ecarter-v{version}-reason": reason})


def reviews(convention) -> list:
    return [copy.review for copy in sorted(signed_copies(convention), key=lambda copy: copy.version)]


def test_an_altered_upload_is_set_aside_with_a_red_warning(client, drafting, login, convention):
    login(drafting.staff)
    response = upload(client, convention, tampered_pdf())
    assert response.status_code == 302
    words = text(client.get(response.headers["Location"]))
    assert ("Erreur : Copie signée v2 mise à l'écart (altérée) : La signature de Marie Durand est altérée" in words)
    assert "La copie en vigueur reste la v1" in words
    body = page(client.get(url(convention)))
    warning = re.search(r'<div class="alert alert-danger" role="alert" id="copie-ecartee-v2">(.*?)</form>\s*</div>',
                        body, re.S).group(1)
    assert "Copie v2 mise à l'écart : altérée" in warning and "la copie en vigueur reste la v1" in warning
    assert "Vérification de la copie v1" in body  # the current copy is still v1
    assert reviews(convention) == [None, COPY_SET_ASIDE]


def test_the_current_copy_shows_its_count_of_signatures(client, drafting, login, convention):
    login(drafting.staff)
    assert re.search(r'id="compte-signatures">1 signature<', page(client.get(url(convention))))


def test_confirming_without_a_reason_is_refused_and_changes_nothing(client, drafting, login, set_aside):
    login(drafting.staff)
    response = confirm(client, set_aside, reason="  ")
    assert response.status_code == 422
    assert "Indiquez pourquoi cette copie est confirmée malgré l'alerte." in text(response)
    assert reviews(set_aside) == [None, COPY_SET_ASIDE]


def test_a_confirmed_copy_becomes_current_flagged_and_audited(client, drafting, login, set_aside):
    login(drafting.staff)
    response = confirm(client, set_aside)
    assert response.status_code == 302
    words = text(client.get(url(set_aside)))
    assert "Copie signée v2 confirmée malgré l'alerte" in words
    assert "Vérification de la copie v2" in words
    assert f"Copie confirmée malgré l'alerte : {REASON}" in words
    assert "v2 (actuelle)" in words and f"confirmée malgré l'alerte : {REASON}" in words
    assert f"Copie signée v2 confirmée malgré l'alerte de signature {REASON}" in words  # the timeline
    assert reviews(set_aside) == [None, COPY_CONFIRMED]
    entry = db.session.scalar(select(AuditLog).where(AuditLog.action == "convention.signed_copy_confirmed"))
    assert entry.actor_id == drafting.staff.id and REASON in entry.summary


def test_a_discarded_copy_stays_listed_never_current(client, drafting, login, set_aside):
    login(drafting.staff)
    assert discard(client, set_aside, reason="Mauvais fichier").status_code == 302
    words = text(client.get(url(set_aside)))
    assert "écartée définitivement : Mauvais fichier" in words and "v1 (actuelle)" in words
    assert "Copie v2 mise à l'écart" not in words
    assert reviews(set_aside) == [None, COPY_DISCARDED]
    assert confirm(client, set_aside).status_code == 422  # nothing waits for a decision any more
    assert reviews(set_aside) == [None, COPY_DISCARDED]


def test_an_admin_may_confirm(client, drafting, login, set_aside):
    login(drafting.admin)
    assert confirm(client, set_aside).status_code == 302
    assert reviews(set_aside) == [None, COPY_CONFIRMED]


def test_the_ars_sees_the_warning_but_cannot_decide(client, drafting, login, set_aside):
    login(drafting.ars)
    words = text(client.get(url(set_aside)))
    assert "Copie v2 mise à l'écart : altérée" in words
    assert "Confirmer la copie v2 malgré l'alerte" not in words
    assert confirm(client, set_aside).status_code == 403
    assert discard(client, set_aside).status_code == 403
    assert reviews(set_aside) == [None, COPY_SET_ASIDE]


@pytest.mark.parametrize("who", ["other_staff", "ars_other"])
def test_another_hospital_gets_a_404(client, drafting, login, set_aside, who):
    login(getattr(drafting, who))
    assert confirm(client, set_aside).status_code == 404
    assert discard(client, set_aside).status_code == 404
    assert reviews(set_aside) == [None, COPY_SET_ASIDE]


def test_an_unknown_version_is_a_404(client, drafting, login, set_aside):
    login(drafting.staff)
    assert confirm(client, set_aside, version=7).status_code == 404


@pytest.mark.parametrize("app_config", [{"WTF_CSRF_ENABLED": True}])
def test_a_decision_without_csrf_token_is_refused(client, drafting, set_aside):
    from tests.factories import PASSWORD
    from tests.web.test_partner_forms import _login_with_token

    _login_with_token(client, drafting.staff, PASSWORD)
    assert confirm(client, set_aside).status_code == 400
    assert discard(client, set_aside).status_code == 400
    assert reviews(set_aside) == [None, COPY_SET_ASIDE]
    body = page(client.get(url(set_aside)))
    token = re.search(r'name="confirmer-v2-csrf_token" type="hidden" value="([^"]+)"', body).group(1)
    assert confirm(client, set_aside, **{"confirmer-v2-csrf_token": token}).status_code == 302
    assert reviews(set_aside) == [None, COPY_CONFIRMED]


def test_a_signed_convention_with_its_only_copy_set_aside_says_so(client, drafting, login):
    convention = drafted_convention(drafting.hospital, drafting.ehpad, actor=drafting.staff,
                                    status=lifecycle.A_SIGNER)
    attach_signed_copy(convention, tampered_pdf(), actor=drafting.staff)
    db.session.commit()
    login(drafting.staff)
    words = text(client.get(url(convention)))
    assert "la convention n'a pas de copie signée en vigueur" in words
    assert "Aucune copie signée en vigueur" in words
    assert "mise à l'écart, à confirmer" in words  # beside « Enregistrer la signature »
    assert reload(convention).current_signed_copy is None


# --- The other ways a signed copy arrives: the register form and the stock import -------------------------------

def test_the_register_form_registers_the_convention_with_its_altered_copy_set_aside(client, drafting, login):
    from tests.web.test_register_conventions import register_url, register_values

    login(drafting.staff)
    response = client.post(register_url(drafting), data=register_values(drafting, tampered_pdf()),
                           content_type="multipart/form-data")
    assert response.status_code == 302
    convention = db.session.scalar(select(Convention).where(Convention.hospital_id == drafting.hospital.id))
    assert convention.status == lifecycle.SIGNEE and reviews(convention) == [COPY_SET_ASIDE]
    words = text(client.get(response.headers["Location"]))
    assert (f"La convention {convention.reference} est enregistrée comme signée, mais sa copie est mise à l'écart."
            in words)
    assert "Copie v1 mise à l'écart : altérée" in words


def test_the_stock_import_reports_the_row_and_sets_its_copy_aside(client, drafting, login):
    from tests.conventions.test_bulk_import import csv_bytes, values
    from tests.signatures.pdf_factory import zip_bytes
    from tests.web.test_register_conventions import import_url, token_of
    from tests.web.test_register_conventions import upload as upload_stock

    login(drafting.staff)
    upload_stock(client, drafting, csv_bytes([values(drafting.chu, fichier_pdf="chu.pdf")]),
                 zip_bytes({"chu.pdf": tampered_pdf()}))
    preview = text(client.get(import_url(drafting, "/apercu")))
    assert "Copie importée mais mise à l'écart, à confirmer sur la page de la convention" in preview
    assert "La signature de Marie Durand est altérée" in preview
    response = client.post(import_url(drafting, "/confirmer"), data={"token": token_of(client, drafting)})
    assert response.status_code == 302
    convention = db.session.scalar(select(Convention).where(Convention.hospital_id == drafting.hospital.id))
    assert convention.status == lifecycle.SIGNEE and reviews(convention) == [COPY_SET_ASIDE]
    words = text(client.get(response.headers["Location"]))
    assert f"Copie signée mise à l'écart (signature altérée, modifiée après signature ou illisible) pour : " \
           f"{convention.reference}." in words
