"""A hospital's history page: its audit trail in French, 50 entries a page, for whoever reads the hospital."""

import pytest

from registry.audit.services import record_audit
from registry.extensions import db
from registry.hospitals.history import audit_changes
from tests.web.conftest import page, text


def _entries(scene, count: int) -> None:
    for n in range(count):
        record_audit("partnership.update", scene.partnership, f"Modification n° {n:03d}", hospital=scene.hdp,
                     actor=scene.admin)
    db.session.commit()


def test_changes_read_as_sentences(client, scene, login):
    record_audit("hospital.update", scene.hdp, "Profil de l'hôpital modifié", hospital=scene.hdp, actor=scene.admin,
                 changes={"territory_departements": [["21"], ["21", "71"]], "listed_on": ["2022-05-01", None],
                          "decision_ref": [None, "ARS-2023-004"], "legal_status": ["prive", "public"],
                          "internal_activities": [["ssr"], ["usld"]]})
    db.session.commit()
    login(scene.staff)
    response = client.get(f"/hopitaux/{scene.hdp.finess_et}/historique")
    assert response.status_code == 200
    words = text(response)
    assert "Historique des modifications" in words and "CENTRE HOSPITALIER DE SEMUR · 1 entrée" in words
    assert "Profil de l'hôpital modifié" in words and scene.admin.email in words
    assert "Départements du territoire : ajout de « 71 »" in words
    assert "Date d'inscription : valeur retirée (auparavant : 1er mai 2022)" in words
    assert "Décision de l'ARS : ARS-2023-004 (ajout)" in words
    assert "Statut juridique : Public (auparavant : Privé)" in words
    assert "Activités exercées en propre (déclarées) : ajout de « USLD » ; retrait de « SSR / SMR »" in words
    assert "→" not in words and "devient" not in words


def test_changes_the_summary_already_states_are_not_repeated(app):
    assert audit_changes({"status": ["brouillon", "en_negociation"], "date": [None, "2026-06-01"]}) == [
        ("Date de signature ou d'effet", "1er juin 2026 (ajout)")]
    empty = "liste vide enregistrée"
    assert audit_changes({"own_equipment": [None, []]}) == [("Équipements propres (déclarés)", empty)]
    assert audit_changes({"territory_communes": [None, []]}) == [("Communes du territoire", empty)]
    assert audit_changes({"themes": [["a", "b"], ["b", "a"]]}) == [("Thèmes", "ordre modifié")]
    assert audit_changes(None) == []


def test_fifty_entries_a_page_newest_first(client, scene, login):
    _entries(scene, 60)
    login(scene.ars)
    url = f"/hopitaux/{scene.hdp.finess_et}/historique"
    first = text(client.get(url))
    assert "60 entrées, de la plus récente à la plus ancienne · page 1 sur 2" in first
    assert "Modification n° 059" in first and "Modification n° 010" in first
    assert "Modification n° 009" not in first
    assert first.index("Modification n° 059") < first.index("Modification n° 058")
    assert f'href="{url}?page=2"' in page(client.get(url))
    second = text(client.get(f"{url}?page=2"))
    assert "page 2 sur 2" in second
    assert "Modification n° 009" in second and "Modification n° 000" in second
    assert "Modification n° 010" not in second


@pytest.mark.parametrize("value", ["abc", "0", "-1", "2.5", "1e3", "100001", "²", "<b>1</b>"])
def test_a_page_that_is_not_a_page_number_is_refused_in_french(client, scene, login, value):
    _entries(scene, 3)
    login(scene.staff)
    response = client.get(f"/hopitaux/{scene.hdp.finess_et}/historique", query_string={"page": value})
    assert response.status_code == 400
    words = text(response)
    assert f"Numéro de page invalide : « {value} ». Indiquez un nombre entier de 1 à 100000." in page(response)
    assert "Modification n° 000" not in words
    assert "Voir la première page" in words
    assert "<b>1</b>" not in response.get_data(as_text=True)  # escaped


def test_a_blank_page_is_the_first(client, scene, login):
    _entries(scene, 3)
    login(scene.staff)
    response = client.get(f"/hopitaux/{scene.hdp.finess_et}/historique?page=")
    assert response.status_code == 200 and "Modification n° 000" in text(response)


def test_a_page_past_the_last_one_says_how_many_there_are(client, scene, login):
    _entries(scene, 3)
    login(scene.staff)
    response = client.get(f"/hopitaux/{scene.hdp.finess_et}/historique?page=4")
    assert response.status_code == 404
    assert "La page 4 n'existe pas : l'historique compte 1 page." in text(response)


def test_an_empty_history(client, scene, login):
    login(scene.staff)
    response = client.get(f"/hopitaux/{scene.hdp.finess_et}/historique?page=1")
    assert response.status_code == 200
    assert "Aucune modification enregistrée." in text(response)


@pytest.mark.parametrize("user, status", [("staff", 200), ("ars", 200), ("admin", 200), ("other_staff", 404),
                                          ("ars_other", 404)])
def test_whoever_reads_the_hospital_reads_its_history(client, scene, login, user, status):
    _entries(scene, 1)
    login(getattr(scene, user))
    response = client.get(f"/hopitaux/{scene.hdp.finess_et}/historique")
    assert response.status_code == status
    assert ("Modification n° 000" in text(response)) == (status == 200)


def test_the_history_needs_a_signed_in_user(client, scene):
    response = client.get(f"/hopitaux/{scene.hdp.finess_et}/historique")
    assert response.status_code == 302 and "/connexion" in response.headers["Location"]


def test_the_history_page_queries_do_not_grow_with_entries(client, scene, login, count_queries):
    _entries(scene, 2)
    login(scene.staff)
    url = f"/hopitaux/{scene.hdp.finess_et}/historique"
    db.session.commit()  # both counts start from an expired session
    with count_queries() as few:
        client.get(url)
    _entries(scene, 40)
    with count_queries() as many:
        client.get(url)
    assert len(many) == len(few), many
