"""The convention page, its drafts as versions, the hospital and partner pages' lists, and who may do what."""

import hashlib

import pytest

from registry.conventions.models import ConventionDocument
from registry.conventions.services import generate_draft
from registry.core.french import french_datetime
from registry.extensions import db
from tests.web.conftest import page, text
from tests.web.convention_helpers import conventions, create_through_the_form, drafting, form_url  # noqa: F401


@pytest.fixture
def convention(client, drafting, login):
    login(drafting.staff)
    created = create_through_the_form(client, drafting, "second_recours", clauses=["temps_partage"],
                                      duration_months="18", partnerships=[drafting.chu, drafting.ehpad],
                                      **{f"signataire_{drafting.chu.partner_id}_nom": "Paul Martin",
                                         f"signataire_{drafting.chu.partner_id}_qualite": "Directeur général"})
    return created


def _urls(convention_id: int, version: int = 1) -> dict[str, str]:
    base = f"/conventions/{convention_id}"
    return {"page": base, "download": f"{base}/projets/{version}.docx", "preview": f"{base}/projets/{version}/apercu",
            "pdf": f"{base}/projets/{version}.pdf"}


def test_the_convention_page_shows_the_record_and_its_drafts(client, drafting, convention):
    words = text(client.get(f"/conventions/{convention.id}"))
    assert f"Convention n° {convention.reference} · Brouillon" in words
    assert "Second recours" in convention.title and convention.title in words
    assert "modèle « " + drafting.templates["second_recours"].name + " », version 1" in words
    assert "CHU DIJON BOURGOGNE" in words and "EHPAD LE CHAMP DE MARS" in words
    assert "Marie Durand Directrice" in words and "Paul Martin Directeur général" in words
    assert "Date d'effet 1er janvier 2027 Durée 1 an et 6 mois Fin 30 juin 2028 (puis reconduction tacite)" in words
    assert "Préavis de résiliation 3 mois" in words and "Postes médicaux partagés" in words
    assert "Établissement de second recours" in words and "Orientation des patients" in words
    draft = convention.drafts[0]
    body = page(client.get(f"/conventions/{convention.id}"))
    assert f'title="{draft.sha256}"' in body and f'<span class="visually-hidden">{draft.sha256}</span>' in body
    assert f"{draft.sha256[:12]}…" in body and "Projets (1)" in words
    assert f"v1 {french_datetime(draft.created_at)} {drafting.staff.email} " in words  # « 1er août » as well
    assert "Produire un nouveau projet" in words


def test_the_download_answers_the_stored_docx(client, convention):
    draft = convention.drafts[0]
    response = client.get(_urls(convention.id)["download"])
    assert response.status_code == 200
    assert response.mimetype == "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    assert response.headers["Content-Disposition"] == f'attachment; filename="{draft.filename}"'
    assert hashlib.sha256(response.data).hexdigest() == draft.sha256 and len(response.data) == draft.size


def test_a_new_draft_makes_v2_and_v1_stays_byte_identical(client, drafting, convention):
    before = client.get(_urls(convention.id, 1)["download"]).data
    response = client.post(f"/conventions/{convention.id}/projets")
    assert response.status_code == 302 and response.headers["Location"].endswith(f"/conventions/{convention.id}#projets")
    words = text(client.get(f"/conventions/{convention.id}"))
    assert "Le projet v2 est produit." in words and "Projets (2)" in words
    table = words.split("Empreinte SHA-256 Taille Actions", 1)[1]
    assert table.index("v2 ") < table.index("v1 ")  # newest first
    assert client.get(_urls(convention.id, 1)["download"]).data == before
    second = client.get(_urls(convention.id, 2)["download"])
    assert second.status_code == 200 and second.headers["Content-Disposition"].endswith('projet v2.docx"')
    assert client.get(_urls(convention.id, 3)["download"]).status_code == 404


def test_no_new_draft_once_the_convention_goes_to_signature(client, convention):
    convention.status = "a_signer"
    db.session.commit()
    words = text(client.get(f"/conventions/{convention.id}"))
    assert "À signer" in words and "Produire un nouveau projet" not in words
    response = client.post(f"/conventions/{convention.id}/projets")
    assert response.status_code == 409 and "figés" in text(response)


