"""A partner outside FINESS is not public data: only those who read a hospital it is a partner of find it (search
page, API, the add-partner page); another hospital typing the same SIRET gets its own record, never theirs."""

import pytest
from sqlalchemy import func, select

from registry.organisations.models import Organisation
from registry.organisations.services import create_external_partner
from registry.extensions import db
from tests.factories import PASSWORD


@pytest.fixture
def private(make_organisation, make_hospital, make_partnership, make_user):
    owner = make_hospital(make_organisation(name="CH DE SEMUR", departement="21"))
    other = make_hospital(make_organisation(name="CH DE GIVORS", departement="69"))
    cpts = create_external_partner(partner_types=["cpts"], name="CPTS SECRETE DU HAUT AUXOIS", siret="73282932000074",
                                   commune="21425")
    make_partnership(owner, cpts, partner_types=["cpts"])
    users = {"owner": make_user("hospital", organisations=[owner.organisation]),
             "other": make_user("hospital", organisations=[other.organisation]),
             "ars": make_user("ars", region="27"), "ars_other": make_user("ars", region="84"),
             "admin": make_user("admin")}
    db.session.commit()
    return {"owner_hospital": owner, "other_hospital": other, "cpts": cpts, **users}


@pytest.mark.parametrize("who, sees", [("owner", True), ("ars", True), ("admin", True),
                                       ("other", False), ("ars_other", False)])
def test_only_readers_of_its_hospitals_find_it(app, private, who, sees):
    from registry.accounts.services import create_token

    token = create_token(private[who])
    db.session.commit()
    with app.app_context():
        client = app.test_client()
        client.post("/connexion", data={"email": private[who].email, "password": PASSWORD})
        page = client.get("/etablissements/?q=secrete").get_data(as_text=True)
        assert ("CPTS SECRETE DU HAUT AUXOIS" in page) is sees
    with app.app_context():
        api = app.test_client().get("/api/v1/establishments?q=secrete", headers={"Authorization": f"Bearer {token}"})
        assert api.status_code == 200 and (api.get_json()["total"] == 1) is sees


def test_another_hospital_cannot_add_it_nor_learn_its_name(client, private, login, token_headers):
    login(private["other"])
    url = f"/hopitaux/{private['other_hospital'].finess_et}/partenaires/ajouter/{private['cpts'].id}"
    assert client.get(url).status_code == 404
    assert client.post(url, data={"partner_types": ["cpts"]}).status_code == 404
    response = client.post(f"/api/v1/hospitals/{private['other_hospital'].finess_et}/partners",
                           json={"partner": {"name": "CPTS du Haut Auxois", "siret": "73282932000074",
                                             "commune": "21425"}, "partner_types": ["cpts"]},
                           headers=token_headers(private["other"]))
    assert response.status_code == 201, response.get_json()
    mine = response.get_json()["partner"]
    assert mine["id"] != private["cpts"].id and mine["name"] == "CPTS du Haut Auxois"
    assert db.session.scalar(select(func.count(Organisation.id)).where(Organisation.siret == "73282932000074")) == 2


def test_the_system_and_its_own_hospital_find_the_same_record_again(app, private):
    again = create_external_partner(partner_types=["cpts"], name="Autre nom", siret="73282932000074",
                                    commune="21425")  # a command: no user, the whole registry
    assert again.id == private["cpts"].id
