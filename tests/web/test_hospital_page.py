"""The hospital page: profile, partners grouped by type, audit trail; who may read it and who may change it."""

import pytest

from registry.audit.services import record_audit
from registry.extensions import db
from tests.web.conftest import page, text


def test_hospital_page_shows_profile_partners_and_empty_types(client, scene, login):
    scene.hdp.internal_activities = ["ssr"]
    scene.hdp.territory_communes = ["21603"]
    db.session.commit()
    login(scene.staff)
    body = page(client.get(f"/hopitaux/{scene.hdp.finess_et}"))
    assert "<h1 class=\"h3 mb-1\">CENTRE HOSPITALIER DE SEMUR</h1>" in body
    assert "1er mai 2022" in body and "ARS-2022-001" in body
    assert "21 – Côte-d'Or" in body and "21603" in body
    assert "SSR / SMR" in body
    ehpad_section = body.split('id="type-ehpad"')[1].split("</section>")[0]
    assert "EHPAD LES TILLEULS" in ehpad_section
    assert "Retour et maintien à domicile" in ehpad_section
    assert "Sur le territoire" in ehpad_section
    assert f'href="/hopitaux/{scene.hdp.finess_et}/partenaires/{scene.partnership.id}"' in ehpad_section
    usld_section = body.split('id="type-usld"')[1].split("</section>")[0]
    assert "Aucun partenaire de ce type." in usld_section


def test_editors_see_add_and_remove_controls(client, scene, login):
    login(scene.staff)
    body = page(client.get(f"/hopitaux/{scene.hdp.finess_et}"))
    assert "Ajouter un partenaire du FINESS" in body and "Ajouter un partenaire hors FINESS" in body
    assert f'action="/hopitaux/{scene.hdp.finess_et}/partenaires/{scene.partnership.id}/retirer"' in body
    assert 'data-confirm="Retirer EHPAD LES TILLEULS des partenaires de CENTRE HOSPITALIER DE SEMUR ?"' in body
    assert 'name="csrf_token"' in body
    assert "Modifier le profil" in body


def test_ars_of_the_region_reads_without_partner_controls(client, scene, login):
    login(scene.ars)
    response = client.get(f"/hopitaux/{scene.hdp.finess_et}")
    body = page(response)
    assert response.status_code == 200
    assert "EHPAD LES TILLEULS" in body
    assert "Ajouter un partenaire" not in body and "/retirer" not in body
    assert "Modifier le profil" in body  # the ARS owns the listing


@pytest.mark.parametrize("user, finess_of", [("other_staff", "hdp"), ("ars_other", "hdp"), ("staff", "far")])
def test_hospitals_out_of_scope_are_not_found(client, scene, login, user, finess_of):
    login(getattr(scene, user))
    hospital = getattr(scene, finess_of)
    assert client.get(f"/hopitaux/{hospital.finess_et}").status_code == 404
    partnership_url = f"/hopitaux/{scene.hdp.finess_et}/partenaires/{scene.partnership.id}"
    if finess_of == "hdp":
        assert client.get(partnership_url).status_code == 404


def test_an_establishment_that_is_not_an_hdp_has_no_hospital_page(client, scene, login):
    login(scene.admin)
    assert client.get(f"/hopitaux/{scene.ehpad.finess_et}").status_code == 404


def test_audit_trail_lists_changes_in_french(client, scene, login):
    record_audit("hospital.update", scene.hdp, "Profil de l'hôpital modifié", hospital=scene.hdp, actor=scene.admin,
                 changes={"territory_departements": [["21"], ["21", "71"]], "listed_on": ["2022-05-01", None],
                          "internal_activities": [[], ["usld"]]})
    db.session.commit()
    login(scene.staff)
    trail = text(client.get(f"/hopitaux/{scene.hdp.finess_et}")).split("Historique des modifications", 1)[1]
    assert "Profil de l'hôpital modifié" in trail and scene.admin.email in trail
    assert "Départements du territoire : 21 → devient 21, 71" in trail
    assert "Date d'inscription : 1er mai 2022 → devient —" in trail
    assert "Activités exercées en propre (déclarées) : — → devient USLD" in trail


def test_hospital_page_queries_do_not_grow_with_partners(client, scene, make_organisation, make_partnership, login,
                                                         count_queries):
    login(scene.staff)
    url = f"/hopitaux/{scene.hdp.finess_et}"
    db.session.commit()
    with count_queries() as few:
        client.get(url)
    for n in range(6):
        make_partnership(scene.hdp, make_organisation(category_code="127"), themes=["coordination"])
    db.session.commit()
    with count_queries() as many:
        words = text(client.get(url))
    assert "Partenaires (7)" in words and "Hospitalisation à domicile (HAD) (6)" in words
    assert len(many) == len(few), many
