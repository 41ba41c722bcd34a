"""The CPOM pages: a hospital's CPOMs with the year's declarations, the ARS's forms (create, engagements, proof
requests, reviews), the establishment's declarations and proofs, and the year's campaign; who sees what (outsiders
404, anonymous to the login page), and every refusal shown in French with nothing changed."""

import io
import re
from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from registry.core import clock
from registry.core.french import french_date
from registry.cpom import campaign, services
from registry.cpom.models import Cpom, CpomDeclaration, CpomEngagement, CpomProof
from registry.extensions import db
from tests.clock import TODAY
from tests.web.conftest import page, text

START = date(TODAY.year - 1, 1, 1)
YEAR = START.year
PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"


@pytest.fixture
def cpom(scene):
    """The CPOM of Semur, signed last year, with five engagements of the built-in catalogue."""
    record = services.create_cpom(scene.hdp, signed_on=START, effective_on=START, actor=scene.ars)
    for indicator, comparator, value in (("admissions_urgences", "<=", 0.3), ("connaissance_offre", "present", None),
                                         ("collaborations_ville", "present", None), ("ip_dms", "<=", 1.05),
                                         ("convention_l6111_3_2", "present", None)):
        services.add_engagement(record, indicator=indicator, comparator=comparator, target_value=value,
                                actor=scene.ars)
    db.session.commit()
    return record


def engagement(cpom, indicator) -> CpomEngagement:
    return next(item for item in cpom.engagements if item.indicator == indicator)


def base(scene, cpom, indicator, year=YEAR) -> str:
    return f"/hopitaux/{scene.hdp.finess_et}/cpom/{cpom.id}/engagements/{engagement(cpom, indicator).id}/{year}"


def declaration(cpom, indicator, year=YEAR) -> CpomDeclaration | None:
    db.session.expire_all()
    return db.session.scalar(select(CpomDeclaration).where(
        CpomDeclaration.engagement_id == engagement(cpom, indicator).id, CpomDeclaration.year == year))


def count(model) -> int:
    db.session.expire_all()
    return db.session.scalar(select(func.count()).select_from(model))


def declare_ratio(client, scene, cpom, numerator="250", denominator="1000"):
    prefix = f"declaration-{engagement(cpom, 'admissions_urgences').id}"
    return client.post(base(scene, cpom, "admissions_urgences") + "/declaration",
                       data={f"{prefix}-numerator": numerator, f"{prefix}-denominator": denominator,
                             f"{prefix}-comment": "Données PMSI"})


def proof_upload(client, scene, cpom, data=PDF, name="preuve.pdf", indicator="admissions_urgences"):
    prefix = f"preuve-{engagement(cpom, indicator).id}"
    return client.post(base(scene, cpom, indicator) + "/preuves", content_type="multipart/form-data",
                       data={f"{prefix}-file": (io.BytesIO(data), name)})


def request_proof(client, scene, cpom, due, indicator="admissions_urgences"):
    prefix = f"demande-{engagement(cpom, indicator).id}"
    return client.post(base(scene, cpom, indicator) + "/demande-de-preuve", data={f"{prefix}-due": due})


def review(client, scene, cpom, decision, comment="", indicator="admissions_urgences"):
    prefix = f"revue-{engagement(cpom, indicator).id}"
    return client.post(base(scene, cpom, indicator) + "/revue",
                       data={f"{prefix}-decision": decision, f"{prefix}-comment": comment})


# --- Who sees the hospital page -------------------------------------------------------------------------------


@pytest.mark.parametrize("role", ["ars", "staff", "admin"])
def test_the_hospital_page_shows_the_cpom_to_the_ars_the_hospital_and_admins(client, scene, cpom, login, role):
    login(getattr(scene, role))
    response = client.get(f"/hopitaux/{scene.hdp.finess_et}/cpom")
    assert response.status_code == 200
    words = text(response)
    assert f"CPOM de {cpom.name}" in words
    assert f"À déclarer pour {YEAR}" in words
    assert "Taux d'admission via les urgences" in words and "≤ 0,3" in words
    assert "Évaluation à mi-parcours" in words and "Demande de renouvellement" in words
    assert "Établi d'après le registre des conventions" in words
    body = page(response)
    assert ("Enregistrer un autre CPOM" in words) == (role != "staff")
    assert ("Ajouter l'engagement" in words) == (role != "staff")
    assert ('/declaration"' in body) == (role != "ars")
    assert 'name="declaration-' in body or role == "ars"
    assert "csrf_token" in body