def test_the_hospital_page_lists_its_conventions(client, drafting, convention):
    words = text(client.get(f"/hopitaux/{drafting.hospital.finess_et}"))
    section = words.split("Conventions (1)", 1)[1].split("Historique des modifications", 1)[0]
    assert "Rédiger une convention" in section
    assert (f"{convention.reference} {convention.title} Brouillon CHU DIJON BOURGOGNE EHPAD LE CHAMP DE MARS "
            "1er janvier 2027 1") in section
    partner_page = text(client.get(f"/hopitaux/{drafting.hospital.finess_et}/partenaires/{drafting.chu.id}"))
    assert "Conventions avec ce partenaire (1)" in partner_page and convention.reference in partner_page
    assert "Rédiger une convention" in partner_page


def test_the_partner_page_links_to_the_templates_of_this_partner(client, drafting, login):
    login(drafting.staff)
    body = page(client.get(f"/hopitaux/{drafting.hospital.finess_et}/partenaires/{drafting.ehpad.id}"))
    assert (f'href="/hopitaux/{drafting.hospital.finess_et}/conventions/nouvelle?partenariat={drafting.ehpad.id}"'
            in body)
    assert "Conventions avec ce partenaire (0)" in text(client.get(
        f"/hopitaux/{drafting.hospital.finess_et}/partenaires/{drafting.ehpad.id}"))


def test_the_convention_page_runs_the_same_queries_whatever_the_number_of_drafts(client, convention, drafting,
                                                                                 count_queries):
    db.session.commit()
    with count_queries() as few:
        client.get(f"/conventions/{convention.id}")
    for _ in range(4):
        generate_draft(convention, actor=drafting.admin)
    db.session.commit()
    with count_queries() as many:
        words = text(client.get(f"/conventions/{convention.id}"))
    assert "Projets (5)" in words
    assert len(many) == len(few), many


def test_the_hospital_page_runs_the_same_queries_whatever_the_number_of_conventions(client, drafting, convention,
                                                                                    count_queries):
    url = f"/hopitaux/{drafting.hospital.finess_et}"
    db.session.commit()
    with count_queries() as few:
        client.get(url)
    create_through_the_form(client, drafting, "ehpad", partnerships=[drafting.ehpad])
    create_through_the_form(client, drafting, "second_recours")
    db.session.commit()
    with count_queries() as many:
        words = text(client.get(url))
    assert "Conventions (3)" in words
    assert len(many) == len(few), many


@pytest.mark.parametrize("role", ["other_staff", "ars_other"])
def test_users_outside_the_hospital_get_404_on_every_convention_url(client, drafting, convention, login, role):
    login(getattr(drafting, role))
    for name, url in _urls(convention.id).items():
        assert client.get(url).status_code == 404, name
    assert client.post(f"/conventions/{convention.id}/projets").status_code == 404
    base = f"/hopitaux/{drafting.hospital.finess_et}/conventions/nouvelle"
    assert client.get(base).status_code == 404
    assert client.get(f"{base}/second_recours").status_code == 404
    assert client.post(f"{base}/second_recours", data={"partners": [str(drafting.chu.id)]}).status_code == 404
    assert len(conventions()) == 1 and len(conventions()[0].drafts) == 1


def test_the_ars_of_the_region_reads_but_cannot_draft(client, drafting, convention, login):
    login(drafting.ars)
    words = text(client.get(f"/conventions/{convention.id}"))
    assert convention.reference in words and "Produire un nouveau projet" not in words
    assert client.get(_urls(convention.id)["download"]).status_code == 200
    assert client.get(_urls(convention.id)["preview"]).status_code == 200
    assert client.post(f"/conventions/{convention.id}/projets").status_code == 403
    base = f"/hopitaux/{drafting.hospital.finess_et}/conventions/nouvelle"
    assert client.get(base).status_code == 403
    assert client.get(f"{base}/second_recours").status_code == 403
    assert client.post(f"{base}/second_recours", data={"partners": [str(drafting.chu.id)]}).status_code == 403
    hospital_page = text(client.get(f"/hopitaux/{drafting.hospital.finess_et}"))
    assert convention.reference in hospital_page and "Rédiger une convention" not in hospital_page
    assert len(conventions()) == 1 and len(conventions()[0].drafts) == 1


def test_an_administrator_drafts_for_any_hospital(client, drafting, login):
    login(drafting.admin)
    convention = create_through_the_form(client, drafting, "ehpad", partnerships=[drafting.ehpad])
    assert convention.created_by_id == drafting.admin.id
    assert db.session.query(ConventionDocument).filter_by(convention_id=convention.id).count() == 1
