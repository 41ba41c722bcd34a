"""What a hospital lawyer checks in every shipped template (convention_templates/README.md): the competent court
follows the parties' nature, no gender or number placeholder, no repealed basis, the ARS listing from the
registry; the three statutory conventions (L6111-3-2, L6111-3-3, D6124-204) carry their legal content; the
manifests say which texts they rest on."""

import json
import re
from dataclasses import replace

import pytest

from registry.documents import ManifestError, parse_manifest, render_convention, validate_manifest
from registry.documents.text import document_text
from tests.documents.data import (CODES, FIELD_VALUES, HOSPITAL, PRIVATE_HOSPITAL, TEMPLATES_DIR, convention_context,
                                  demo_finess_rows, private_partners)

ADMINISTRATIVE = "tribunal administratif"
JUDICIAL = "le tribunal judiciaire territorialement compétent"


def render(library, code, cache, **options) -> str:
    template = library.get(code)
    return document_text(render_convention(template.read(), convention_context(template, **options), cache=cache))


@pytest.mark.parametrize("code", CODES)
def test_the_court_is_administrative_only_when_a_public_person_is_party(library, code, cache):
    public = render(library, code, cache)
    assert "devant le tribunal administratif territorialement compétent, soit le tribunal administratif de Dijon" \
        in public
    assert JUDICIAL not in public
    private = render(library, code, cache, hospital=PRIVATE_HOSPITAL, partners=private_partners(code))
    assert ADMINISTRATIVE not in private and "tribunal administratif de Dijon" not in private
    assert f"le différend est porté devant {JUDICIAL}." in private
    mixed = render(library, code, cache, hospital=PRIVATE_HOSPITAL, partners=[
        *private_partners(code)[:-1], replace(private_partners(code)[-1], public_person="public")])
    assert "le tribunal administratif territorialement compétent" in mixed and JUDICIAL not in mixed


@pytest.mark.parametrize("code", CODES)
def test_conciliation_then_mediation_come_before_any_court(library, code, cache):
    text = render(library, code, cache)
    conciliation = text.index("recherche une conciliation")
    assert conciliation < text.index("recourent à une médiation") < text.index("le différend est porté devant")


@pytest.mark.parametrize("code", CODES)
@pytest.mark.parametrize("ticked", ["all", "none"])
def test_no_placeholder_agreement_nor_repealed_basis_survives(library, code, cache, ticked):
    template = library.get(code)
    text = render(library, code, cache, clauses=None if ticked == "all" else set())
    for leftover in ("(e)", "(s)", "représenté(e)", "dénommé", "habilité(e)", "{{", "{%"):
        assert leftover not in text, leftover
    assert not re.search(r"\w\((e|s|es)\)", text)
    assert "R. 6111-26" not in text and "circulaire" not in text.lower()
    assert "Pour le Centre hospitalier de Haute Côte\u2011d'Or" in text  # a non-breaking hyphen in the signature table
    assert "agissant pour son site « Hôpital de Saulieu »" in text and "dont le siège est situé" in text
    assert "pouvoir de signer : article L. 6143-7 du code de la santé publique" in text
    assert "Vu l'arrêté du directeur général de l'agence régionale de santé fixant la liste des hôpitaux de " \
           "proximité de la région, sur laquelle l'hôpital de proximité est inscrit depuis le 2 mai 2022 " \
           "(référence : Arrêté DG ARS BFC n° DOS/ASPU/2022-118) ;" in text
    for article in ("Dispositions financières", "Responsabilités et assurances", "Résiliation",
                    "Secret professionnel et protection des données personnelles"):
        assert article in text
    assert "radié de la liste des hôpitaux de proximité" in text
    assert "article 26 du RGPD" in text and "identifiant national de santé (INS)" in text
    assert "L. 1142-2" in text and "pour les patients d'une autre partie ou dans ses locaux" in text
    assert template.manifest.legal_texts


@pytest.mark.parametrize("code", CODES)
def test_the_financial_article_follows_the_choice(library, code, cache):
    free = render(library, code, cache)
    assert "n'emporte aucune contrepartie financière" in free and "- Annexe financière" not in free
    paid = render(library, code, cache, fields={"financial_terms": "Contreparties financières définies en annexe",
                                                "financial_details": "remboursement du temps médical"})
    assert "contreparties financières définies dans l'annexe financière : remboursement du temps médical" in paid
    assert "Annexe financière" in paid and "règles de la commande publique" in paid


FOLLOW_UP_BODIES = next(f["choices"] for f in json.loads((TEMPLATES_DIR / "l6111_3_2.json").read_text(
    encoding="utf-8"))["fields"] if f["name"] == "follow_up_body")


