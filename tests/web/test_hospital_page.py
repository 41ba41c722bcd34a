"""The hospital page: profile, partners grouped by type, audit trail; who may read it and who may change it."""

import pytest

from registry.audit.services import record_audit
from registry.conventions.transitions import terminate
from registry.core.french import french_date
from registry.documents.context import add_months, end_date
from registry.extensions import db
from tests.clock import TODAY
from tests.conventions.builders import registered_convention, signed_convention
from tests.web.conftest import page, text


def _signed(hospital, partnerships, months_ago: int, months: int, **values):
    """A convention signed and in effect since ``months_ago`` months, for ``months`` months."""
    effective = add_months(TODAY, -months_ago)
    return signed_convention(hospital, partnerships, signed_on=effective, effective_date=effective,
                             duration_months=months, **values)


def _row(body: str, partnership) -> str:
    """The partner's row of the partner table."""
    return body.split(f'id="partenariat-{partnership.id}"')[1].split("</tr>")[0]


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
    ehpad_group = body.split('id="type-ehpad"')[1].split("</tbody>")[0]
    assert "EHPAD LES TILLEULS" in ehpad_group
    assert "Retour et maintien à domicile" in ehpad_group
    assert "Sur le territoire" in ehpad_group
    assert f'href="/hopitaux/{scene.hdp.finess_et}/partenaires/{scene.partnership.id}"' in ehpad_group
    # one table whatever the number of types; the types without a partner are named on one line
    assert body.count("<table") == 1 and 'id="type-usld"' not in body
    folded = body.split('id="types-sans-partenaire"')[1].split("</p>")[0]
    assert "Aucun partenaire : Établissement de second recours, SSR / SMR, USLD" in folded and "EHPAD," not in folded


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


def test_latest_changes_on_the_page_and_the_whole_trail_on_its_own(client, scene, login):
    for n in range(7):
        record_audit("partnership.update", scene.partnership, f"Partenariat modifié n° {n}", hospital=scene.hdp,
                     actor=scene.admin, changes={"notes": [None, f"note {n}"]})
    db.session.commit()
    login(scene.staff)
    words = text(client.get(f"/hopitaux/{scene.hdp.finess_et}"))
    latest = words.split("Dernières modifications", 1)[1]
    assert "Partenariat modifié n° 6" in latest and "Partenariat modifié n° 2" in latest
    assert "Partenariat modifié n° 1" not in latest  # five entries, the rest on the history page
    assert "note 6" not in latest  # the changes themselves are on the history page
    assert "Tout l'historique (7 entrées)" in latest
    assert f'href="/hopitaux/{scene.hdp.finess_et}/historique"' in page(client.get(f"/hopitaux/{scene.hdp.finess_et}"))


@pytest.fixture
def covered(scene, make_organisation, make_partnership):
    """Partners of the Semur hospital in every situation: a convention in force, one to renew, an expired one,
    one terminated, one being drafted, and the EHPAD without any."""
    hdp = scene.hdp
    partners = {name: make_partnership(hdp, make_organisation(name=name.upper(), category_code=code))
                for name, code in (("chu", "101"), ("had", "127"), ("ssr", "109"), ("usld", "362"),
                                   ("cpts", "603"))}
    conventions = {
        "chu": _signed(hdp, [partners["chu"]], 12, 48),
        "had": _signed(hdp, [partners["had"]], 32, 36),
        "ssr": _signed(hdp, [partners["ssr"]], 36, 24),
        "usld": _signed(hdp, [partners["usld"]], 12, 48),
        "cpts": registered_convention(hdp, [partners["cpts"]], effective_date=add_months(TODAY, 1)),
    }
    _signed(hdp, [partners["chu"]], 40, 24)  # an older, expired convention with the same partner
    terminate(conventions["usld"], on=add_months(TODAY, -1), reason="Fin du partenariat")
    db.session.commit()
    return partners, conventions