@pytest.mark.parametrize("role", ["ars_other", "other_staff"])
def test_outsiders_get_404_on_every_cpom_page_and_form(client, scene, cpom, login, role):
    login(getattr(scene, role))
    own = f"/hopitaux/{scene.hdp.finess_et}/cpom"
    assert client.get(own).status_code == 404
    assert client.post(own, data={"signed_on": START.isoformat(), "effective_on": START.isoformat()}).status_code == 404
    assert client.post(f"{own}/{cpom.id}/engagements", data={}).status_code == 404
    assert declare_ratio(client, scene, cpom).status_code == 404
    assert review(client, scene, cpom, "validee").status_code == 404
    assert count(Cpom) == 1 and count(CpomDeclaration) == 0


def test_a_hospital_user_sees_no_cpom_of_a_sibling_hospital(client, scene, cpom, login):
    """The other hospital's own page lists no CPOM, and the CPOM cannot be reached through it."""
    login(scene.other_staff)
    response = client.get(f"/hopitaux/{scene.other.finess_et}/cpom")
    assert response.status_code == 200 and "Aucun CPOM enregistré" in text(response)
    assert client.post(f"/hopitaux/{scene.other.finess_et}/cpom/{cpom.id}/engagements", data={}).status_code == 404


def test_anonymous_visitors_are_sent_to_the_login_page(client, scene, cpom):
    for method, url in (("get", f"/hopitaux/{scene.hdp.finess_et}/cpom"), ("get", "/cpom/campagne"),
                        ("post", f"/hopitaux/{scene.hdp.finess_et}/cpom"),
                        ("post", base(scene, cpom, "admissions_urgences") + "/declaration")):
        response = getattr(client, method)(url)
        assert response.status_code == 302 and "/connexion" in response.headers["Location"], url


def test_the_hospital_page_links_to_the_cpom(client, scene, login):
    login(scene.staff)
    body = page(client.get(f"/hopitaux/{scene.hdp.finess_et}"))
    assert f'href="/hopitaux/{scene.hdp.finess_et}/cpom"' in body and 'href="/cpom/campagne"' in body


# --- The ARS creates a CPOM and chooses its engagements ---------------------------------------------------------


def test_the_ars_creates_a_cpom(client, scene, login):
    login(scene.ars)
    url = f"/hopitaux/{scene.hdp.finess_et}/cpom"
    assert "Aucun CPOM enregistré" in text(client.get(url))
    response = client.post(url, data={"signed_on": START.isoformat(), "effective_on": START.isoformat(),
                                      "duration_years": "5"})
    assert response.status_code == 302
    words = text(client.get(response.headers["Location"]))
    assert "CPOM de" in words and "enregistré" in words
    assert f"31 décembre {YEAR + 4}" in words  # its end, derived
    assert count(Cpom) == 1


@pytest.mark.parametrize("data, message", [
    ({"signed_on": (TODAY + timedelta(days=3)).isoformat(), "effective_on": START.isoformat(), "duration_years": "5"},
     "la date de signature ne peut pas être dans le futur"),
    ({"signed_on": START.isoformat(), "effective_on": "", "duration_years": "5"}, "Date invalide"),
    ({"signed_on": START.isoformat(), "effective_on": START.isoformat(), "duration_years": "12"}, "de 1 à 10 ans"),
])
def test_a_refused_cpom_is_shown_in_french_and_nothing_is_recorded(client, scene, login, data, message):
    login(scene.ars)
    response = client.post(f"/hopitaux/{scene.hdp.finess_et}/cpom", data=data)
    assert response.status_code == 422
    assert message in text(response) and "Le formulaire n'a pas été enregistré" in text(response)
    assert count(Cpom) == 0


