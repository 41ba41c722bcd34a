"""The home page: the hôpitaux de proximité a user may see, with their partners counted per type."""

import pytest

from registry.extensions import db
from tests.web.conftest import page


def test_admin_sees_every_hospital_with_its_registry_data_and_partner_counts(client, scene, login):
    login(scene.admin)
    body = page(client.get("/"))
    for hospital in (scene.hdp, scene.other, scene.far):
        assert hospital.finess_et in body
    assert "CENTRE HOSPITALIER DE SEMUR" in body
    assert "SEMUR EN AUXOIS" in body and "21 – Côte-d'Or" in body and "69 – Rhône" in body
    assert "1er mai 2022" in body
    assert "EHPAD : 1" in body
    assert "Aucun partenaire" in body  # the hospitals without partners say so
    assert "3 hôpitaux de proximité" in body


def test_ars_sees_the_hospitals_of_its_region_only(client, scene, login):
    login(scene.ars)
    body = page(client.get("/"))
    assert scene.hdp.finess_et in body and scene.other.finess_et in body
    assert scene.far.finess_et not in body
    assert "Bourgogne-Franche-Comté" in body


def test_hospital_user_sees_its_own_hospital_only(client, scene, login):
    login(scene.staff)
    body = page(client.get("/"))
    assert scene.hdp.finess_et in body
    assert scene.other.finess_et not in body and scene.far.finess_et not in body


def test_filter_by_departement(client, scene, login):
    login(scene.admin)
    body = page(client.get("/?departement=69"))
    assert scene.far.finess_et in body
    assert scene.hdp.finess_et not in body
    assert '<option value="69" selected>' in body
    assert "1 hôpital de proximité dans le département 69 – Rhône" in body


def test_empty_list_says_so(client, make_user, login):
    login(make_user("ars", region="53"))
    body = page(client.get("/"))
    assert "Aucun hôpital de proximité à afficher" in body


def test_a_partner_with_two_types_counts_in_each(client, scene, make_organisation, make_partnership, login):
    had = make_organisation(name="HAD DU MORVAN", category_code="127", category_label="HAD")
    make_partnership(scene.hdp, had, partner_types=["had", "ssr"])
    make_partnership(scene.hdp, make_organisation(name="HAD BIS", category_code="127"), partner_types=["had"])
    login(scene.admin)
    body = page(client.get("/"))
    assert "Hospitalisation à domicile (HAD) : 2" in body
    assert "SSR / SMR : 1" in body
    assert "3 partenaires" in body


@pytest.mark.parametrize("app_config", [{"PAGE_SIZE": 50}])
def test_the_list_runs_the_same_queries_whatever_its_length(client, scene, make_organisation, make_hospital,
                                                            make_partnership, login, count_queries):
    login(scene.admin)
    db.session.commit()  # each measure starts from an expired session, as a real request does
    with count_queries() as few:
        client.get("/")
    for n in range(5):
        hospital = make_hospital(make_organisation(name=f"HOPITAL {n}", category_code="106"))
        for _ in range(3):
            make_partnership(hospital, make_organisation(category_code="500"))
    db.session.commit()
    with count_queries() as many:
        body = page(client.get("/"))
    assert "8 hôpitaux de proximité" in body
    assert len(many) == len(few), many
