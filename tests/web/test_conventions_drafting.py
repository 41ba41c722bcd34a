"""Drafting a convention through the pages: choosing a template, the generated form, creation and the draft."""

import re

import pytest

from registry.core.errors import DomainError
from registry.documents.manifest import parse_manifest
from registry.documents.text import document_text
from tests.web.convention_helpers import (create_through_the_form, conventions, drafting, form_url,  # noqa: F401
                                          form_values, references_used)
from tests.web.conftest import page, text

SHIPPED = ["dac", "ehpad", "had", "had_esms", "l6111_3_2", "l6111_3_3", "pdsa_mmg", "premier_recours",
           "second_recours", "ssr_usld"]


def _download(client, convention, version=1) -> bytes:
    response = client.get(f"/conventions/{convention.id}/projets/{version}.docx")
    assert response.status_code == 200
    return response.data


def test_template_choice_suggests_the_templates_of_the_partnership_first(client, drafting, login):
    login(drafting.staff)
    body = page(client.get(f"/hopitaux/{drafting.hospital.finess_et}/conventions/nouvelle"
                           f"?partenariat={drafting.ehpad.id}"))
    names = re.findall(r'<h2 class="h6 card-title mb-1" id="modele-(\w+)">', body)
    suggested = {"ehpad", "had_esms", "l6111_3_2"}  # the templates whose partner types include « ehpad »
    assert sorted(names) == SHIPPED and set(names[:len(suggested)]) == suggested
    assert body.count("Suggéré pour ce partenaire") == len(suggested)
    assert f"/conventions/nouvelle/ehpad?partenariat={drafting.ehpad.id}" in body
    assert "Avec EHPAD LE CHAMP DE MARS (EHPAD)" in text(client.get(
        f"/hopitaux/{drafting.hospital.finess_et}/conventions/nouvelle?partenariat={drafting.ehpad.id}"))


def test_a_partnership_of_another_hospital_is_neither_suggested_nor_accepted(client, drafting, login, make_hospital,
                                                                           make_partnership):
    foreign = make_partnership(make_hospital(), partner_types=["ehpad"])
    login(drafting.staff)
    base = f"/hopitaux/{drafting.hospital.finess_et}/conventions/nouvelle"
    body = page(client.get(f"{base}?partenariat={foreign.id}"))
    assert "Suggéré pour ce partenaire" not in body and len(re.findall(r'id="modele-(\w+)"', body)) == len(SHIPPED)
    assert f'name="partners" value="{foreign.id}"' not in page(client.get(f"{form_url(drafting, 'ehpad')}?partenariat={foreign.id}"))
    response = client.post(form_url(drafting, "ehpad"), data=form_values(drafting, "ehpad", partners=[str(foreign.id)]))
    assert "Ce partenaire n'est pas un partenaire de l'hôpital." in page(response)
    assert conventions() == []


@pytest.mark.parametrize("code", SHIPPED)
def test_the_form_of_every_shipped_template_renders_its_manifest_fields(client, drafting, login, code):
    login(drafting.staff)
    body = page(client.get(form_url(drafting, code) + f"?partenariat={drafting.chu.id}"))
    manifest = parse_manifest(drafting.templates[code].manifest)
    for spec in manifest.fields:
        if spec.name == "notice_months":  # filled by the convention's own notice, shown once
            assert 'name="champ_notice_months"' not in body
            continue
        assert f'name="champ_{spec.name}"' in body, spec.name
        assert spec.label in body
        if spec.help:
            assert spec.help in body
    for clause in manifest.clauses:
        checked = " checked" if clause.default else ""
        assert re.search(rf'name="clauses" value="{clause.code}"{checked}>', body), clause.code
    assert body.count('name="notice_months"') == 1
    assert re.search(rf'name="partners" value="{drafting.chu.id}" checked>', body)
    assert re.search(rf'name="partners" value="{drafting.ehpad.id}">', body)
    assert 'name="themes"' not in body  # a drafted convention's themes are those of its articles
    for basis in manifest.legal_bases:
        assert f"(art. {basis})" in body


def test_the_form_is_prefilled_from_the_registry(client, drafting, login):
    login(drafting.staff)
    body = page(client.get(form_url(drafting, "second_recours")))
    assert re.search(r'<input[^>]*name="champ_signing_place"[^>]*value="Is-sur-Tille"', body)
    assert "ARS-BFC-2022-118" not in body  # the listing is taken from the registry, never retyped in the form
    assert re.search(r'name="duration_months"[^>]*value="36"', body)
    assert re.search(r'name="notice_months"[^>]*value="3"', body)
    assert re.search(r'id="tacit_renewal" name="tacit_renewal" value="y" checked', body)
    assert re.search(r'name="effective_date"[^>]*value="\d{4}-\d{2}-01"', body)
    assert 'rows="3"' in body and "Une valeur par ligne." not in body  # the labels already say « une par ligne »
    choice = page(client.get(form_url(drafting, "ssr_usld")))
    assert '<option value="soins de longue durée (USLD)">' in choice


def test_the_partner_types_ticked_first_are_those_the_chosen_partner_plays(client, drafting, login,
                                                                           make_partnership, make_organisation):
    msp = make_partnership(drafting.hospital, make_organisation(name="MSP DU PAYS DE TILLE", category_code="603"),
                           partner_types=["msp"])
    login(drafting.staff)

    def ticked(query: str) -> list[str]:
        body = page(client.get(form_url(drafting, "premier_recours") + query))
        return re.findall(r'name="partner_types" value="(\w+)" checked', body)

    assert ticked(f"?partenariat={msp.id}") == ["msp"]
    assert ticked("") == ["cpts", "msp", "centre_sante"]  # no partner chosen yet: the template's types
    assert ticked(f"?partenariat={drafting.chu.id}") == ["cpts", "msp", "centre_sante"]  # none it plays


