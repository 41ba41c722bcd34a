"""The follow-up page /conventions/echeances (ending within N days, to renew, expired), its scope and bad input,
and the follow-up counts on the hospital page."""

import re
from datetime import date, timedelta

import pytest

from registry.core.french import french_date
from registry.documents.context import add_months
from registry.extensions import db
from tests.clock import TODAY
from tests.conventions.builders import registered_convention, signed_convention
from tests.web.conftest import page, text

SECTIONS = ("echeance", "a-renouveler", "expirees")


def _months(n: int) -> date:
    return add_months(TODAY, n)


@pytest.fixture
def watch(scene, make_partnership):
    """Conventions seen today; the names say in which section each one belongs."""
    def signed(hospital, effective, months, **values):
        partnership = scene.partnership if hospital is scene.hdp else make_partnership(hospital)
        return signed_convention(hospital, [partnership], signed_on=min(effective, TODAY) - timedelta(days=10),
                                 effective_date=effective, duration_months=months, **values)

    made = {
        "ends_soon": signed(scene.hdp, _months(-11), 12, notice_months=0),         # about 30 days left
        "renew_later": signed(scene.hdp, _months(-31), 36, tacit_renewal=True),    # about 150 days, window open
        "expired": signed(scene.hdp, _months(-40), 36),                              # ended about 4 months ago
        "expired_too": signed(scene.hdp, _months(-30), 24),                          # ended about 6 months ago
        "quiet": signed(scene.hdp, _months(-12), 60),                               # in force, nothing to do
        "other_expired": signed(scene.other, _months(-40), 36),                     # same region, other hospital
        "far_soon": signed(scene.far, _months(-11), 12, notice_months=0),           # region 84
    }
    made["draft"] = registered_convention(scene.hdp, [scene.partnership], effective_date=_months(-40))
    db.session.commit()
    scene.conventions, scene.names = made, {c.id: name for name, c in made.items()}
    return scene


def sentences(response) -> str:
    """The visible words, without the space a closing link leaves before a comma or a full stop."""
    return re.sub(r" ([,.])", r"\1", text(response))


def sections(response, names) -> dict[str, set[str]]:
    """{section id: names of the conventions listed in it}."""
    assert response.status_code == 200
    body = page(response)
    found = {}
    for anchor in SECTIONS:
        block = re.search(rf'<section aria-labelledby="{anchor}".*?</section>', body, re.S).group(0)
        found[anchor] = {names.get(int(i), f"unknown {i}") for i in re.findall(r'href="/conventions/(\d+)"', block)}
    return found


def test_a_hospital_user_sees_its_three_sections(client, watch, login):
    login(watch.staff)
    response = client.get("/conventions/echeances")
    assert sections(response, watch.names) == {
        "echeance": {"ends_soon"}, "a-renouveler": {"renew_later"}, "expirees": {"expired", "expired_too"}}
    words = text(response)
    assert "Arrivent à échéance dans les 90 jours (1)" in words and "Expirées (2)" in words
    assert "Montbard" not in words and "GIVORS" not in words


def test_a_row_tells_the_end_the_days_left_and_the_notice_deadline(client, watch, login):
    """The notice deadline matters under tacit renewal only: without it the convention ends anyway."""
    login(watch.staff)
    convention = watch.conventions["renew_later"]
    end = convention.end_on(TODAY)
    days = (end - TODAY).days
    response = client.get("/conventions/echeances")
    row = re.search(rf'<tr>\s*<th scope="row"[^>]*>\s*<a href="/conventions/{convention.id}">.*?</tr>',
                    page(response), re.S).group(0)
    words = " ".join(re.sub(r"<[^>]+>", " ", row).split())
    deadline = add_months(end + timedelta(days=1), -3) - timedelta(days=1)
    assert words == " ".join([convention.reference, "CENTRE HOSPITALIER DE SEMUR", "EHPAD LES TILLEULS",
                              french_date(end), "fin de période, reconduction tacite", f"{days} jours",
                              french_date(deadline), "À renouveler"])
    expired = watch.conventions["expired"]
    ago = (TODAY - expired.end_on(TODAY)).days
    assert f"échue depuis {ago} jours sans objet Expirée" in text(response)
    ends_soon = watch.conventions["ends_soon"]  # no tacit renewal: nothing to give notice of
    assert f"{(ends_soon.end_on(TODAY) - TODAY).days} jours sans objet À renouveler" in text(response)


@pytest.mark.parametrize("user, expected", [
    ("ars", {"ends_soon", "renew_later", "expired", "expired_too", "other_expired"}),
    ("ars_other", {"far_soon"}),
    ("admin", {"ends_soon", "renew_later", "expired", "expired_too", "other_expired", "far_soon"}),
    ("other_staff", {"other_expired"}),
])
def test_each_user_follows_its_scope(client, watch, login, user, expected):
    login(getattr(watch, user))
    listed = sections(client.get("/conventions/echeances"), watch.names)
    assert set().union(*listed.values()) == expected