@pytest.mark.parametrize("choice", FOLLOW_UP_BODIES)
def test_the_partners_convention_names_its_follow_up_body(library, cache, choice):
    text = render(library, "l6111_3_2", cache, fields={"follow_up_body": choice, "follow_up_details": ""})
    assert ("l'instance chargée de suivre et d'évaluer la mise en œuvre des coopérations est "
            f"{choice}. Elle est l'instance chargée du suivi de la convention.") in text
    created = choice == "l'instance de suivi créée par la présente convention"
    assert ("Composition et règles de fonctionnement de l'instance de suivi" in text) is created


def test_the_partners_convention_has_the_content_of_article_l6111_3_2(library, cache):
    text = render(library, "l6111_3_2", cache)
    assert "une convention avec ses partenaires. La présente convention est conclue en application de cet article." \
        in text
    assert "inscrit sur la liste régionale depuis le 2 mai 2022 ; le délai d'un an" in text
    for scope in ("accès aux soins : " + FIELD_VALUES["scope_access"], "permanence des soins : "
                  + FIELD_VALUES["scope_pds"], "organisation des parcours de santé : " + FIELD_VALUES["scope_pathways"]):
        assert scope in text
    assert "les coopérations suivantes sont établies entre les parties :\n" + FIELD_VALUES["existing_cooperations"][0] \
        in text
    assert "\n".join(FIELD_VALUES["planned_cooperations"]) in text
    assert "n'engage pas individuellement les professionnels de santé" in text
    assert "aucune obligation de garde, d'astreinte ou de disponibilité" in text
    assert "transmet la présente convention au directeur général de l'agence régionale de santé dès sa signature, " \
           "ainsi que chacun de ses avenants, en application de l'article L. 6111-3-2" in text
    assert "L'établissement de santé dont relève l'hôpital de proximité transmet" in text  # the EJ acts for its site
    bare = render(library, "l6111_3_2", cache, fields={"existing_cooperations": [], "planned_cooperations": []})
    assert "aucune coopération formalisée n'est établie" in bare and "chacune fait l'objet d'un avenant" in bare
    manifest = library.get("l6111_3_2").manifest
    assert {"cpts", "msp", "centre_sante", "other", "ehpad", "had", "second_recours"} <= set(manifest.partner_types)


def test_the_telemedicine_roles_follow_the_partner(library, cache):
    ehpad = render(library, "ehpad", cache)
    assert "un médecin de l'hôpital de proximité donne une consultation à distance à un patient ou à un résident " \
           "suivi par le partenaire" in ehpad
    assert "L'hôpital de proximité répond aux demandes de téléexpertise" in ehpad
    second = render(library, "second_recours", cache)
    assert "un médecin du partenaire donne une consultation à distance à un patient pris en charge par l'hôpital" \
        in second
    assert "Le partenaire répond aux demandes de téléexpertise" in second


def test_the_ght_convention_has_the_content_of_article_l6111_3_3(library, cache):
    text = render(library, "l6111_3_3", cache)
    assert "Vu la convention constitutive du groupement hospitalier de territoire Côte-d'Or Sud ;" in text
    assert "en application de l'article L. 6111-3-2 du code de la santé publique (convention du 2 avril 2023) ;" in text
    assert "définit les obligations réciproques de l'hôpital de proximité et de l'établissement support" in text
    assert "\n".join(FIELD_VALUES["support_items"]) in text
    assert "la présente convention ne l'obligeant pas par elle-même" in text  # other GHT members are not parties
    assert "participe au projet médical partagé du groupement, notamment pour les filières suivantes :\n" \
           + "\n".join(FIELD_VALUES["pmp_filieres"]) in text
    assert "au regard de la convention qu'il a conclue avec ses partenaires" in text
    assert "transmet la présente convention au directeur général de l'agence régionale de santé dès sa signature, " \
           "ainsi que chacun de ses avenants, en application de l'article L. 6111-3-3" in text
    assert library.get("l6111_3_3").manifest.partner_types == ("second_recours",)