def test_each_partner_says_which_convention_covers_it(client, scene, covered, login):
    partners, conventions = covered
    login(scene.staff)
    body = page(client.get(f"/hopitaux/{scene.hdp.finess_et}"))
    row = {name: " ".join(_row(body, partnership).split()) for name, partnership in partners.items()}
    row["ehpad"] = " ".join(_row(body, scene.partnership).split())
    chu_end = end_date(conventions["chu"].effective_date, 48)
    assert f"Convention en vigueur</span> <span class=\"small\">jusqu'au {french_date(chu_end)}" in row["chu"]
    assert f"/conventions/{conventions['chu'].id}\">{conventions['chu'].reference}</a>" in row["chu"]
    had_end = end_date(conventions["had"].effective_date, 36)
    assert f"À renouveler</span> <span class=\"small\">fin le {french_date(had_end)}" in row["had"]
    ssr_end = end_date(conventions["ssr"].effective_date, 24)
    assert f"Expirée</span> <span class=\"small\">le {french_date(ssr_end)}" in row["ssr"]
    assert f"Résiliée</span> <span class=\"small\">depuis le {french_date(add_months(TODAY, -1))}" in row["usld"]
    assert "Convention en préparation</span> <span class=\"small\">(brouillon)" in row["cpts"]
    assert "Aucune convention</span>" in row["ehpad"]
    # drafting is offered where no convention stands for the partner
    for name in ("ssr", "usld", "ehpad"):
        partnership = scene.partnership if name == "ehpad" else partners[name]
        assert f"/conventions/nouvelle?partenariat={partnership.id}\">Rédiger" in row[name], name
    for name in ("chu", "had", "cpts"):
        assert "Rédiger" not in row[name], name


def test_readers_see_coverage_without_the_drafting_link(client, scene, covered, login):
    login(scene.ars)
    words = text(client.get(f"/hopitaux/{scene.hdp.finess_et}"))
    assert "Aucune convention" in words and "Expirée le" in words
    assert "Rédiger" not in words


def test_each_requirement_shows_its_verdict_and_one_line_reason(client, scene, login):
    login(scene.staff)
    response = client.get(f"/hopitaux/{scene.hdp.finess_et}")
    body, words = page(response), text(response)
    compliance = words.split("Conformité (textes en vigueur)", 1)[1].split("Partenaires (", 1)[0]
    deadline = french_date(add_months(scene.hdp.listed_on, 12))
    assert (f"Manquant Convention avec les partenaires (article L6111-3-2) Aucune convention en vigueur ; le délai "
            f"est dépassé depuis le {deadline}.") in compliance
    assert (f'href="/hopitaux/{scene.hdp.finess_et}/conformite#l6111_3_2">Convention avec les partenaires '
            "(article L6111-3-2)</a>") in body
    # what is missing comes first; what is satisfied or not required is folded below
    listed = compliance.split("Voir le détail de la conformité", 1)[1]
    assert listed.rindex("Manquant") < listed.index("Non évalué")
    settled = body.split("<details", 1)[1].split("</details>")[0]
    assert "Exigences satisfaites ou non requises" in settled
    assert "Partenariat avec un établissement gérant un EHPAD (recommandé)" in settled
    assert "Partenariat recommandé, non exigé par les textes en vigueur." in settled


def test_hospital_page_queries_do_not_grow_with_partners(client, scene, make_organisation, make_partnership, login,
                                                         count_queries):
    """Nor with their conventions (coverage, verdicts) and the audit entries."""
    login(scene.staff)
    url = f"/hopitaux/{scene.hdp.finess_et}"
    _signed(scene.hdp, [scene.partnership], 12, 36)
    record_audit("partnership.update", scene.partnership, "Partenariat modifié", hospital=scene.hdp, actor=scene.admin)
    db.session.commit()
    with count_queries() as few:
        client.get(url)
    for n in range(6):
        partnership = make_partnership(scene.hdp, make_organisation(category_code="127"), themes=["coordination"])
        _signed(scene.hdp, [partnership], 12, 36 + n)
        record_audit("partnership.update", partnership, "Partenariat modifié", hospital=scene.hdp, actor=scene.admin,
                     changes={"notes": [None, "note"]})
    db.session.commit()
    with count_queries() as many:
        words = text(client.get(url))
    assert "Partenaires (7)" in words and "Hospitalisation à domicile (HAD) (6)" in words
    assert words.count("Convention en vigueur jusqu'au") == 7
    assert len(many) == len(few), many
