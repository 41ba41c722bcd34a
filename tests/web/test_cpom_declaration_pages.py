"""The CPOM forms about an engagement's year: the establishment declares and brings proof, the ARS asks for proof,
validates or contests; every refusal shown in French with nothing changed, and no post without its CSRF token."""

import re
from datetime import timedelta

import pytest
from sqlalchemy import select

from registry.core import clock
from registry.core.french import french_date
from registry.cpom.models import CpomDeclaration, CpomProof
from registry.extensions import db
from tests.clock import TODAY
from tests.web.conftest import page, text
from tests.web.cpom_scene import (  # noqa: F401  (cpom: a fixture)
    PDF, YEAR, base, count, cpom, declaration, declare_ratio, engagement, proof_upload, request_proof, review)


# --- The establishment declares and brings proof ---------------------------------------------------------------


def test_the_hospital_declares_a_ratio_from_numerator_and_denominator(client, scene, cpom, login):
    login(scene.staff)
    response = declare_ratio(client, scene, cpom)
    assert response.status_code == 302 and f"annee={YEAR}" in response.headers["Location"]
    stored = declaration(cpom, "admissions_urgences")
    assert (stored.value, stored.numerator, stored.denominator, stored.status) == (0.25, 250, 1000, "declaree")
    words = text(client.get(response.headers["Location"]))
    assert f"Valeur {YEAR} de « Taux d'admission via les urgences » déclarée." in words
    assert "0,25 (250 / 1000)" in words and "Atteint" in words and "Déclarée" in words
    body = page(client.get(response.headers["Location"]))  # the form offers the value to correct, written in French
    prefix = f"declaration-{engagement(cpom, 'admissions_urgences').id}"
    assert f'name="{prefix}-numerator" type="text" value="250"' in body
    assert f'name="{prefix}-denominator" type="text" value="1000"' in body


def test_each_kind_of_indicator_gets_its_own_fields(client, scene, cpom, login):
    login(scene.staff)
    body = page(client.get(f"/hopitaux/{scene.hdp.finess_et}/cpom"))
    ids = {code: engagement(cpom, code).id for code in ("connaissance_offre", "collaborations_ville", "ip_dms",
                                                        "admissions_urgences")}
    assert f'name="declaration-{ids["connaissance_offre"]}-answer" type="radio" value="oui"' in body
    assert f'name="declaration-{ids["collaborations_ville"]}-items" value="Réseau"' in body
    assert f'name="declaration-{ids["admissions_urgences"]}-numerator"' in body
    assert f'name="declaration-{ids["ip_dms"]}-value"' in body
    assert f'name="declaration-{ids["ip_dms"]}-numerator"' not in body
    # The registry-proved engagement has no form.
    assert f'name="declaration-{engagement(cpom, "convention_l6111_3_2").id}-' not in body


def test_yes_no_checklist_and_number_declarations(client, scene, cpom, login):
    login(scene.staff)
    for code, fields in (("connaissance_offre", {"answer": "oui"}),
                         ("collaborations_ville", {"items": ["Réseau", "Urgence"]}),
                         ("ip_dms", {"value": "0,98"})):
        prefix = f"declaration-{engagement(cpom, code).id}"
        response = client.post(base(scene, cpom, code) + "/declaration",
                               data={f"{prefix}-{name}": value for name, value in fields.items()})
        assert response.status_code == 302, text(response)
    assert declaration(cpom, "connaissance_offre").value is True
    assert declaration(cpom, "collaborations_ville").items == ["Réseau", "Urgence"]
    assert declaration(cpom, "ip_dms").value == 0.98
    words = text(client.get(f"/hopitaux/{scene.hdp.finess_et}/cpom"))
    assert "Réseau, Urgence" in words and "0,98" in words


@pytest.mark.parametrize("code, fields, message", [
    ("admissions_urgences", {"numerator": "1200", "denominator": "1000"},
     "le numérateur ne peut dépasser le dénominateur"),
    ("admissions_urgences", {"numerator": "12"}, "indiquez à la fois le numérateur et le dénominateur"),
    ("connaissance_offre", {}, "valeur attendue : true (oui) ou false (non)"),
    ("collaborations_ville", {"items": ["Inventée"]}, "Action inconnue"),
    ("ip_dms", {"value": "beaucoup"}, "Valeur"),
])
def test_a_refused_declaration_is_shown_in_french_and_changes_nothing(client, scene, cpom, login, code, fields,
                                                                      message):
    login(scene.staff)
    prefix = f"declaration-{engagement(cpom, code).id}"
    response = client.post(base(scene, cpom, code) + "/declaration",
                           data={f"{prefix}-{name}": value for name, value in fields.items()})
    assert response.status_code == 422
    assert message in text(response)
    assert count(CpomDeclaration) == 0


