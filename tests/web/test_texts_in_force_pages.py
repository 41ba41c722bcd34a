"""The texts in force on the pages: who records what on the profile (the ARS its listing facts and confirmations,
the hospital its declarations), the statutory conventions' deadline on the hospital's compliance page, the rule
set switch, the dashboard's « non transmise » filter, and the ARS transmission on the convention page."""

import re
from datetime import date, timedelta

from registry.documents.context import add_months
from registry.extensions import db
from tests.clock import TODAY
from tests.conventions.builders import make_convention
from tests.web.conftest import page, text


def _post_profile(client, hospital, **values):
    data = {"departements": "21", "communes": "", **values}
    return client.post(f"/hopitaux/{hospital.finess_et}/profil", data=data)


def test_the_ars_records_status_ght_and_confirms_what_the_hospital_declares(client, scene, login):
    login(scene.staff)
    body = page(client.get(f"/hopitaux/{scene.hdp.finess_et}/profil"))
    assert 'name="legal_status"' not in body and 'name="confirmed_activities"' not in body
    response = _post_profile(client, scene.hdp, activities=["ehpad"], equipment_declared="y",
                             own_equipment=["imagerie"], legal_status="prive", confirmed_activities=["ehpad"])
    assert response.status_code == 302
    db.session.refresh(scene.hdp)
    assert (scene.hdp.internal_activities, scene.hdp.own_equipment) == (["ehpad"], ["imagerie"])
    assert (scene.hdp.legal_status, scene.hdp.confirmed_activities) == (None, [])  # not the hospital's to set
    assert "EHPAD (déclarée, à confirmer par l'ARS)" in text(client.get(f"/hopitaux/{scene.hdp.finess_et}"))

    login(scene.ars)
    body = page(client.get(f"/hopitaux/{scene.hdp.finess_et}/profil"))
    assert 'name="activities"' not in body  # the ARS confirms, it does not declare
    assert "D'après FINESS : Public" in body  # category 106: a public CH
    response = _post_profile(client, scene.hdp, listed_on="2024-03-01", decision_ref="Arrêté DOS/2024-12",
                             legal_status="public", ght_mode="finess", ght_finess="210780581",
                             confirmed_activities=["ehpad"], confirmed_equipment=["imagerie"],
                             activities=["usld"])
    assert response.status_code == 302, text(response)
    db.session.refresh(scene.hdp)
    assert (scene.hdp.legal_status, scene.hdp.ght_support) == ("public", "210780581")
    assert (scene.hdp.confirmed_activities, scene.hdp.confirmed_equipment) == (["ehpad"], ["imagerie"])
    assert scene.hdp.internal_activities == ["ehpad"]  # what the ARS posted for the declarations is ignored
    words = text(client.get(f"/hopitaux/{scene.hdp.finess_et}"))
    assert "EHPAD (confirmée par l'ARS)" in words and "Imagerie (confirmé par l'ARS)" in words
    trail = text(client.get(f"/hopitaux/{scene.hdp.finess_et}/historique"))
    assert "Statut juridique : Public (ajout)" in trail
    assert "Établissement support du GHT : 210780581 (ajout)" in trail


def test_a_bad_ght_number_or_a_removal_without_ground_is_said_in_french(client, scene, login):
    login(scene.ars)
    response = _post_profile(client, scene.hdp, ght_mode="finess", ght_finess="123")
    assert response.status_code == 200 and "9 caractères" in text(response)
    response = _post_profile(client, scene.hdp, removed_on="2025-01-01")
    assert "indiquez à la fois la date et le motif du retrait de la liste" in text(response)
    db.session.refresh(scene.hdp)
    assert scene.hdp.ght_support is None and scene.hdp.removed_on is None


def test_the_hospital_page_gives_each_statutory_deadline_and_the_days_left(client, scene, login):
    scene.hdp.listed_on = TODAY - timedelta(days=300)
    db.session.commit()
    login(scene.staff)
    response = client.get(f"/hopitaux/{scene.hdp.finess_et}/conformite")
    words = text(response)
    partners = page(response)
    section = partners[partners.index('id="l6111_3_2"'):partners.index('id="l6111_3_3"')]
    deadline = add_months(scene.hdp.listed_on, 12)
    left = (deadline - TODAY).days
    assert f"{left} jours restants" in " ".join(re.sub(r"<[^>]+>", " ", section).split())
    assert "À risque" in section and "Article L6111-3-2" in section
    assert "Jeu de règles : Textes en vigueur" in words
    assert 'option value="r6111-26-2016"' in partners and "partenariat recommandé" in partners


