"""The convention list /conventions: scope, each filter, the sort by end date, pagination, bad filter values and
a number of queries that does not grow with the conventions."""

import re
from datetime import date, timedelta

import pytest

from registry.conventions.transitions import create_avenant, terminate
from registry.documents.context import add_months
from registry.extensions import db
from tests.clock import TODAY
from tests.conventions.builders import registered_convention, signed_convention
from tests.web.conftest import page, text



def _months(n: int) -> date:
    return add_months(TODAY, n)


@pytest.fixture
def book(scene, make_organisation, make_partnership):
    """One convention per situation, named; the avenant of « in_force » is counted, never listed."""
    chu = make_partnership(scene.hdp, make_organisation(name="CHU DIJON BOURGOGNE", category_code="101"),
                           partner_types=["second_recours"])
    ehpad = scene.partnership

    def signed(hospital, partners, effective, months, title, **values):
        return signed_convention(hospital, partners, signed_on=min(effective, TODAY) - timedelta(days=10),
                                 effective_date=effective, duration_months=months, title=title, **values)

    made = {
        "in_force": signed(scene.hdp, [chu], _months(-12), 60, "Filière cardiologie"),
        "to_renew": signed(scene.hdp, [ehpad], _months(-34), 36, "Hébergement temporaire"),
        "expired": signed(scene.hdp, [chu], _months(-48), 36, "Consultations avancées"),
        "not_yet": signed(scene.hdp, [ehpad], _months(6), 24, "Télémédecine 2027"),
        "terminated": signed(scene.hdp, [chu], _months(-24), 60, "Imagerie"),
        "draft": registered_convention(scene.hdp, [chu], effective_date=_months(1), duration_months=12,
                                       title="Projet de biologie"),
        "other_hospital": signed(scene.other, [make_partnership(scene.other)], _months(-6), 60, "Montbard EHPAD"),
        "far": signed(scene.far, [make_partnership(scene.far, make_organisation(name="EHPAD DE CHATILLON"))],
                      _months(-6), 60, "Givors EHPAD"),
    }
    for name in ("to_renew", "not_yet"):
        made[name].partner_types = ["ehpad"]
    terminate(made["terminated"], on=TODAY - timedelta(days=30), reason="Fin du partenariat")
    create_avenant(made["in_force"], "Avenant n° 1")
    db.session.commit()
    scene.conventions, scene.chu, scene.names = made, chu, {c.id: name for name, c in made.items()}
    return scene


def listed(response, names) -> list[str]:
    """The names of the conventions listed, in the page's order (each row links to its convention once)."""
    assert response.status_code == 200
    ids = re.findall(r'<th scope="row"[^>]*>\s*<a href="/conventions/(\d+)"', page(response))
    return [names.get(int(i), f"unknown {i}") for i in ids]


def test_admin_sees_every_main_convention_with_its_columns(client, book, login):
    login(book.admin)
    response = client.get("/conventions")
    assert sorted(listed(response, book.names)) == sorted(book.conventions)
    words = text(response)
    assert "8 conventions." in words
    in_force = book.conventions["in_force"]
    row = re.search(rf'<tr>\s*<th scope="row"[^>]*>\s*<a href="/conventions/{in_force.id}">.*?</tr>',
                    page(response), re.S).group(0)
    row_words = " ".join(re.sub(r"<[^>]+>", " ", row).split())
    assert row_words == " ".join([
        in_force.reference, "CENTRE HOSPITALIER DE SEMUR", "Filière cardiologie", "CHU DIJON BOURGOGNE", "Signée",
        "En vigueur", f"{in_force.effective_date:%d/%m/%Y}", f"{in_force.end_on(TODAY):%d/%m/%Y}", "1"])
    assert "Avenant n° 1" not in words  # counted on its convention's row, not listed


def test_each_state_reads_in_words(client, book, login):
    login(book.admin)
    body = page(client.get("/conventions"))
    for label in ("En vigueur", "À renouveler", "Expirée", "Pas encore en vigueur", "Résiliée", "Brouillon"):
        assert f">{label}</span>" in body
    assert "non signée" in body  # the draft's state cell says why it is empty