def test_the_ars_filters_by_hospital(client, watch, login):
    login(watch.ars)
    response = client.get(f"/conventions/echeances?hopital={watch.other.finess_et}")
    assert sections(response, watch.names) == {"echeance": set(), "a-renouveler": set(), "expirees": {"other_expired"}}
    assert 'name="hopital"' in page(response) and "CH DE MONTBARD" in text(response)


def test_a_hospital_user_cannot_filter_on_another_hospital(client, watch, login):
    login(watch.staff)
    response = client.get(f"/conventions/echeances?hopital={watch.other.finess_et}")
    listed = sections(response, watch.names)
    assert "other_expired" not in set().union(*listed.values()) and listed["echeance"] == {"ends_soon"}
    assert "Hôpital inconnu ou hors de votre périmètre" in text(response)


def test_the_window_follows_the_days_asked(client, watch, login):
    login(watch.staff)
    wide = sections(client.get("/conventions/echeances?jours=200"), watch.names)
    assert wide["echeance"] == {"ends_soon", "renew_later"} and wide["a-renouveler"] == set()
    assert "Arrivent à échéance dans les 200 jours" in text(client.get("/conventions/echeances?jours=200"))
    narrow = sections(client.get("/conventions/echeances?jours=0"), watch.names)
    assert narrow["echeance"] == set() and narrow["a-renouveler"] == {"ends_soon", "renew_later"}


@pytest.mark.parametrize("days, message", [
    ("-5", "Indiquez un nombre de jours entre 0 et 3650 : la fenêtre reste de 90 jours."),
    ("99999999999999999999", "Indiquez un nombre de jours entre 0 et 3650"),
    ("3651", "Indiquez un nombre de jours entre 0 et 3650"),
    ("dix", "N'est pas un entier valide."),
    ("1e3", "N'est pas un entier valide."),
])
def test_a_bad_number_of_days_keeps_90(client, watch, login, days, message):
    login(watch.staff)
    response = client.get(f"/conventions/echeances?jours={days}")
    assert sections(response, watch.names)["echeance"] == {"ends_soon"}
    words = text(response)
    assert message in words and "Arrivent à échéance dans les 90 jours" in words


def test_the_navbar_links_to_the_page(client, watch, login):
    login(watch.staff)
    body = page(client.get("/"))
    assert '<a class="nav-link" href="/conventions/echeances">Échéances</a>' in " ".join(body.split())
    assert 'aria-current=page href="/conventions/echeances"' in page(client.get("/conventions/echeances"))


def test_the_page_runs_the_same_queries_with_3_and_30_conventions(client, scene, login, count_queries):
    def add(n):
        for i in range(n):  # ended yesterday, or ends within 90 days: all listed
            signed_convention(scene.hdp, [scene.partnership], signed_on=_months(-40),
                              effective_date=_months(-36) + timedelta(days=3 * i), duration_months=36)
        db.session.commit()

    login(scene.ars)
    add(3)
    with count_queries() as few:
        assert sum(map(len, sections(client.get("/conventions/echeances"), {}).values())) == 3
    add(27)
    with count_queries() as many:
        assert sum(map(len, sections(client.get("/conventions/echeances"), {}).values())) == 30
    assert len(many) == len(few) <= 6, many


# --- The hospital page's counts --------------------------------------------------------------------------------

def test_the_hospital_page_counts_and_links_each_section(client, watch, login):
    login(watch.ars)
    response = client.get(f"/hopitaux/{watch.hdp.finess_et}")
    assert ("Suivi des échéances : 1 convention arrive à échéance dans 90 jours, 1 à renouveler, 2 expirées."
            in sentences(response))
    base = f"/conventions/echeances?hopital={watch.hdp.finess_et}"
    body = page(response)
    for anchor in SECTIONS:
        assert f'href="{base}#{anchor}"' in body
    followed = sections(client.get(base), watch.names)  # the page behind the links shows what was counted
    assert {anchor: len(names) for anchor, names in followed.items()} == {
        "echeance": 1, "a-renouveler": 1, "expirees": 2}


def test_the_counts_are_the_hospitals_own(client, watch, login, make_partnership):
    login(watch.admin)
    for _ in range(2):
        signed_convention(watch.other, [make_partnership(watch.other)], signed_on=_months(-12),
                          effective_date=_months(-11), duration_months=12)
    db.session.commit()
    assert ("2 conventions arrivent à échéance dans 90 jours, 0 à renouveler, 1 expirée."
            in sentences(client.get(f"/hopitaux/{watch.other.finess_et}")))
    assert ("1 convention arrive à échéance dans 90 jours, 1 à renouveler, 2 expirées."
            in sentences(client.get(f"/hopitaux/{watch.hdp.finess_et}")))
