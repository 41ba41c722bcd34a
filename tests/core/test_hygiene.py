import pytest
from sqlalchemy import func, select

from registry.extensions import db
from registry.hospitals.models import Partnership


@pytest.mark.parametrize("url", ["/etablissements/?q=ab%00c", "/etablissements/?nom=x%00", "/?departement=2%001"])
def test_nul_in_a_query_is_a_400(client, make_user, login, url):
    login(make_user("admin"))
    response = client.get(url)
    assert response.status_code == 400
    assert "Requête invalide" in response.get_data(as_text=True)


def test_nul_in_a_form_changes_nothing(client, make_user, login, make_hospital, make_organisation):
    hospital = make_hospital()
    partner = make_organisation(category_code="500")
    login(make_user("admin"))
    response = client.post(f"/hopitaux/{hospital.finess_et}/partenaires/ajouter/{partner.id}",
                           data={"partner_types": "ehpad", "notes": "a\x00b"})
    assert response.status_code == 400
    assert db.session.scalar(select(func.count(Partnership.id))) == 0