def test_the_had_esms_convention_follows_article_d6124_204(library, cache):
    text = render(library, "had_esms", cache)
    assert "« l'établissement d'HAD » désigne le partenaire, titulaire de l'autorisation d'activité de soins " \
           "d'hospitalisation à domicile (autorisation du directeur général de l'ARS du 1er juin 2023 ; mention : " \
           "socle)" in text
    for heading in ("Conditions de l'intervention de l'établissement d'HAD", "Protocoles de soins",
                    "Accès des personnels au dossier du patient", "Circuits du médicament",
                    "Évaluation de l'organisation"):
        assert heading in text
    assert "transmet la présente convention à l'agence régionale de santé et à l'organisme local d'assurance " \
           "maladie compétents sans délai après la prise en charge en hospitalisation à domicile du troisième " \
           "résident de l'établissement d'hébergement et au plus tard six mois après la prise en charge du premier " \
           "résident" in text
    assert "Copie de l'autorisation d'activité de soins d'hospitalisation à domicile" in text
    other = render(library, "had_esms", cache, fields={"esms_scope": "Autre établissement d'hébergement",
                                                       "had_holder": "l'hôpital de proximité"})
    assert "Conditions de l'intervention de l'établissement d'HAD" in other
    assert "Protocoles de soins" not in other and "Circuits du médicament" not in other
    assert "« l'établissement d'HAD » désigne l'hôpital de proximité" in other
    assert "« l'établissement d'hébergement » désigne le partenaire" in other


@pytest.mark.parametrize("number", ["15", "116 117"])
def test_pdsa_regulation_is_the_number_the_dg_ars_chose(library, cache, number):
    text = render(library, "pdsa_mmg", cache, fields={"regulation_number": number})
    assert f"après régulation médicale téléphonique par le {number}, numéro retenu pour la région" in text
    assert "(116 117) ou par le numéro national d'aide médicale urgente (15)" in text
    assert "évalué par un professionnel de santé de l'hôpital" in text  # reorientation after triage only


def test_the_smr_partner_states_its_authorisation_and_mentions(library, cache):
    text = render(library, "ssr_usld", cache)
    assert "au titre de l'autorisation suivante : autorisation de soins médicaux et de réadaptation du 1er juin " \
           "2023 (mentions : système nerveux, locomoteur)" in text
    had = render(library, "had", cache)
    assert "autorisation d'activité de soins d'hospitalisation à domicile suivante : autorisation du directeur " \
           "général de l'ARS du 1er juin 2023 (mention : socle)" in had
    assert "la présente convention ne les oblige pas" in had  # no obligation on the libéraux


def test_a_single_ht_place_is_written_in_letters(library, cache):
    text = render(library, "ehpad", cache, fields={"ht_places": 1})
    assert "réserve une place d'hébergement temporaire" in text
    assert "réserve deux places" in render(library, "ehpad", cache)


@pytest.mark.parametrize("code", CODES)
def test_manifests_say_which_texts_they_rest_on(code):
    data = json.loads((TEMPLATES_DIR / f"{code}.json").read_text(encoding="utf-8"))
    manifest = parse_manifest(data)
    assert manifest.legal_texts and all(re.fullmatch(r"[LRD]\d{4}(-\d+)+", base) for base in manifest.legal_bases)
    cited = {text.article for text in manifest.legal_texts}
    assert set(manifest.legal_bases) <= cited and all(text.version for text in manifest.legal_texts)
    assert "R6111-26" not in cited
    listed = manifest.as_dict()
    assert listed["legal_bases"] == data["legal_bases"] and listed["legal_texts"] == data["legal_texts"]
    assert manifest.themes  # the always-present articles evidence at least one theme
    assert manifest.themes_for(set()) == manifest.themes
    every = manifest.themes_for(manifest.clause_codes)
    assert set(every) == set(manifest.themes) | {t for c in manifest.clauses for t in c.themes}
    assert "administrative_court" not in {f.name for f in manifest.fields if f.required}


def test_legal_bases_of_the_shipped_templates():
    bases = {code: parse_manifest(json.loads((TEMPLATES_DIR / f"{code}.json").read_text(encoding="utf-8"))).legal_bases
             for code in CODES}
    assert bases == {"l6111_3_2": ("L6111-3-2",), "l6111_3_3": ("L6111-3-3",), "had_esms": ("D6124-204",),
                     "second_recours": ("R6111-24", "L6316-1"), "pdsa_mmg": ("R6315-3",), "dac": ("L6327-2",),
                     # recommended partnerships, no statutory convention: their texts are in legal_texts
                     "ehpad": (), "ssr_usld": (), "had": (), "premier_recours": ()}


def test_themes_for_the_ticked_clauses():
    manifest = parse_manifest({"code": "t", "name": "T", "themes": ["pdsa"], "clauses": [
        {"code": "a", "label": "A", "themes": ["telemedecine", "pdsa"]}, {"code": "b", "label": "B"},
        {"code": "c", "label": "C", "themes": ["plateau_technique"]}]})
    assert manifest.themes_for({"a"}) == ("pdsa", "telemedecine")
    assert manifest.themes_for({"c", "b"}) == ("pdsa", "plateau_technique")
    assert manifest.themes_for(None) == ("pdsa",)
    assert manifest.as_dict()["clauses"][0]["themes"] == ["telemedecine", "pdsa"]