def test_sorted_by_end_date_by_default(client, book, login):
    login(book.admin)
    order = listed(client.get("/conventions"), book.names)
    ends = {name: c.end_on(TODAY) for name, c in book.conventions.items()}
    assert order == sorted(order, key=lambda name: (ends[name], book.conventions[name].reference))
    assert order[:3] == ["expired", "terminated", "to_renew"]
    by_reference = listed(client.get("/conventions?tri=reference"), book.names)
    assert by_reference == sorted(by_reference, key=lambda name: book.conventions[name].reference)
    assert by_reference != order


@pytest.mark.parametrize("query, expected", [
    ("statut=brouillon", {"draft"}),
    ("statut=resiliee", {"terminated"}),
    ("statut=signee", {"in_force", "to_renew", "expired", "not_yet", "other_hospital", "far"}),
    ("etat=en_vigueur", {"in_force", "other_hospital", "far"}),
    ("etat=a_renouveler", {"to_renew"}),
    ("etat=expiree", {"expired"}),
    ("etat=pas_encore_en_vigueur", {"not_yet"}),
    ("type=ehpad", {"to_renew", "not_yet"}),
    ("type=second_recours", {"in_force", "expired", "terminated", "draft", "other_hospital", "far"}),
    ("q=cardio", {"in_force"}),
    ("q=Ch%C3%A2tillon", {"far"}),  # « Châtillon » finds the FINESS name written without accents
    ("q=chu+dijon", {"in_force", "expired", "terminated", "draft"}),  # a partner's name
    ("q=50%25", set()),  # « % » is a character, not a wildcard
    ("statut=signee&etat=en_vigueur&type=second_recours&q=givors", {"far"}),
])
def test_each_filter_narrows_the_list(client, book, login, query, expected):
    login(book.admin)
    assert set(listed(client.get(f"/conventions?{query}"), book.names)) == expected


def test_filter_by_reference_partner_and_hospital(client, book, login):
    login(book.admin)
    far = book.conventions["far"]
    assert listed(client.get(f"/conventions?q={far.reference}"), book.names) == ["far"]
    ehpad_id = book.partnership.partner_id
    assert set(listed(client.get(f"/conventions?partenaire={ehpad_id}"), book.names)) == {"to_renew", "not_yet"}
    assert listed(client.get(f"/conventions?hopital={book.other.finess_et}"), book.names) == ["other_hospital"]


def test_filter_by_end_date_range(client, book, login):
    login(book.admin)
    today = TODAY.isoformat()
    assert set(listed(client.get(f"/conventions?fin_avant={today}"), book.names)) == {"expired", "terminated"}
    window = f"fin_apres={today}&fin_avant={_months(6).isoformat()}"
    assert listed(client.get(f"/conventions?{window}"), book.names) == ["to_renew"]
    end = book.conventions["to_renew"].end_on(TODAY)
    french = f"fin_apres={end:%d/%m/%Y}&fin_avant={end:%d/%m/%Y}"  # both bounds included, French format read
    assert listed(client.get(f"/conventions?{french}"), book.names) == ["to_renew"]


def test_a_hospital_user_sees_its_hospital_only(client, book, login):
    login(book.staff)
    response = client.get("/conventions")
    assert set(listed(response, book.names)) == {"in_force", "to_renew", "expired", "not_yet", "terminated", "draft"}
    body = page(response)
    assert "Montbard" not in body and "Givors" not in body
    assert 'name="hopital"' not in body  # one hospital: no hospital filter
    snooping = client.get(f"/conventions?hopital={book.other.finess_et}")
    assert "other_hospital" not in listed(snooping, book.names)
    assert "Hôpital inconnu ou hors de votre périmètre" in text(snooping)


@pytest.mark.parametrize("user, expected", [
    ("ars", {"in_force", "to_renew", "expired", "not_yet", "terminated", "draft", "other_hospital"}),
    ("ars_other", {"far"}),
    ("other_staff", {"other_hospital"}),
])
def test_each_user_sees_its_scope(client, book, login, user, expected):
    login(getattr(book, user))
    response = client.get("/conventions")
    assert set(listed(response, book.names)) == expected