def test_a_hospital_user_may_not_create_a_cpom_nor_add_an_engagement(client, scene, cpom, login):
    login(scene.staff)
    url = f"/hopitaux/{scene.hdp.finess_et}/cpom"
    assert client.post(url, data={"signed_on": START.isoformat(), "effective_on": START.isoformat()}).status_code == 403
    prefix = f"engagement-{cpom.id}"
    assert client.post(f"{url}/{cpom.id}/engagements", data={f"{prefix}-indicator": "ph_centres_sante",
                                                              f"{prefix}-comparator": ">="}).status_code == 403
    assert count(Cpom) == 1 and count(CpomEngagement) == 5


def test_the_ars_adds_an_engagement_from_the_catalogue(client, scene, cpom, login):
    login(scene.ars)
    prefix = f"engagement-{cpom.id}"
    response = client.post(f"/hopitaux/{scene.hdp.finess_et}/cpom/{cpom.id}/engagements",
                           data={f"{prefix}-indicator": "ph_centres_sante", f"{prefix}-comparator": ">=",
                                 f"{prefix}-target_value": "2,5", f"{prefix}-applicable": "y"})
    assert response.status_code == 302
    added = db.session.scalar(select(CpomEngagement).where(CpomEngagement.indicator == "ph_centres_sante"))
    assert (added.comparator, added.target_value, added.applicable) == (">=", 2.5, True)
    words = text(client.get(response.headers["Location"]))
    assert "Engagement « Part des praticiens hospitaliers mis à disposition » ajouté" in words and "≥ 2,5" in words


@pytest.mark.parametrize("fields, message", [
    ({"indicator": "ph_centres_sante", "comparator": ">="}, "dites pourquoi l'engagement ne s'applique pas"),
    ({"indicator": "entrees_sorties", "comparator": ">=", "applicable": "y"}, "se compare avec « present »"),
    ({"indicator": "admissions_urgences", "comparator": "<=", "applicable": "y"}, "Engagement inconnu"),
    ({"indicator": "structure_premier_recours", "comparator": "present", "target_value": "beaucoup",
      "applicable": "y"}, "Valeur cible"),
])
def test_a_refused_engagement_changes_nothing(client, scene, cpom, login, fields, message):
    login(scene.ars)
    prefix = f"engagement-{cpom.id}"
    response = client.post(f"/hopitaux/{scene.hdp.finess_et}/cpom/{cpom.id}/engagements",
                           data={f"{prefix}-{name}": value for name, value in fields.items()})
    assert response.status_code == 422 and message in text(response)
    assert count(CpomEngagement) == 5


def test_an_engagement_already_in_the_cpom_is_no_longer_offered(client, scene, cpom, login):
    login(scene.ars)
    body = page(client.get(f"/hopitaux/{scene.hdp.finess_et}/cpom"))
    offered = re.findall(r'<option value="([a-z0-9_]+)"', body.split(f'id="engagement-{cpom.id}-indicator"')[1]
                         .split("</select>")[0])
    assert "ph_centres_sante" in offered and "admissions_urgences" not in offered


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


# --- The campaign ----------------------------------------------------------------------------------------------


@pytest.fixture
def far_cpom(scene):
    """A CPOM of the Rhône hospital, another region's."""
    record = services.create_cpom(scene.far, signed_on=START, effective_on=START)
    services.add_engagement(record, indicator="admissions_urgences", comparator="<=", target_value=0.2)
    db.session.commit()
    return record


def test_the_campaign_of_the_ars_is_its_region_only(client, scene, cpom, far_cpom, login):
    login(scene.ars)
    response = client.get(f"/cpom/campagne?region=84&annee={YEAR}")
    assert response.status_code == 200
    words = text(response)
    assert scene.hdp.name in words and "HOPITAL DE GIVORS" not in words
    assert "Bourgogne-Franche-Comté" in words and "Toutes les régions" not in words
    assert "5 engagements (hôpital × engagement) retenus" in words


