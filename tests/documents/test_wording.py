"""French wording of generated conventions: numbers in letters, FINESS names, addresses and city names in French
typography (checked on real rows of the demo FINESS extract), articles, non-breaking hyphens."""

import re

import pytest

from registry.documents.sandbox import ENVIRONMENT
from registry.documents.wording import (ACRONYMS, NON_BREAKING_HYPHEN, duration_in_letters, legal_status_phrase,
                                        long_city, long_street, non_breaking, number_in_letters, typographic_name,
                                        with_article)
from tests.documents.data import demo_finess_rows


@pytest.mark.parametrize("value, words", [(0, "zéro"), (1, "un"), (6, "six"), (17, "dix-sept"), (21, "vingt-et-un"),
                                          (36, "trente-six"), (71, "soixante-et-onze"), (80, "quatre-vingts"),
                                          (99, "quatre-vingt-dix-neuf"), (100, "cent"), (240, "deux-cent-quarante"),
                                          (None, None), ("6", "6"), (True, True), (1000, 1000)])
def test_numbers_in_letters(value, words):
    assert number_in_letters(value) == words


@pytest.mark.parametrize("months, words", [(36, "trois ans"), (12, "un an"), (18, "dix-huit mois"),
                                           (30, "deux ans et six mois"), (6, "six mois"), (60, "cinq ans")])
def test_durations_in_letters(months, words):
    assert duration_in_letters(months) == words


def test_the_letters_filter_is_available_to_templates():
    assert ENVIRONMENT.from_string("{{ n|letters }} mois").render(n=6) == "six mois"


@pytest.mark.parametrize("finess, long", [
    ("21 R VICTOR HUGO", "21 rue Victor Hugo"), ("1 BD JEANNE D'ARC", "1 boulevard Jeanne d'Arc"),
    ("900 RTE DE PARIS", "900 route de Paris"), ("12 BIS AV DE LA GARE", "12 bis avenue de la Gare"),
    ("PL DU MARCHE", "place du Marche"), ("3 CHE DES VIGNES", "3 chemin des Vignes"),
    ("4 IMP DU MOULIN", "4 impasse du Moulin"), ("5 ALL DES TILLEULS", "5 allée des Tilleuls"),
    ("2 rue Courtépée", "2 rue Courtépée"), ("", ""), (None, ""),
    ("8 PL DE L HOPITAL", "8 place de l'Hopital"), ("6 AV ST EXUPERY", "6 avenue Saint-Exupery"),
    ("3 RLE CARNOT", "3 ruelle Carnot"), ("1 CHEMIN DES BAINS", "1 chemin des Bains"), ("BP 97", "BP 97"),
    ("6 R HENRI CHALLAND BP 89", "6 rue Henri Challand BP 89"), ("DOM DES PIONS", "domaine des Pions"),
    ("ZAC DU PARC DE LA SANTE", "ZAC du Parc de la Sante"), ("10 QUA DES ECOLES", "10 quartier des Ecoles"),
    ("2 QUAI DE LA MARNE", "2 quai de la Marne")])
def test_finess_street_abbreviations_in_long_form(finess, long):
    assert long_street(finess) == long


@pytest.mark.parametrize("finess, long", [
    ("IS SUR TILLE", "Is-sur-Tille"), ("DIJON CEDEX", "Dijon Cedex"), ("LE CREUSOT", "Le Creusot"),
    ("ST JEAN DE LOSNE", "Saint-Jean-de-Losne"), ("SEMUR EN AUXOIS", "Semur-en-Auxois"),
    ("DIJON CEDEX 9", "Dijon Cedex 9"), ("Semur-en-Auxois", "Semur-en-Auxois"),
    ("L ISLE SUR SEREIN", "L'Isle-sur-Serein"), ("ISSY L EVEQUE", "Issy-l'Eveque"),
    ("COSNE COURS SUR LOIRE CEDE", "Cosne-Cours-sur-Loire Cedex")])
def test_city_names_in_long_form(finess, long):
    assert long_city(finess) == long


@pytest.mark.parametrize("name, designation", [
    ("Centre hospitalier de Semur", "le Centre hospitalier de Semur"), ("Association Appui", "l'Association Appui"),
    ("EHPAD Les Tilleuls", "l'EHPAD Les Tilleuls"), ("Hôpital de Saulieu", "l'Hôpital de Saulieu"),
    ("CPTS du Morvan", "la CPTS du Morvan"), ("Maison de santé", "la Maison de santé"),
    ("CH D'IS-SUR-TILLE", "le CH D'IS-SUR-TILLE"), ("Korian", "Korian"), ("Le Village", "Le Village")])
def test_a_name_with_its_article(name, designation):
    assert with_article(name) == designation


@pytest.fixture(scope="module")
def demo_rows():
    return demo_finess_rows()


