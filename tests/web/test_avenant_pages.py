"""« Préparer un avenant » on a signed convention: the form, its refusals in French, who may use it, and the
avenant's page (what an avenant has, and only that) with its link to the convention and back."""

import re

import pytest
from sqlalchemy import func, select

from registry.conventions import lifecycle
from registry.conventions.models import Convention
from registry.core.storage import document_store
from registry.documents.text import document_text
from registry.extensions import db
from tests.conventions.builders import drafted_convention
from tests.conventions.lifecycle_helpers import reload
from tests.web.conftest import page, text
from tests.web.convention_helpers import drafting  # noqa: F401  (fixture)

NEW_TEXT = "Les consultations avancées ont lieu le mardi matin."


@pytest.fixture
def signed(drafting):  # noqa: F811
    return drafted_convention(drafting.hospital, drafting.ehpad, actor=drafting.staff, status=lifecycle.SIGNEE)


def form_url(convention) -> str:
    return f"/conventions/{convention.id}/avenants/nouveau"


def values(drafting, **overrides) -> dict:  # noqa: F811
    data = {"title": "l'ouverture de consultations avancées", "effective_date": "2027-03-01",
            "articles-0-number": "4", "articles-0-text": NEW_TEXT, "articles-1-number": "", "articles-1-text": "",
            "champ_signing_place": "Is-sur-Tille", "champ_additions": "",
            f"signataire_{drafting.hospital.organisation_id}_nom": "Jeanne Petit",
            f"signataire_{drafting.hospital.organisation_id}_qualite": "Directrice"}
    data.update(overrides)
    return data


def avenants() -> list[Convention]:
    db.session.expire_all()
    return list(db.session.scalars(select(Convention).where(Convention.parent_id.is_not(None))))


def test_the_form_is_prefilled_from_the_convention(client, drafting, signed, login):  # noqa: F811
    login(drafting.staff)
    words = text(client.get(f"/conventions/{signed.id}"))
    assert "Préparer un avenant" in words
    response = client.get(form_url(signed))
    body = page(response)
    assert response.status_code == 200
    assert signed.reference in body and 'value="Is-sur-Tille"' in body
    assert body.count('name="articles-') == 4  # two rows of number and text
    assert "Durée (en mois)" not in body and "tacite" not in body


def test_preparing_an_avenant_creates_it_with_its_first_draft(client, drafting, signed, login):  # noqa: F811
    login(drafting.staff)
    response = client.post(form_url(signed), data=values(drafting))
    [avenant] = avenants()
    assert response.status_code == 302 and response.headers["Location"].endswith(f"/conventions/{avenant.id}")
    assert avenant.reference == f"{signed.reference}-A1" and avenant.template_version.code == "avenant"
    assert [d.version for d in avenant.drafts] == [1]
    draft_text = document_text(document_store().read(avenant.drafts[0].sha256))
    assert signed.reference in draft_text and NEW_TEXT in draft_text and "Jeanne Petit" in draft_text
    words = text(client.get(f"/conventions/{avenant.id}"))
    assert "Avenant n°" in words and "Convention modifiée" in words and "Article 4" in words and NEW_TEXT in words
    assert "Produire un nouveau projet" in words and "Mettre en négociation" in words
    assert "1er mars 2027" in words and "celui de la convention" in words


def test_the_avenant_page_shows_no_term_of_its_own(client, drafting, signed, login):  # noqa: F811
    login(drafting.staff)
    client.post(form_url(signed), data=values(drafting))
    [avenant] = avenants()
    words = text(client.get(f"/conventions/{avenant.id}"))
    for absent in ("Préavis", "préavis", "Reconduction", "reconduction", "Durée", "Types de partenariat"):
        assert absent not in words
    assert f'href="/conventions/{signed.id}"' in page(client.get(f"/conventions/{avenant.id}"))


def test_the_parent_lists_its_avenants_with_their_status(client, drafting, signed, login):  # noqa: F811
    login(drafting.staff)
    client.post(form_url(signed), data=values(drafting))
    [avenant] = avenants()
    body = page(client.get(f"/conventions/{signed.id}"))
    row = re.search(rf'<tr>\s*<th scope="row"[^>]*><a href="/conventions/{avenant.id}">{avenant.reference}</a>'
                    r'.*?</tr>', body, re.S)
    assert row and "Brouillon" in row.group(0) and "l'ouverture de consultations avancées" in row.group(0)


def test_another_row_is_added_without_saving_anything(client, drafting, signed, login):  # noqa: F811
    login(drafting.staff)
    response = client.post(form_url(signed), data={**values(drafting), "add_article": "1"})
    body = page(response)
    assert response.status_code == 200 and body.count('name="articles-') == 6 and NEW_TEXT in body
    assert avenants() == []


@pytest.mark.parametrize("overrides, message", [
    ({"title": ""}, "Indiquez l'objet de l'avenant."),
    ({"articles-0-number": "", "articles-0-text": ""}, "indiquez au moins un article modifié"),
    ({"articles-0-number": ""}, "indiquez le numéro de l'article de la convention"),
    ({"champ_signing_place": ""}, "Ce champ est obligatoire."),
    ({"effective_date": "31/02/2027"}, "date"),
])
def test_bad_input_is_refused_in_french_and_creates_nothing(client, drafting, signed, login, overrides,  # noqa: F811
                                                            message):
    login(drafting.staff)
    response = client.post(form_url(signed), data=values(drafting, **overrides))
    assert response.status_code == 422 and message in text(response)
    assert avenants() == []
    assert NEW_TEXT in page(response) or not overrides.get("articles-0-text", NEW_TEXT)  # what was typed is kept