def test_the_campaign_filters_and_charts(client, scene, cpom, far_cpom, login):
    login(scene.staff)
    declare_ratio(client, scene, cpom)
    login(scene.admin)
    words = text(client.get(f"/cpom/campagne?annee={YEAR}"))
    assert scene.hdp.name in words and "HOPITAL DE GIVORS" in words
    assert "6 engagements (hôpital × engagement) retenus" in words
    words = text(client.get(f"/cpom/campagne?annee={YEAR}&region=84"))
    assert "HOPITAL DE GIVORS" in words and scene.hdp.name not in words
    response = client.get(f"/cpom/campagne?annee={YEAR}&statut=declaree&indicateur=admissions_urgences")
    words = text(response)
    assert "1 engagement (hôpital × engagement) retenu" in words and "Atteint" in words
    assert "graphique-admissions_urgences" in page(response)
    assert "Taux d'admission via les urgences : valeur déclarée par année" in words
    assert f"{scene.hdp.name} ≤ 0,3 0,25" in words  # the chart's data table: hospital, target, the year's value
    words = text(client.get(f"/cpom/campagne?annee={YEAR}&evaluation=non_atteint&region=27"))
    assert "1 engagement (hôpital × engagement) retenu" in words  # no L6111-3-2 convention in the registry
    assert "Convention L6111-3-2 signée, en vigueur et transmise à l'ARS" in words
    words = text(client.get(f"/cpom/campagne?annee={YEAR}&departement=21&statut=non_declaree"))
    assert "3 engagements (hôpital × engagement) retenus" in words and "HOPITAL DE GIVORS" not in words


def test_campaign_counters(client, scene, cpom, login):
    login(scene.staff)
    declare_ratio(client, scene, cpom)
    prefix = f"declaration-{engagement(cpom, 'connaissance_offre').id}"
    client.post(base(scene, cpom, "connaissance_offre") + "/declaration", data={f"{prefix}-answer": "non"})
    login(scene.ars)
    review(client, scene, cpom, "validee")
    body = page(client.get(f"/cpom/campagne?annee={YEAR}"))
    counters = {label: int(number) for number, label in re.findall(
        r'<div class="fs-4 fw-semibold">(\d+)</div><div class="small">([^<]+)</div>', body)}
    # Declared: the ratio (validated), the yes/no and the registry-proved engagement (always « validée »).
    assert counters == {"Déclarées": 3, "Non déclarées": 2, "Preuves demandées": 0, "Preuves en retard": 0,
                        "Validées": 2, "Contestées": 0, "Cibles atteintes": 1}


def test_the_campaign_of_a_hospital_user_is_its_own(client, scene, cpom, far_cpom, login):
    login(scene.other_staff)
    words = text(client.get(f"/cpom/campagne?annee={YEAR}"))
    assert scene.hdp.name not in words and "Aucun engagement ne correspond" in words
    login(scene.staff)
    assert scene.hdp.name in text(client.get(f"/cpom/campagne?annee={YEAR}"))


def test_bad_criteria_are_ignored_with_a_french_notice(client, scene, cpom, login):
    login(scene.admin)
    response = client.get("/cpom/campagne?annee=abc&statut=perdu&region=99")
    assert response.status_code == 200
    words = text(response)
    assert "Année ignorée" in words and "Critère « statut » ignoré" in words and "Critère « region » ignoré" in words
    assert f"Campagne CPOM {YEAR}" in words


def test_the_campaign_downloads_hold_the_user_s_scope(client, scene, cpom, login):
    campaign.declare(engagement(cpom, "connaissance_offre"), YEAR, value=True, actor=scene.staff)
    db.session.commit()
    login(scene.ars)
    page_text = text(client.get(f"/cpom/campagne?annee={YEAR}"))
    assert "Exporter en CSV" in page_text and "Rapport de campagne (Word)" in page_text
    exported = client.get(f"/cpom/campagne/export?annee={YEAR}&format=csv")
    rows = exported.get_data().decode("utf-8-sig").splitlines()
    assert exported.mimetype == "text/csv" and len(rows) == 1 + len(cpom.engagements)
    assert all(scene.hdp.finess_et in row for row in rows[1:])
    matrix = client.get(f"/cpom/campagne/export?annee={YEAR}&format=xlsx&matrice=1")
    assert matrix.get_data()[:2] == b"PK" and "matrice" in matrix.headers["Content-Disposition"]
    report = client.get(f"/cpom/campagne/rapport?annee={YEAR}&region=84")  # an ARS keeps its own region
    assert report.get_data()[:2] == b"PK" and "-27.docx" in report.headers["Content-Disposition"]
    client.post("/deconnexion")
    login(scene.ars_other)
    other = client.get(f"/cpom/campagne/export?annee={YEAR}&format=csv&region=27")
    assert scene.hdp.finess_et not in other.get_data().decode("utf-8-sig")