@pytest.mark.parametrize("data, message", [
    ({"legal_bases": ["L. 6111-3-2"]}, "Article invalide 'L. 6111-3-2'"),
    ({"legal_bases": ["L6111"]}, "Article invalide 'L6111'"),
    ({"legal_bases": [""]}, "Article invalide ''"),
    ({"legal_bases": "L6111-3-2"}, "« legal_bases » doit être une liste"),
    ({"legal_bases": ["L6111-3-2", "L6111-3-2"]}, "cite deux fois"),
    ({"legal_texts": [{"article": "L6111-3-2"}]}, "« version » doit être un texte non vide"),
    ({"legal_texts": [{"article": "L6111-3-2", "version": "x", "url": "y"}]}, "Clé inconnue « url »"),
    ({"clauses": [{"code": "a", "label": "A", "themes": ["nope"]}]}, "Code inconnu « nope »"),
])
def test_bad_legal_keys_are_refused(data, message):
    manifest = {"code": "t", "name": "T", **data}
    problems = validate_manifest(manifest)
    assert any(message in p.message for p in problems), [p.message for p in problems]
    with pytest.raises(ManifestError):
        parse_manifest(manifest)


def test_good_legal_keys_are_accepted():
    manifest = parse_manifest({"code": "t", "name": "T", "legal_bases": ["L6111-3-2", "D6124-204", "R6111-24"],
                               "legal_texts": [{"article": "L6111-3-2", "version": "ordonnance n° 2021-582"}]})
    assert manifest.legal_bases == ("L6111-3-2", "D6124-204", "R6111-24")
    assert manifest.as_dict()["legal_texts"] == [{"article": "L6111-3-2", "version": "ordonnance n° 2021-582"}]
    assert HOSPITAL.public_person == "public"


def _finess_party(finess_et: str, types=(), **extra):
    """A party drafted from a real row of the demo FINESS extract, as the registry gives it (capitals)."""
    from types import SimpleNamespace

    from registry.documents.context import party_from_organisation

    values = demo_finess_rows()[finess_et]
    organisation = SimpleNamespace(display_name=None, rna=None, partner_types=types, source="finess", **{
        key: values[key] for key in ("name", "finess_et", "finess_ej", "siret", "address", "postal_code", "city",
                                     "phone", "sph_label", "sph_code", "category_code")})
    return party_from_organisation(organisation, profile=None, **extra)


@pytest.mark.parametrize("code, partner_et, partner_name, status, designation", [
    ("ehpad", "210950028", "EHPAD L'Esperance", "", "l'EHPAD L'Esperance"),  # FINESS: SPH « Non concerné »
    ("second_recours", "210987558", "Hôpital Le Bocage CHRU Dijon", "établissement public de santé, ",
     "l'Hôpital Le Bocage CHRU Dijon")])
def test_a_draft_from_finess_rows_is_in_french_typography(library, cache, code, partner_et, partner_name, status,
                                                          designation):
    hospital = _finess_party("210987582", public_person="public")
    partner = _finess_party(partner_et, types=[code])
    assert hospital.name == "CENTRE HOSPITALIER D'IS-SUR-TILLE"  # the registry's value is kept as FINESS gives it
    template = library.get(code)
    data = render_convention(template.read(), convention_context(template, hospital=hospital, partners=[partner]),
                             cache=cache)
    text = document_text(data)
    assert "Centre hospitalier d'Is-sur-Tille – Convention n°" in text  # the running header
    assert "Centre hospitalier d'Is-sur-Tille, établissement public de santé, FINESS juridique n°" in text
    assert "situé 21 rue Victor Hugo, 21120 Is-sur-Tille" in text
    assert f"{partner_name}, {status}FINESS juridique n°" in text and f"ci-après « {designation} »" in text
    assert "Etablissement" not in text and "Non concerné" not in text
    assert "« l'hôpital de proximité » désigne le Centre hospitalier d'Is-sur-Tille" in text
    assert "IS-SUR-TILLE" not in text and "IS SUR TILLE" not in text and "R VICTOR HUGO" not in text
    assert not re.search(r"\b[A-Z]{2,}(?: [A-Z]{2,}){2,}", text.replace("ENTRE LES SOUSSIGNÉS", "")
                         .replace("CONVENTION DE PARTENARIAT", "").replace("IL A ÉTÉ CONVENU CE QUI SUIT", ""))
    assert "Pour le Centre hospitalier d'Is\u2011sur\u2011Tille" in text  # no line break inside the signature's name
    assert f"Pour {designation}" in text
    for leftover in ("(e)", "(s)", "ci-après dénommé"):
        assert leftover not in text
