"""Lists: ``?page=&per_page=`` (25 by default, 200 at most) and ``{"items", "page", "per_page", "total", "pages"}``."""

import pytest

from registry.extensions import db
from tests.api.helpers import assert_error

URL = "/api/v1/establishments"


@pytest.fixture
def thirty(make_organisation):
    return [make_organisation(departement="21", name=f"ETAB {n:02d}") for n in range(30)]


def page(client, headers, **params):
    response = client.get(URL, query_string={"departement": "21", **params}, headers=headers)
    assert response.status_code == 200, response.get_data(as_text=True)
    return response.get_json()


def test_default_page_size_and_shape(client, world, thirty):
    body = page(client, world.headers["admin"])
    assert set(body) == {"items", "page", "per_page", "total", "pages"}
    # 30 establishments plus the world's hospital in Côte-d'Or.
    assert (body["page"], body["per_page"], body["total"], body["pages"]) == (1, 25, 31, 2)
    assert len(body["items"]) == 25


def test_pages_follow_each_other_without_overlap(client, world, thirty):
    headers = world.headers["admin"]
    first = page(client, headers, per_page=10, page=1)["items"]
    second = page(client, headers, per_page=10, page=2)["items"]
    last = page(client, headers, per_page=10, page=4)
    assert len(first) == len(second) == 10
    assert not {item["id"] for item in first} & {item["id"] for item in second}
    assert len(last["items"]) == 1 and last["pages"] == 4


@pytest.mark.parametrize("number", [99, 1_000_000])
def test_page_past_the_end_is_empty(client, world, thirty, number):
    body = page(client, world.headers["admin"], page=number, per_page=200)
    assert body["items"] == [] and body["total"] == 31 and body["page"] == number


def test_empty_list_has_no_pages(client, world):
    body = page(client, world.headers["admin"], q="introuvable")
    assert (body["items"], body["total"], body["pages"]) == ([], 0, 0)


def test_per_page_at_the_maximum_is_accepted(client, world, thirty):
    body = page(client, world.headers["admin"], per_page=200)
    assert body["per_page"] == 200 and len(body["items"]) == 31


@pytest.mark.parametrize("params, field", [
    ({"per_page": 201}, "per_page"),
    ({"per_page": 10**12}, "per_page"),
    ({"per_page": 0}, "per_page"),
    ({"per_page": -5}, "per_page"),
    ({"per_page": "beaucoup"}, "per_page"),
    ({"page": 0}, "page"),
    ({"page": -1}, "page"),
    ({"page": 1_000_001}, "page"),
    ({"page": 10**19}, "page"),
    ({"page": "deux"}, "page"),
    ({"page": "1.5"}, "page"),
])
@pytest.mark.parametrize("url", [URL, "/api/v1/hospitals", "/api/v1/hospitals/{finess}/partners"])
def test_bad_page_arguments_are_422(client, world, params, field, url):
    url = url.format(finess=world.own.finess_et)
    error = assert_error(client.get(url, query_string=params, headers=world.headers["admin"]), 422, "invalid")
    assert list(error["details"]["query"]) == [field]


def test_empty_arguments_are_no_criteria(client, world, thirty):
    response = client.get(URL, query_string={"q": "", "finess": "", "departement": "", "category": "", "page": "",
                                             "per_page": ""}, headers=world.headers["admin"])
    assert response.status_code == 200
    assert response.get_json()["total"] == 32  # every organisation: the 30, and the world's two hospitals


def test_maximum_follows_the_configuration(app, client, world):
    app.config["API_MAX_PER_PAGE"] = 50
    error = assert_error(client.get(URL, query_string={"per_page": 51}, headers=world.headers["admin"]), 422)
    assert error["details"]["query"]["per_page"] == ["au plus 50 éléments par page"]


def queries_of(client, url, headers, count_queries) -> int:
    with count_queries() as queries:
        assert client.get(url, headers=headers).status_code == 200
    return len(queries)


@pytest.mark.parametrize("url", ["/api/v1/hospitals", "/api/v1/hospitals/{finess}/partners"])
def test_list_queries_do_not_grow_with_rows(client, world, make_hospital, make_partnership, url, count_queries):
    url = url.format(finess=world.own.finess_et)
    headers = world.headers["admin"]
    make_partnership(world.own)
    db.session.commit()
    few = queries_of(client, url, headers, count_queries)
    for _ in range(5):
        make_hospital()
        make_partnership(world.own)
    db.session.commit()
    assert queries_of(client, url, headers, count_queries) == few