# Real rows of the demo FINESS extract (January 2021): FINESS ET, then the name, street and city for the drafts.
@pytest.mark.parametrize("finess_et, name, street, city", [
    ("210987582", "Centre hospitalier d'Is-sur-Tille", "21 rue Victor Hugo", "Is-sur-Tille"),
    ("210950028", "EHPAD L'Esperance", "24 rue de Gray", "Dijon"),
    ("210984423", "EHPAD du CH d'Is-sur-Tille", "19 rue Victor Hugo", "Is-sur-Tille"),
    ("210003539", "SSIAD Is-sur-Tille CH", "21 rue Victor Hugo", "Is-sur-Tille"),
    ("210781589", "EHPAD Résidence médicalisée de l'Auxois", "5 avenue Pasteur", "Semur-en-Auxois"),
    ("210013447", "USLD CHU de Dijon Champmaillot", "2 rue Jules Violle", "Dijon"),
    ("710010067", "CH du Pays Charolais Brionnais", "boulevard des Charmes", "Paray-le-Monial"),
    ("890002157", "EHPAD L'Isle-sur-Serein", "3 rue Joffre", "L'Isle-sur-Serein"),
    ("890972870", "EHPAD Le Village Saint-Georges/Baulche", "place Georges Pompidou", "Saint-Georges-sur-Baulche"),
    ("210987699", "Centre hospitalier Robert Morlevat", "3 avenue Pasteur", "Semur-en-Auxois"),
    ("580780849", "EHPAD Les Bles d'Or", "Le Bourg", "Achun"),
    ("210005849", "EHPAD Les Terrasses du Suzon", "14 rue des Alisiers", "Messigny-et-Vantoux"),
    ("210006698", "SPASAD Semur-en-Auxois Portesdumorvan", "22 rue de la Liberté", "Semur-en-Auxois"),
])
def test_finess_capitals_in_french_typography_on_real_rows(demo_rows, finess_et, name, street, city):
    row = demo_rows[finess_et]
    assert (typographic_name(row["name"]), long_street(row["address"]), long_city(row["city"])) == (name, street, city)


@pytest.mark.parametrize("finess, typographic", [
    ("CENTRE HOSPITALIER D IS SUR TILLE", "Centre hospitalier d'Is-sur-Tille"),  # FINESS's space for an apostrophe
    ("SSIAD DU CH DE CHAGNY", "SSIAD du CH de Chagny"), ("EHPAD LA MAISON DE THERESE", "EHPAD La Maison de Therese"),
    ("MSP NEUVY SUR LOIRE", "MSP Neuvy-sur-Loire"), ("HOPITAL DE JOUR ADULTES", "Hôpital de jour adultes"),
    ("CPTS DU PAYS DE L AUXOIS", "CPTS du Pays de l'Auxois"), ("EHPAD ST JOSEPH", "EHPAD Saint-Joseph"),
    ("Maison de santé de Saulieu", "Maison de santé de Saulieu"), ("", ""), (None, "")])
def test_a_name_in_french_typography(finess, typographic):
    assert typographic_name(finess) == typographic


def test_every_demo_name_keeps_its_acronyms_and_only_them_in_capitals(demo_rows):
    for row in demo_rows.values():
        name = typographic_name(row["name"])
        for acronym in ("EHPAD", "SSIAD", "CHU", "USLD", "MSP", "CPTS", "CH"):
            assert (acronym in row["name"].split()) <= (acronym in name.split()), row["name"]
        capitals = [word for word in re.split(r"[\s/']+", name) if len(word) > 1 and word.isupper()]
        assert all(word in ACRONYMS or not set(word) & set("AEIOUY") for word in capitals), (row["name"], name)


def test_hyphens_do_not_break_in_the_signature_table():
    assert non_breaking("Centre hospitalier d'Is-sur-Tille") == f"Centre hospitalier d'Is{NON_BREAKING_HYPHEN}sur" \
                                                                f"{NON_BREAKING_HYPHEN}Tille"
    assert non_breaking(None) is None
    assert ENVIRONMENT.from_string("{{ n|nobreak }}").render(n="Côte-d'Or") == "Côte\u2011d&#39;Or"


@pytest.mark.parametrize("label, phrase", [
    ("Etablissement public de santé", "établissement public de santé"),
    ("Etablissement de santé privé d'intérêt collectif", "établissement de santé privé d'intérêt collectif"),
    ("Etab de santé privé non lucratif, non déclar intérêt collect", "établissement de santé privé à but non lucratif"),
    ("Non concerné", ""), ("indéterminé", ""), (None, ""), ("Association régie par la loi de 1901",
                                                           "association régie par la loi de 1901")])
def test_finess_sph_labels_as_a_legal_status(label, phrase):
    assert legal_status_phrase(label) == phrase
