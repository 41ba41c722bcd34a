"""Bearer tokens only: no token, a bad token or a session cookie alone get 401 in the API's error format."""

import pytest

from registry.accounts.models import ApiToken
from registry.extensions import db
from tests.api.helpers import assert_error

HOSPITALS = "/api/v1/hospitals"


def test_without_token_is_401(client, world):
    error = assert_error(client.get(HOSPITALS), 401, "unauthorized")
    assert error["message"] == "Authentification requise"


@pytest.mark.parametrize("header", ["Bearer hdp_not-a-token", "Bearer ", "Basic dXNlcjpwYXNz", "hdp_raw-token"])
def test_bad_authorization_header_is_401(client, world, header):
    assert_error(client.get(HOSPITALS, headers={"Authorization": header}), 401, "unauthorized")


def test_revoked_token_is_401(client, world):
    for token in db.session.query(ApiToken).filter_by(user_id=world.users["admin"].id):
        token.revoked = True
    db.session.commit()
    assert_error(client.get(HOSPITALS, headers=world.headers["admin"]), 401)


def test_inactive_user_token_is_401(client, world):
    world.users["admin"].active = False
    db.session.commit()
    assert_error(client.get(HOSPITALS, headers=world.headers["admin"]), 401)


def test_session_cookie_alone_does_not_authenticate(client, world, login):
    login(world.users["admin"])
    assert client.get("/").status_code == 200  # the session works for the pages...
    assert_error(client.get(HOSPITALS), 401)  # ...but not for the API
    assert_error(client.post(f"{HOSPITALS}/{world.own.finess_et}/partners", json={}), 401)


def test_valid_token_authenticates(client, world):
    response = client.get(HOSPITALS, headers=world.headers["admin"])
    assert response.status_code == 200
    assert response.get_json()["total"] == 2


def test_unknown_api_path_is_json_404(client, world):
    assert_error(client.get("/api/v1/nothing-here", headers=world.headers["admin"]), 404, "not_found")


def test_wrong_method_is_json_405(client, world):
    assert_error(client.delete(HOSPITALS, headers=world.headers["admin"]), 405)


@pytest.mark.parametrize("app_config", [{"WTF_CSRF_ENABLED": True}], indirect=True)
def test_writes_need_no_csrf_token(client, world, make_organisation):
    partner = make_organisation(departement="21", category_code="500", category_label="EHPAD")
    db.session.commit()
    response = client.post(f"{HOSPITALS}/{world.own.finess_et}/partners", headers=world.headers["hospital"],
                           json={"partner_finess": partner.finess_et, "partner_types": ["ehpad"]})
    assert response.status_code == 201, response.get_data(as_text=True)


def test_the_token_its_user_and_their_organisations_are_read_in_one_statement(app, world, count_queries):
    from registry.accounts.services import user_for_token

    token = world.headers["hospital"]["Authorization"].removeprefix("Bearer ")
    db.session.expire_all()
    with count_queries() as statements:
        user = user_for_token(token)
        organisations = [organisation.finess_et for organisation in user.organisations]
    assert organisations == [world.own.finess_et]
    assert len([statement for statement in statements if not statement.startswith("BEGIN")]) == 1
