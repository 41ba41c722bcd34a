"""The OpenAPI document, generated from the code, is public and lists every path of the API."""

import json

from registry.core.vocabulary import ACTIVITIES, PARTNER_TYPES, THEMES

URL = "/api/v1/openapi.json"
PATHS = {
    "/api/v1/establishments": {"get"},
    "/api/v1/establishments/{finess_et}": {"get"},
    "/api/v1/hospitals": {"get"},
    "/api/v1/hospitals/{finess_et}": {"get", "put"},
    "/api/v1/hospitals/{finess_et}/partners": {"get", "post"},
    "/api/v1/hospitals/{finess_et}/partners/{partnership_id}": {"delete"},
    "/api/v1/conventions": {"post"},
    "/api/v1/conventions/{convention_id}": {"get", "patch"},
    "/api/v1/conventions/{convention_id}/corrections": {"post"},
    "/api/v1/conventions/{convention_id}/drafts": {"post"},
    "/api/v1/conventions/{convention_id}/drafts/{version}": {"get"},
    "/api/v1/conventions/{convention_id}/drafts/{old}/compare/{new}": {"get"},
    "/api/v1/conventions/{convention_id}/transitions": {"post"},
    "/api/v1/conventions/{convention_id}/signed-copy": {"post"},
    "/api/v1/conventions/{convention_id}/signed-copies/{version}/confirmation": {"post"},
    "/api/v1/conventions/{convention_id}/signed-copies/{version}/discard": {"post"},
    "/api/v1/templates": {"get", "post"},
    "/api/v1/compliance": {"get"},
    "/api/v1/compliance/rule-sets": {"get"},
    "/api/v1/cpom/catalogue": {"get"},
    "/api/v1/cpoms": {"post"},
    "/api/v1/cpoms/{cpom_id}": {"get"},
    "/api/v1/hospitals/{finess_et}/cpoms": {"get"},
    "/api/v1/cpoms/{cpom_id}/engagements": {"post"},
    "/api/v1/cpoms/{cpom_id}/engagements/{engagement_id}/years/{year}": {"put"},
    "/api/v1/cpoms/{cpom_id}/engagements/{engagement_id}/years/{year}/proofs": {"post"},
    "/api/v1/cpoms/{cpom_id}/engagements/{engagement_id}/years/{year}/proof-request": {"post"},
    "/api/v1/cpoms/{cpom_id}/engagements/{engagement_id}/years/{year}/review": {"post"},
    "/api/v1/cpom/campaigns/{year}": {"get"},
    "/api/v1/cpoms/{cpom_id}/sites": {"post"},
    "/api/v1/cpoms/{cpom_id}/signed-copy": {"post"},
    "/api/v1/cpoms/{cpom_id}/avenants": {"post"},
    "/api/v1/cpoms/{cpom_id}/avenants/{avenant_id}/signed-copy": {"post"},
    "/api/v1/cpoms/{cpom_id}/engagements/{engagement_id}/target": {"put"},
    "/api/v1/cpoms/{cpom_id}/engagements/{engagement_id}/conventions": {"put"},
    "/api/v1/cpoms/{cpom_id}/evaluations": {"post"},
    "/api/v1/cpom/catalogues": {"post"},
    "/api/v1/cpom/activity-data": {"post"},
    "/api/v1/cpom/campaigns/{year}/export": {"get"},
    "/api/v1/cpom/campaigns/{year}/report": {"get"},
    "/api/v1/cpoms/{cpom_id}/annex": {"get"},
    "/api/v1/conventions/{convention_id}/ars-transmission": {"post"},
    "/api/v1/bundles": {"get"},
}


def document(client) -> dict:
    response = client.get(URL)
    assert response.status_code == 200
    assert response.mimetype == "application/json"
    return json.loads(response.get_data(as_text=True))


def test_document_is_public_openapi_3(client):
    spec = document(client)
    assert spec["openapi"].startswith("3.")
    assert spec["info"]["title"] and spec["info"]["version"] == "v1"
    assert spec["components"]["securitySchemes"]["bearer"] == {"type": "http", "scheme": "bearer"}


def test_every_path_and_method_is_documented(client):
    paths = document(client)["paths"]
    assert set(paths) == set(PATHS)
    for path, methods in PATHS.items():
        assert methods <= set(paths[path]), path
        for method in methods:
            assert paths[path][method]["summary"], (path, method)


def test_request_bodies_and_statuses(client):
    paths = document(client)["paths"]
    put = paths["/api/v1/hospitals/{finess_et}"]["put"]
    assert put["requestBody"]["content"]["application/json"]["schema"] == {
        "$ref": "#/components/schemas/HospitalProfileInput"}
    assert {"200", "201", "400", "422"} <= set(put["responses"])
    post = paths["/api/v1/hospitals/{finess_et}/partners"]["post"]
    assert post["requestBody"]["content"]["application/json"]["schema"]["$ref"].endswith("/PartnershipInput")
    assert {"201", "400", "422"} <= set(post["responses"])
    assert "204" in paths["/api/v1/hospitals/{finess_et}/partners/{partnership_id}"]["delete"]["responses"]


def test_vocabulary_codes_are_enumerated(client):
    schemas = document(client)["components"]["schemas"]
    assert schemas["PartnershipInput"]["properties"]["partner_types"]["items"]["enum"] == list(PARTNER_TYPES)
    assert schemas["PartnershipInput"]["properties"]["themes"]["items"]["enum"] == list(THEMES)
    assert schemas["HospitalProfileInput"]["properties"]["internal_activities"]["items"]["enum"] == list(ACTIVITIES)


def test_pagination_and_errors_are_described(client):
    spec = document(client)
    schemas = spec["components"]["schemas"]
    assert set(schemas["HospitalPage"]["properties"]) == {"items", "page", "per_page", "total", "pages"}
    assert set(schemas["Error"]["properties"]) == {"error"}
    assert set(schemas["ErrorDetail"]["properties"]) == {"code", "message", "details"}
    per_page = next(p for p in spec["paths"]["/api/v1/hospitals"]["get"]["parameters"] if p["name"] == "per_page")
    assert "200" in per_page["description"]