def test_the_switch_shows_the_2016_rules(client, scene, login):
    login(scene.staff)
    body = page(client.get(f"/hopitaux/{scene.hdp.finess_et}/conformite?regles=r6111-26-2016"))
    assert 'id="2b_ehpad"' in body and 'id="l6111_3_2"' not in body
    assert 'option value="r6111-26-2016" selected' in body
    bad = page(client.get(f"/hopitaux/{scene.hdp.finess_et}/conformite?regles=inconnu"))
    assert "Jeu de règles inconnu : « inconnu »" in bad and 'id="l6111_3_2"' in bad


def test_the_dashboard_finds_the_partners_conventions_not_transmitted(client, scene, make_organisation,
                                                                     make_partnership, login):
    cpts = make_partnership(scene.hdp, make_organisation(name="CPTS DE L'AUXOIS", category_code="604"),
                            partner_types=["cpts"])
    make_convention(scene.hdp, cpts, legal_bases=["L6111-3-2"], signed_on=TODAY - timedelta(days=40),
                    effective_date=TODAY - timedelta(days=30))
    db.session.commit()
    login(scene.ars)

    pending = page(client.get("/conformite?exigence=l6111_3_2&etat=non_transmise"))
    missing = page(client.get("/conformite?exigence=l6111_3_2&verdict=manquant"))

    assert scene.hdp.finess_et in pending and scene.other.finess_et not in pending
    assert "non transmise" in pending and "Convention en vigueur non transmise à l'ARS" in pending
    assert scene.other.finess_et in missing and scene.hdp.finess_et not in missing
    assert "convention L6111-3-2 manquante" in missing


def test_the_convention_page_records_the_transmission(client, scene, make_organisation, make_partnership, login):
    cpts = make_partnership(scene.hdp, make_organisation(name="CPTS DE L'AUXOIS", category_code="604"),
                            partner_types=["cpts"])
    convention = make_convention(scene.hdp, cpts, legal_bases=["L6111-3-2"], signed_on=TODAY - timedelta(days=40),
                                 effective_date=TODAY - timedelta(days=30))
    db.session.commit()
    login(scene.staff)
    body = page(client.get(f"/conventions/{convention.id}"))
    assert "Convention de l'hôpital de proximité avec ses partenaires (art. L6111-3-2)" in body
    assert "non enregistrée" in body and "Enregistrer la transmission" in body

    refused = client.post(f"/conventions/{convention.id}/transmission-ars",
                          data={"date": (TODAY + timedelta(days=1)).isoformat()})
    assert refused.status_code == 422 and "ne peut pas être dans le futur" in text(refused)
    done = client.post(f"/conventions/{convention.id}/transmission-ars", data={"date": TODAY.isoformat()})
    assert done.status_code == 302
    db.session.refresh(convention)
    assert convention.transmitted_to_ars_on == TODAY

    login(scene.ars)
    assert "Enregistrer la transmission" not in page(client.get(f"/conventions/{convention.id}"))


def test_a_registered_convention_s_legal_bases_are_corrected_on_its_page(client, scene, make_organisation,
                                                                          make_partnership, login):
    cpts = make_partnership(scene.hdp, make_organisation(name="CPTS DE L'AUXOIS", category_code="604"),
                            partner_types=["cpts"])
    convention = make_convention(scene.hdp, cpts)  # written without a template: registered, no legal basis
    db.session.commit()
    login(scene.staff)
    assert "Enregistrer le fondement" in page(client.get(f"/conventions/{convention.id}"))

    refused = client.post(f"/conventions/{convention.id}/fondements", data={"legal_bases": ["L9999-1"]})
    assert refused.status_code == 422 and "Fondement inconnu." in text(refused)
    done = client.post(f"/conventions/{convention.id}/fondements", data={"legal_bases": ["L6111-3-2"]})
    assert done.status_code == 302
    db.session.refresh(convention)
    assert convention.legal_bases == ["L6111-3-2"]
    assert "fondement juridique L6111-3-2" in text(client.get(f"/hopitaux/{scene.hdp.finess_et}"))

    login(scene.ars)
    assert "Enregistrer le fondement" not in page(client.get(f"/conventions/{convention.id}"))


def test_a_statutory_deadline_met_by_a_signed_convention_is_said_respected_not_overdue():
    from types import SimpleNamespace

    from registry.compliance.routes import deadline_words

    deadline, today = date(2023, 5, 2), date(2026, 12, 2)

    def item(*signed):
        return SimpleNamespace(deadline=deadline, evidence=[SimpleNamespace(signed_on=day) for day in signed])

    assert deadline_words(item(date(2023, 3, 3), None), today) == "respectée : convention signée le 3 mars 2023"
    assert deadline_words(item(date(2024, 6, 9)), today) == "convention signée le 9 juin 2024, après l'échéance"
    assert deadline_words(item(None), today) == "dépassée de 1310 jours"
    assert deadline_words(item(), date(2023, 5, 1)) == "1 jour restant"
    assert deadline_words(item(), deadline) == "dernier jour"