def test_the_partner_choices_stay_within_the_scope(client, book, login):
    login(book.ars_other)
    body = page(client.get("/conventions"))
    assert "CHU DIJON BOURGOGNE" not in body and "EHPAD LES TILLEULS" not in body
    refused = client.get(f"/conventions?partenaire={book.chu.partner_id}")
    assert listed(refused, book.names) == ["far"]
    assert "Partenaire inconnu ou sans convention dans votre périmètre" in text(refused)


@pytest.mark.parametrize("query, message", [
    ("statut=archivee", "Statut : Statut inconnu : le filtre est ignoré."),
    ("etat=perimee", "État : État inconnu : le filtre est ignoré."),
    ("type=clinique", "Type de partenaire : Type de partenaire inconnu"),
    ("partenaire=abc", "Partenaire : Partenaire inconnu"),
    ("fin_avant=2027-13-45", "Se terminant avant le : N'est pas une date valide."),
    ("fin_apres=99999-01-01", "Se terminant après le : N'est pas une date valide."),
    ("tri=hasard", "Trier par : Tri inconnu"),
    ("q=" + "x" * 101, "Recherche : Le texte recherché ne peut dépasser 100 caractères"),
])
def test_a_bad_filter_is_named_and_ignored(client, book, login, query, message):
    login(book.admin)
    response = client.get(f"/conventions?{query}")
    assert len(listed(response, book.names)) == 8  # the other filters (none here) still apply
    assert message in text(response)


@pytest.mark.parametrize("app_config", [{"PAGE_SIZE": 3}])
def test_pages_cut_the_sorted_list(client, book, login):
    login(book.admin)
    everything = []
    for number in (1, 2, 3):
        response = client.get(f"/conventions?page={number}")
        everything += listed(response, book.names)
        assert f"page {number} sur 3" in text(response)
    assert len(everything) == 8 and len(set(everything)) == 8
    assert everything[:3] == ["expired", "terminated", "to_renew"]
    assert 'href="/conventions?page=2"' in page(client.get("/conventions"))
    filtered = page(client.get("/conventions?statut=signee&page=2"))
    assert 'href="/conventions?statut=signee&page=1"' in filtered  # the filters are kept from page to page


@pytest.mark.parametrize("app_config", [{"PAGE_SIZE": 3}])
@pytest.mark.parametrize("number", ["99999999999999999999999", "-4", "deux", "0"])
def test_a_page_out_of_range_is_the_nearest_page(client, book, login, number):
    login(book.admin)
    response = client.get(f"/conventions?page={number}")
    expected_page = "3" if number.startswith("9") else "1"
    assert len(listed(response, book.names)) == (2 if expected_page == "3" else 3)
    assert f"page {expected_page} sur 3" in text(response)


def test_an_empty_result_says_so(client, book, login, make_user):
    login(book.admin)
    assert "Aucune convention ne correspond à ces filtres" in text(client.get("/conventions?q=introuvable"))
    login(make_user("ars", region="53"))
    assert "Aucune convention enregistrée pour les hôpitaux que vous suivez" in text(client.get("/conventions"))


def test_the_list_runs_the_same_queries_with_3_and_30_conventions(client, scene, login, count_queries):
    hospital, partnership = scene.hdp, scene.partnership

    def add(n):
        for i in range(n):
            convention = signed_convention(hospital, [partnership], signed_on=TODAY - timedelta(days=1),
                                           effective_date=_months(-i), duration_months=12 + i)
            if i % 4 == 0:
                create_avenant(convention, "Avenant")
        db.session.commit()

    login(scene.admin)
    add(3)
    with count_queries() as few:
        assert len(listed(client.get("/conventions?type=second_recours"), {})) == 3
    add(27)
    with count_queries() as many:
        response = client.get("/conventions?type=second_recours")
    assert len(listed(response, {})) == 25 and "30 conventions correspondent aux filtres" in text(response)
    assert len(many) == len(few) <= 8, many


def test_navbar_links_to_the_list_and_filter_errors_say_criteria_were_ignored(client, make_user, login):
    login(make_user("admin"))
    page = client.get("/conventions?statut=inconnu&fin_avant=pas-une-date").get_data(as_text=True)
    assert 'href="/conventions"' in page and ">Conventions</a>" in page
    assert "Certains critères ont été ignorés" in page and "Le formulaire n'a pas été enregistré" not in page
