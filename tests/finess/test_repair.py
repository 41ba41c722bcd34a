"""Repairs of spreadsheet damage: what can be repaired without guessing is, the rest is refused or dropped."""

from datetime import date

import pytest

from registry.finess.repair import (
    ValueProblem, clean_city, optional, parse_date, repair_commune, repair_departement, repair_finess, repair_phone,
    repair_siret, split_routing_line,
)


@pytest.mark.parametrize("raw, repaired", [
    ("10000024", "010000024"), ("010000024", "010000024"), ("2A0000154", "2A0000154"),
    ("1000024", "1000024"), (" 970102018 ", "970102018"), ("2a0000154", "2A0000154"),
])
def test_finess_gets_its_zero_back_only_when_eight_digits(raw, repaired):
    assert repair_finess(raw) == repaired


@pytest.mark.parametrize("raw, repaired", [("1", "01"), ("01", "01"), ("9a", "9A"), ("2B", "2B"), ("", "")])
def test_departement_codes(raw, repaired):
    assert repair_departement(raw) == repaired


@pytest.mark.parametrize("raw, repaired", [("451", "451"), ("12", "012"), ("4", "004"), ("", "")])
def test_commune_numbers(raw, repaired):
    assert repair_commune(raw) == repaired


@pytest.mark.parametrize("raw, parsed", [
    ("1979-02-13", date(1979, 2, 13)), ("13/02/1979", date(1979, 2, 13)), ("1/2/2020", date(2020, 2, 1)),
    ("", None), ("  ", None),
])
def test_dates_iso_or_french(raw, parsed):
    assert parse_date(raw, "date d'ouverture") == parsed


@pytest.mark.parametrize("raw", ["13/02/79", "31/02/2020", "2020-13-01", "hier"])
def test_dates_that_would_need_a_guess_are_refused(raw):
    with pytest.raises(ValueProblem, match="date d'ouverture"):
        parse_date(raw, "date d'ouverture")


@pytest.mark.parametrize("raw, repaired", [
    ("474454647", "0474454647"), ("0474454647", "0474454647"), ("04 74 45 46 47", "0474454647"), ("", None),
])
def test_phones(raw, repaired):
    assert repair_phone(raw, "téléphone") == repaired


def test_a_phone_of_the_wrong_length_is_dropped_with_a_warning():
    warnings = []
    assert optional(repair_phone, "4744546", warnings, "téléphone") is None
    assert warnings == ["téléphone « 4744546 » invalide (10 chiffres attendus), valeur ignorée"]


@pytest.mark.parametrize("raw", ["2,601E+13", "2.601E+13", "2,60100045E+13"])
def test_siret_in_scientific_notation_cannot_be_repaired(raw):
    warnings = []
    assert optional(repair_siret, raw, warnings) is None
    assert "notation scientifique" in warnings[0]


def test_siret_kept_when_valid_and_dropped_when_its_key_is_wrong():
    warnings = []
    assert optional(repair_siret, "26010004500012", warnings) == "26010004500012"
    assert optional(repair_siret, "26010004500013", warnings) is None
    assert len(warnings) == 1 and "clé du SIRET" in warnings[0]


@pytest.mark.parametrize("raw, postal_code, city", [
    ("01440 VIRIAT", "01440", "VIRIAT"), ("97306 CAYENNE CEDEX", "97306", "CAYENNE"),
    ("01012 BOURG EN BRESSE CEDEX 01", "01012", "BOURG EN BRESSE"), ("", None, None),
])
def test_routing_line_gives_postal_code_and_city(raw, postal_code, city):
    assert split_routing_line(raw) == (postal_code, city)


def test_city_cleaning_keeps_names_that_merely_contain_cedex():
    assert clean_city("DIJON CEDEX") == "DIJON"
    assert clean_city("CEDEXVILLE") == "CEDEXVILLE"
