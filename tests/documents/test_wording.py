"""French wording of generated conventions: numbers in letters, FINESS addresses and city names, articles."""

import pytest

from registry.documents.sandbox import ENVIRONMENT
from registry.documents.wording import duration_in_letters, long_city, long_street, number_in_letters, with_article


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
    ("2 rue Courtépée", "2 rue Courtépée"), ("", ""), (None, "")])
def test_finess_street_abbreviations_in_long_form(finess, long):
    assert long_street(finess) == long


@pytest.mark.parametrize("finess, long", [
    ("IS SUR TILLE", "Is-sur-Tille"), ("DIJON CEDEX", "Dijon Cedex"), ("LE CREUSOT", "Le Creusot"),
    ("ST JEAN DE LOSNE", "Saint-Jean-de-Losne"), ("SEMUR EN AUXOIS", "Semur-en-Auxois"),
    ("DIJON CEDEX 9", "Dijon Cedex 9"), ("Semur-en-Auxois", "Semur-en-Auxois")])
def test_city_names_in_long_form(finess, long):
    assert long_city(finess) == long


@pytest.mark.parametrize("name, designation", [
    ("Centre hospitalier de Semur", "le Centre hospitalier de Semur"), ("Association Appui", "l'Association Appui"),
    ("EHPAD Les Tilleuls", "l'EHPAD Les Tilleuls"), ("Hôpital de Saulieu", "l'Hôpital de Saulieu"),
    ("CPTS du Morvan", "la CPTS du Morvan"), ("Maison de santé", "la Maison de santé"),
    ("CH D'IS-SUR-TILLE", "le CH D'IS-SUR-TILLE"), ("Korian", "Korian"), ("Le Village", "Le Village")])
def test_a_name_with_its_article(name, designation):
    assert with_article(name) == designation
