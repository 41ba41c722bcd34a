"""A partner outside FINESS through the pages: its commune typed by name, its address and legal representative."""

import re

from sqlalchemy import select

from registry.extensions import db
from registry.hospitals.models import Partnership
from registry.organisations.models import Organisation
from tests.web.conftest import page, text

SIRET = "81234567800013"
DETAILS = {"name": "CPTS du Haut Auxois", "siret": SIRET, "rna": "", "address": "3 rue de la Gare",
           "postal_code": "", "commune": "Is-sur-Tille", "departement": "",
           "representative_name": "Mme Claire Martin", "representative_title": "présidente"}


def _create(client, scene, **overrides):
    return client.post(f"/hopitaux/{scene.hdp.finess_et}/partenaires/hors-finess",
                       data={**DETAILS, "partner_types": ["cpts"], **overrides})


def _partner() -> Organisation | None:
    db.session.expire_all()
    return db.session.scalar(select(Organisation).where(Organisation.siret == SIRET))


def _partnership_url(scene, partner) -> str:
    partnership = db.session.scalar(select(Partnership).where(Partnership.partner_id == partner.id))
    return f"/hopitaux/{scene.hdp.finess_et}/partenaires/{partnership.id}"


def test_form_asks_for_the_commune_by_name_with_proposals(client, scene, login):
    login(scene.staff)
    body = page(client.get(f"/hopitaux/{scene.hdp.finess_et}/partenaires/hors-finess"))
    assert re.search(r'<input[^>]*data-communes-url="/etablissements/communes"[^>]*list="communes-proposees"', body)
    assert '<datalist id="communes-proposees">' in body
    assert 'maxlength="100" name="commune"' in body  # « Is-sur-Tille » is no longer cut to 5 characters
    for label in ("Adresse du siège", "Code postal", "Représentant légal", "Fonction du représentant légal"):
        assert f">{label}<" in body


def test_create_with_commune_name_address_and_representative(client, scene, login):
    login(scene.staff)
    response = _create(client, scene)
    assert response.status_code == 302
    partner = _partner()
    assert (partner.commune_code, partner.city, partner.postal_code, partner.departement) == (
        "21317", "Is-sur-Tille", "21120", "21")
    words = text(client.get(f"/hopitaux/{scene.hdp.finess_et}"))
    assert "CPTS du Haut Auxois" in words and "Is-sur-Tille (21120)" in words  # the partner row's commune
    words = text(client.get(_partnership_url(scene, partner)))
    assert "Adresse 3 rue de la Gare 21120 Is-sur-Tille (code INSEE 21317)" in words
    assert f"Identifiant SIRET {SIRET}" in words
    assert "Représentant légal Mme Claire Martin, présidente" in words
    assert "Modifier les coordonnées" in words


def test_ambiguous_commune_lists_the_candidates_and_creates_nothing(client, scene, login):
    login(scene.staff)
    response = _create(client, scene, commune="Saint-Rémy")
    words = text(response)
    assert response.status_code == 200 and _partner() is None
    assert "Plusieurs communes portent le nom « Saint-Rémy » : précisez laquelle" in words
    assert "Saint-Rémy (21)" in words and "Saint-Rémy (71)" in words
    assert _create(client, scene, commune="Saint-Rémy (71)").status_code == 302
    assert (_partner().commune_code, _partner().departement) == ("71475", "71")


def test_edit_the_details(client, scene, login):
    login(scene.staff)
    _create(client, scene)
    partner = _partner()
    url = _partnership_url(scene, partner) + "/coordonnees"
    body = page(client.get(url))
    assert 'value="Is-sur-Tille (21)"' in body and 'value="Mme Claire Martin"' in body
    response = client.post(url, data={**DETAILS, "commune": "21000", "address": "12 avenue de la Liberté",
                                      "representative_title": "co-présidente"})
    assert response.status_code == 302 and response.headers["Location"].endswith(_partnership_url(scene, partner))
    partner = _partner()
    assert (partner.city, partner.postal_code, partner.address) == ("Dijon", "21000", "12 avenue de la Liberté")
    assert partner.representative_title == "co-présidente"
    words = text(client.get(f"/hopitaux/{scene.hdp.finess_et}"))
    assert "Les coordonnées de CPTS du Haut Auxois sont enregistrées." in words
    assert "Partenaire hors FINESS « CPTS du Haut Auxois » modifié" in words  # the hospital's history


def test_bad_edit_changes_nothing(client, scene, login):
    login(scene.staff)
    _create(client, scene)
    url = _partnership_url(scene, _partner()) + "/coordonnees"
    for data, message in (({"commune": "Is-su"}, "Aucune commune ne correspond à « Is-su »"),
                          ({"commune": "Dijon", "departement": "71"},
                           "la commune Dijon (21) n'appartient pas au département 71"),
                          ({"name": ""}, "Indiquez le nom du partenaire.")):
        response = client.post(url, data={**DETAILS, "address": "Ailleurs", **data})
        assert response.status_code == 200 and message in page(response), message
        assert "Le formulaire n'a pas été enregistré" in page(response)
    partner = _partner()
    assert (partner.address, partner.city, partner.name) == ("3 rue de la Gare", "Is-sur-Tille", "CPTS du Haut Auxois")


def test_who_may_edit_the_details(client, app, scene, login):
    login(scene.staff)
    _create(client, scene)
    url = _partnership_url(scene, _partner()) + "/coordonnees"
    finess_partner_url = f"/hopitaux/{scene.hdp.finess_et}/partenaires/{scene.partnership.id}/coordonnees"
    db.session.rollback()  # end this session's read: the other users' requests write (their login)
    assert client.get(finess_partner_url).status_code == 404  # FINESS data come from the imports
    with app.app_context():
        login(scene.ars)
        assert client.get(url).status_code == 403
        assert client.post(url, data={**DETAILS, "address": "Ailleurs"}).status_code == 403
    with app.app_context():
        login(scene.other_staff)
        assert client.post(url, data={**DETAILS, "address": "Ailleurs"}).status_code == 404
    assert _partner().address == "3 rue de la Gare"


def test_commune_proposals(client, scene, login):
    assert client.get("/etablissements/communes?q=is-sur").status_code == 302  # signed-in users only
    login(scene.ars)
    response = client.get("/etablissements/communes?q=is-sur")
    assert response.get_json() == [{"label": "Is-sur-Tille (21)", "code": "21317", "name": "Is-sur-Tille",
                                    "departement": "21", "postal_codes": ["21120"]}]
    assert client.get("/etablissements/communes?q=d").get_json() == []


def test_convention_page_shows_the_commune_and_the_recorded_representative(client, scene, login, make_partnership):
    """A convention without a signatory of its own for the partner names its legal representative."""
    from tests.conventions.builders import registered_convention

    login(scene.staff)
    _create(client, scene)
    partnership = db.session.scalar(select(Partnership).where(Partnership.partner_id == _partner().id))
    convention = registered_convention(scene.hdp, [partnership])
    db.session.commit()
    words = text(client.get(f"/conventions/{convention.id}"))
    assert f"CPTS du Haut Auxois SIRET {SIRET} · Is-sur-Tille · partenaire Mme Claire Martin présidente" in words
