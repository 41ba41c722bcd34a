"""The download buttons: on the hospital page, the compliance dashboard and the convention list, each with the
number of files and their total size before the download, counted in one query."""

import re

from registry.bundles.routes import bundle_offer
from registry.bundles.scope import BundleScope, summarise
from registry.core.french import french_size
from registry.extensions import db
from tests.bundles.helpers import manifest


def _button(html: str) -> tuple[str, int, str]:
    """(href, files, size text) of the page's bundle button."""
    match = re.search(r'<a class="btn btn-outline-primary[^"]*" href="([^"]+)" data-bundle-files="(\d+)">'
                      r'Télécharger les conventions signées <span class="text-nowrap">\(\d+ PDF, ([^)]+)\)', html)
    assert match, "no bundle button on the page"
    return match.group(1).replace("&amp;", "&"), int(match.group(2)), match.group(3)


def _size(world, *names) -> str:
    return french_size(sum(world.files[name].size for name in names))


def test_hospital_page_offers_its_bundle(client, login, world):
    login(world.users["ars"])
    href, files, size = _button(client.get(f"/hopitaux/{world.own.finess_et}").get_data(as_text=True))
    assert href == f"/conventions/lot.zip?hopital={world.own.finess_et}"
    assert (files, size) == (3, _size(world, "main", "avenant", "ended"))
    assert client.get(href).status_code == 200


def test_compliance_dashboard_offers_the_region_or_the_filtered_departement(client, login, world):
    login(world.users["ars"])
    href, files, _ = _button(client.get("/conformite").get_data(as_text=True))
    assert (href, files) == ("/conventions/lot.zip?region=27", 5)
    href, files, _ = _button(client.get("/conformite?departement=58").get_data(as_text=True))
    assert (href, files) == ("/conventions/lot.zip?departement=58", 1)


def test_convention_list_offers_the_chosen_hospital_or_the_users_reach(client, login, world):
    login(world.users["ars"])
    href, files, _ = _button(client.get("/conventions").get_data(as_text=True))
    assert (href, files) == ("/conventions/lot.zip?region=27", 5)
    href, files, _ = _button(client.get(f"/conventions?hopital={world.nievre.finess_et}").get_data(as_text=True))
    assert (href, files) == (f"/conventions/lot.zip?hopital={world.nievre.finess_et}", 1)


def test_a_hospital_user_is_offered_its_own_hospital(client, login, world):
    login(world.users["hospital"])
    href, files, _ = _button(client.get("/conventions").get_data(as_text=True))
    assert (href, files) == (f"/conventions/lot.zip?hopital={world.own.finess_et}", 3)


def test_no_signed_copy_no_link(client, login, world, build):
    empty = build.hospital("25", "CH DE PONTARLIER")
    login(world.users["admin"])
    html = client.get(f"/hopitaux/{empty.organisation.finess_et}").get_data(as_text=True)
    assert "Aucune convention signée à télécharger" in html and "/conventions/lot.zip" not in html


def test_an_administrator_is_offered_nothing_nationwide(client, login, world):
    login(world.users["admin"])
    html = client.get("/conventions").get_data(as_text=True)
    assert "data-bundle-files" not in html and "/conventions/lot.zip?" not in html


def test_the_figures_take_one_query_whatever_the_number_of_copies(world, build, count_queries):
    scope, admin = BundleScope.of(departement="21"), world.users["admin"]
    expected = (4, sum(world.files[n].size for n in ("main", "avenant", "ended", "neighbour")))
    assert admin.role == "admin"  # loaded before counting
    with count_queries() as few:
        assert summarise(scope, admin) == expected
    for number in range(5):
        build.signed(world.neighbour, partner_name=f"EHPAD {number}")
    db.session.commit()
    assert admin.role == "admin"
    with count_queries() as many:
        assert summarise(scope, admin)[0] == 9
    assert len(few) == len(many) == 1


def test_the_offer_follows_the_users_scope(app, world):
    with app.test_request_context():
        from flask_login import login_user
        login_user(world.users["hospital"])
        assert bundle_offer(departement="21").files == 3  # its own hospital's, not the neighbour's
        assert bundle_offer(departement="58").files == 0


def test_the_list_lets_signed_conventions_be_ticked_and_posted(client, login, world):
    login(world.users["ars"])
    html = client.get("/conventions").get_data(as_text=True)
    assert '<form id="lot-selection" method="post" action="/conventions/lot.zip"' in html
    ticked = set(re.findall(r'name="ids" value="(\d+)" form="lot-selection"', html))
    signed = {str(world.main.id), str(world.ended.id)} | {str(world.files[n].convention_id)
                                                          for n in ("neighbour", "nievre")}
    assert ticked == signed  # the one waiting for its signature and the draft have no box
    response = client.post("/conventions/lot.zip", data={"ids": sorted(ticked)})
    assert response.status_code == 200 and len(manifest(response.data)["files"]) == 5