def test_a_year_outside_the_cpom_is_refused(client, scene, cpom, login):
    login(scene.staff)
    prefix = f"declaration-{engagement(cpom, 'connaissance_offre').id}"
    response = client.post(base(scene, cpom, "connaissance_offre", YEAR + 2) + "/declaration",
                           data={f"{prefix}-answer": "oui"})
    assert response.status_code == 422 and "n'est pas encore commencée" in text(response)
    assert count(CpomDeclaration) == 0


def test_the_ars_may_not_declare_and_the_registry_proved_engagement_is_not_declared(client, scene, cpom, login):
    login(scene.ars)
    assert declare_ratio(client, scene, cpom).status_code == 403
    login(scene.staff)
    response = client.post(base(scene, cpom, "convention_l6111_3_2") + "/declaration",
                           data={f"declaration-{engagement(cpom, 'convention_l6111_3_2').id}-answer": "oui"})
    assert response.status_code == 422 and "il ne se déclare pas" in text(response)
    assert count(CpomDeclaration) == 0


def test_the_hospital_attaches_a_proof_and_the_ars_downloads_it(client, scene, cpom, login):
    login(scene.staff)
    declare_ratio(client, scene, cpom)
    response = proof_upload(client, scene, cpom)
    assert response.status_code == 302
    assert declaration(cpom, "admissions_urgences").status == "preuve_fournie"
    words = text(client.get(response.headers["Location"]))
    assert "Preuve « preuve.pdf » déposée" in words and "Preuve fournie" in words
    login(scene.ars)
    proof = db.session.scalar(select(CpomProof))
    download = client.get(f"/hopitaux/{scene.hdp.finess_et}/cpom/{cpom.id}/preuves/{proof.id}")
    assert download.status_code == 200 and download.data == PDF and download.mimetype == "application/pdf"
    login(scene.ars_other)
    assert client.get(f"/hopitaux/{scene.hdp.finess_et}/cpom/{cpom.id}/preuves/{proof.id}").status_code == 404


@pytest.mark.parametrize("data, message", [
    (b"GIF89a not a proof", "seuls un PDF ou un document bureautique"),
    (b"%PDF-1.4 truncated", "le PDF est incomplet"),
])
def test_a_refused_proof_changes_nothing(client, scene, cpom, login, data, message):
    login(scene.staff)
    declare_ratio(client, scene, cpom)
    response = proof_upload(client, scene, cpom, data=data)
    assert response.status_code == 422 and message in text(response)
    assert declaration(cpom, "admissions_urgences").status == "declaree" and count(CpomProof) == 0


def test_no_proof_before_a_declaration_and_no_file_is_refused(client, scene, cpom, login):
    login(scene.staff)
    response = proof_upload(client, scene, cpom)
    assert response.status_code == 422 and "Aucune valeur n'a encore été déclarée" in text(response)
    declare_ratio(client, scene, cpom)
    prefix = f"preuve-{engagement(cpom, 'admissions_urgences').id}"
    response = client.post(base(scene, cpom, "admissions_urgences") + "/preuves", data={f"{prefix}-x": ""})
    assert response.status_code == 422 and "Choisissez le fichier de la preuve." in text(response)
    assert count(CpomProof) == 0


# --- The ARS asks for proof, validates or contests -------------------------------------------------------------


def test_the_ars_asks_for_proof_and_a_missed_due_date_shows_late(client, scene, cpom, login):
    login(scene.staff)
    declare_ratio(client, scene, cpom)
    login(scene.ars)
    due = TODAY + timedelta(days=10)
    response = request_proof(client, scene, cpom, due.isoformat())
    assert response.status_code == 302
    stored = declaration(cpom, "admissions_urgences")
    assert (stored.status, stored.proof_due) == ("preuve_demandee", due)
    assert "Preuve demandée" in text(client.get(response.headers["Location"]))
    for path in ("", "/historique"):  # the latest changes and the history say it in French
        trail = text(client.get(f"/hopitaux/{scene.hdp.finess_et}{path}"))
        assert f"preuve demandée pour {YEAR} avant le {french_date(due)}" in trail
        assert f"« Taux d'admission via les urgences » {YEAR} déclaré : 0,25 (250 / 1000)" in trail
    with clock.travel(due + timedelta(days=1)):
        login(scene.ars)  # the session of eleven days before has ended
        words = text(client.get(f"/hopitaux/{scene.hdp.finess_et}/cpom?annee={YEAR}"))
        assert "en retard" in words and "preuve attendue avant le" in words
        campaign_words = text(client.get(f"/cpom/campagne?annee={YEAR}&statut=en_retard"))
        assert "1 engagement (hôpital × engagement) retenu" in campaign_words