def test_an_unsigned_convention_gets_no_avenant(client, drafting, login):  # noqa: F811
    negotiated = drafted_convention(drafting.hospital, drafting.chu, status=lifecycle.EN_NEGOCIATION)
    login(drafting.staff)
    assert "Préparer un avenant" not in text(client.get(f"/conventions/{negotiated.id}"))
    for response in (client.get(form_url(negotiated)), client.post(form_url(negotiated), data=values(drafting))):
        assert response.status_code == 409 and "seule une convention signée" in text(response)
    assert avenants() == []


def test_the_ars_reads_the_avenant_but_does_not_prepare_one(client, drafting, signed, login):  # noqa: F811
    login(drafting.staff)
    client.post(form_url(signed), data=values(drafting))
    [avenant] = avenants()
    client.post("/deconnexion")
    login(drafting.ars)
    assert client.get(form_url(signed)).status_code == 403
    assert client.post(form_url(signed), data=values(drafting)).status_code == 403
    response = client.get(f"/conventions/{avenant.id}")
    assert response.status_code == 200 and "Préparer un avenant" not in text(client.get(f"/conventions/{signed.id}"))
    assert client.get(f"/conventions/{avenant.id}/projets/1.docx").status_code == 200
    assert client.post(f"/conventions/{avenant.id}/projets").status_code == 403
    assert client.get(f"/conventions/{avenant.id}/avenant/modifier").status_code == 403
    assert client.post(f"/conventions/{avenant.id}/avenant/modifier", data=values(drafting)).status_code == 403
    assert len(avenants()) == 1 and "Modifier l'avenant" not in text(response)


@pytest.mark.parametrize("who", ["other_staff", "ars_other"])
def test_another_hospital_sees_nothing(client, drafting, signed, login, who):  # noqa: F811
    login(getattr(drafting, who))
    assert client.get(form_url(signed)).status_code == 404
    assert client.post(form_url(signed), data=values(drafting)).status_code == 404
    assert avenants() == []


@pytest.mark.parametrize("app_config", [{"WTF_CSRF_ENABLED": True}])
def test_preparing_needs_the_csrf_token(client, drafting, signed):  # noqa: F811
    from tests.factories import PASSWORD

    def token(url):
        return re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page(client.get(url))).group(1)

    client.post("/connexion", data={"email": drafting.staff.email, "password": PASSWORD,
                                    "csrf_token": token("/connexion")})
    refused = client.post(form_url(signed), data=values(drafting))
    assert refused.status_code == 400 and avenants() == []
    accepted = client.post(form_url(signed), data={**values(drafting), "csrf_token": token(form_url(signed))})
    assert accepted.status_code == 302 and len(avenants()) == 1


def test_the_avenant_goes_to_signature_like_a_convention(client, drafting, signed, login):  # noqa: F811
    login(drafting.staff)
    client.post(form_url(signed), data=values(drafting))
    [avenant] = avenants()
    assert client.post(f"/conventions/{avenant.id}/statut/en_negociation").status_code == 302
    assert client.post(f"/conventions/{avenant.id}/projets").status_code == 302
    assert client.post(f"/conventions/{avenant.id}/statut/a_signer").status_code == 302
    avenant = reload(avenant)
    assert avenant.status == lifecycle.A_SIGNER and [d.version for d in avenant.drafts] == [1, 2]
    assert db.session.scalar(select(func.count(Convention.id)).where(Convention.parent_id == signed.id)) == 1


def edit_url(avenant) -> str:
    return f"/conventions/{avenant.id}/avenant/modifier"


def test_a_negotiated_avenant_is_changed_and_its_next_draft_follows(client, drafting, signed, login):  # noqa: F811
    login(drafting.staff)
    client.post(form_url(signed), data=values(drafting))
    [avenant] = avenants()
    assert "Modifier l'avenant" in text(client.get(f"/conventions/{avenant.id}"))
    body = page(client.get(edit_url(avenant)))
    assert NEW_TEXT in body and 'value="4"' in body and 'value="Jeanne Petit"' in body
    changed = "Les consultations avancées ont lieu le jeudi après-midi."
    response = client.post(edit_url(avenant), data=values(drafting, **{"articles-0-text": changed}))
    assert response.status_code == 302
    assert client.post(f"/conventions/{avenant.id}/projets").status_code == 302
    avenant = reload(avenant)
    latest = max(avenant.drafts, key=lambda draft: draft.version)
    assert changed in document_text(document_store().read(latest.sha256))
    assert "articles modifiés" in text(client.get(f"/conventions/{avenant.id}"))  # the timeline names the change
    refused = client.post(edit_url(avenant), data=values(drafting, **{"articles-0-number": ""}))
    assert refused.status_code == 422 and "indiquez le numéro de l'article" in text(refused)


def test_an_avenant_sent_for_signature_is_frozen(client, drafting, signed, login):  # noqa: F811
    login(drafting.staff)
    client.post(form_url(signed), data=values(drafting))
    [avenant] = avenants()
    client.post(f"/conventions/{avenant.id}/statut/en_negociation")
    client.post(f"/conventions/{avenant.id}/statut/a_signer")
    assert "Modifier l'avenant" not in text(client.get(f"/conventions/{avenant.id}"))
    response = client.post(edit_url(avenant), data=values(drafting, title="autre objet"))
    assert response.status_code == 409 and "figés" in text(response)
    assert reload(avenant).title == "l'ouverture de consultations avancées"
    assert client.get(edit_url(signed)).status_code == 409  # a convention is edited with « Modifier »