def test_valid_values_create_the_convention_and_its_first_draft(client, drafting, login):
    login(drafting.staff)
    response = client.post(form_url(drafting, "second_recours"), data=form_values(
        drafting, "second_recours", partnerships=[drafting.chu, drafting.ehpad],
        **{f"signataire_{drafting.chu.partner_id}_nom": "Paul Martin",
           f"signataire_{drafting.chu.partner_id}_qualite": "Directeur général"}))
    convention = conventions()[-1]
    assert response.status_code == 302 and response.headers["Location"] == f"/conventions/{convention.id}"
    assert convention.reference == f"{drafting.hospital.finess_et}-2027-001"
    assert convention.created_by_id == drafting.staff.id and convention.notice_months == 3
    assert convention.fields["specialties"] == ["Cardiologie", "Gériatrie"]
    assert [d.version for d in convention.drafts] == [1]
    words = text(client.get(f"/conventions/{convention.id}"))
    assert f"La convention {convention.reference} est créée" in words
    document = document_text(_download(client, convention))
    # names in French typography (the registry keeps FINESS capitals)
    for expected in ("CH d'Is-sur-Tille", "CHU Dijon Bourgogne", "EHPAD Le Champ de Mars",
                     drafting.hospital.finess_et, drafting.chu.partner.finess_et, drafting.ehpad.partner.finess_et,
                     "1er janvier 2027", "Marie Durand", "Paul Martin", "Directeur général", "Cardiologie",
                     # the ARS listing decision, from the hospital's profile
                     "inscrit depuis le 1er mai 2022 (référence : ARS-BFC-2022-118)",
                     # FINESS address in long form; public persons: the administrative court
                     "1 rue du General Leclerc, 21120 Is-sur-Tille", "le tribunal administratif territorialement"):
        assert expected in document, expected


@pytest.mark.parametrize("code", SHIPPED)
def test_every_shipped_template_drafts_through_the_form(client, drafting, login, code):
    login(drafting.staff)
    convention = create_through_the_form(client, drafting, code)
    document = document_text(_download(client, convention))
    assert convention.template_version.code == code
    assert "CHU Dijon Bourgogne" in document and drafting.hospital.finess_et in document
    assert "1er janvier 2027" in document


@pytest.mark.parametrize("ticked", [True, False])
def test_an_optional_clause_appears_exactly_when_ticked(client, drafting, login, ticked):
    login(drafting.staff)
    convention = create_through_the_form(client, drafting, "second_recours",
                                         clauses=["temps_partage"] if ticked else [])
    document = document_text(_download(client, convention))
    assert ("Postes médicaux partagés" in document) is ticked
    assert convention.clauses == (["temps_partage"] if ticked else [])


@pytest.mark.parametrize("overrides, message", [
    ({"champ_specialties": ""}, "Spécialités"),
    ({"effective_date": "31/02/2027"}, "Date invalide : utilisez le format JJ/MM/AAAA."),
    ({"effective_date": ""}, "Ce champ est obligatoire."),
    ({"partners": []}, "Choisissez au moins un partenaire."),
    ({"duration_months": "trois ans"}, "N'est pas un entier valide."),
    ({"champ_direct_line": "0" * 1001}, "1000 caractères au plus."),
    ({"duration_months": "0"}, "Entre 1 et 240 mois."),
    ({"champ_consultations_start": "bientôt"}, "Date invalide : utilisez le format JJ/MM/AAAA."),
])
def test_bad_input_re_renders_with_french_errors_and_creates_nothing(client, drafting, login, overrides, message):
    login(drafting.staff)
    values = form_values(drafting, "second_recours", **overrides)
    values["champ_ght_name"] = "GHT Côte-d'Or Haute-Marne (valeur gardée)"
    response = client.post(form_url(drafting, "second_recours"), data=values)
    body = page(response)
    assert response.status_code == 200
    assert "Le formulaire n'a pas été enregistré" in body and message in body
    assert ("Entre 1 et 240 mois." in body) == (message == "Entre 1 et 240 mois.")  # one message per problem
    assert 'value="GHT Côte-d\'Or Haute-Marne (valeur gardée)"' in body  # nothing typed is lost
    assert conventions() == [] and references_used() == 0


def test_a_refusal_of_the_services_is_shown_in_the_form_and_rolls_everything_back(client, drafting, login,
                                                                                  monkeypatch):
    from registry.conventions import routes

    def refuse(convention, actor=None):
        assert convention.reference  # the convention was numbered in the same transaction
        raise DomainError("Le projet n'a pas pu être produit : modèle illisible.")
    monkeypatch.setattr(routes, "generate_draft", refuse)
    login(drafting.staff)
    body = page(client.post(form_url(drafting, "second_recours"), data=form_values(drafting, "second_recours")))
    assert "Le formulaire n'a pas été enregistré" in body
    assert "Le projet n'a pas pu être produit : modèle illisible." in body
    assert 'value="Marie Durand"' in body
    assert conventions() == [] and references_used() == 0


def test_signatories_of_the_last_convention_are_suggested(client, drafting, login):
    login(drafting.staff)
    create_through_the_form(client, drafting, "second_recours")
    body = page(client.get(form_url(drafting, "ehpad")))
    assert f'id="signataire_{drafting.hospital.organisation_id}_nom"' in body
    assert 'value="Marie Durand"' in body and 'value="Directrice"' in body


def test_unknown_template_is_a_404(client, drafting, login):
    login(drafting.staff)
    assert client.get(form_url(drafting, "inexistant")).status_code == 404
    assert client.post(form_url(drafting, "inexistant"), data={}).status_code == 404