@pytest.mark.parametrize("due, message", [((TODAY - timedelta(days=1)).isoformat(), "ne peut pas être passée"),
                                          ("", "Date invalide")])
def test_a_refused_proof_request_changes_nothing(client, scene, cpom, login, due, message):
    login(scene.staff)
    declare_ratio(client, scene, cpom)
    login(scene.ars)
    response = request_proof(client, scene, cpom, due)
    assert response.status_code == 422 and message in text(response)
    stored = declaration(cpom, "admissions_urgences")
    assert (stored.status, stored.proof_due) == ("declaree", None)


def test_the_hospital_may_not_review(client, scene, cpom, login):
    login(scene.staff)
    declare_ratio(client, scene, cpom)
    assert review(client, scene, cpom, "validee").status_code == 403
    assert request_proof(client, scene, cpom, TODAY.isoformat()).status_code == 403
    assert declaration(cpom, "admissions_urgences").status == "declaree"


def test_a_validated_value_is_locked(client, scene, cpom, login):
    login(scene.staff)
    declare_ratio(client, scene, cpom)
    login(scene.ars)
    response = review(client, scene, cpom, "validee", "Conforme au PMSI")
    assert response.status_code == 302
    assert declaration(cpom, "admissions_urgences").status == "validee"
    words = text(client.get(response.headers["Location"]))
    assert "Validée" in words and "Valeur validée par l'ARS : elle est verrouillée." in words
    login(scene.staff)
    body = page(client.get(f"/hopitaux/{scene.hdp.finess_et}/cpom"))
    assert f'name="declaration-{engagement(cpom, "admissions_urgences").id}-numerator"' not in body
    response = declare_ratio(client, scene, cpom, "100", "1000")
    assert response.status_code == 422 and "elle est verrouillée" in text(response)
    assert declaration(cpom, "admissions_urgences").value == 0.25


@pytest.mark.parametrize("decision, comment, message", [
    ("contestee", "", "dites pourquoi la valeur est contestée"), ("approuvee", "", "Décision inconnue")])
def test_a_refused_review_changes_nothing(client, scene, cpom, login, decision, comment, message):
    login(scene.staff)
    declare_ratio(client, scene, cpom)
    login(scene.ars)
    response = review(client, scene, cpom, decision, comment)
    assert response.status_code == 422 and message in text(response)
    assert declaration(cpom, "admissions_urgences").status == "declaree"


def test_a_contested_value_may_be_declared_again(client, scene, cpom, login):
    login(scene.staff)
    declare_ratio(client, scene, cpom)
    login(scene.ars)
    assert review(client, scene, cpom, "contestee", "Dénominateur incohérent").status_code == 302
    words = text(client.get(f"/hopitaux/{scene.hdp.finess_et}/cpom"))
    assert "Contestée" in words and "Dénominateur incohérent" in words and "Non évaluable" in words
    login(scene.staff)
    assert declare_ratio(client, scene, cpom, "240", "1000").status_code == 302
    assert declaration(cpom, "admissions_urgences").status == "declaree"


@pytest.mark.parametrize("app_config", [{"WTF_CSRF_ENABLED": True}])
def test_posts_without_csrf_token_are_refused(client, scene, cpom):
    from tests.web.test_partner_forms import _login_with_token
    from tests.factories import PASSWORD

    _login_with_token(client, scene.staff, PASSWORD)
    response = declare_ratio(client, scene, cpom)
    assert response.status_code == 400 and count(CpomDeclaration) == 0
    body = page(client.get(f"/hopitaux/{scene.hdp.finess_et}/cpom"))
    prefix = f"declaration-{engagement(cpom, 'admissions_urgences').id}"
    token = re.search(rf'name="{prefix}-csrf_token" type="hidden" value="([^"]+)"', body).group(1)
    response = client.post(base(scene, cpom, "admissions_urgences") + "/declaration",
                           data={f"{prefix}-csrf_token": token, f"{prefix}-numerator": "1",
                                 f"{prefix}-denominator": "4"})
    assert response.status_code == 302 and declaration(cpom, "admissions_urgences").value == 0.25
