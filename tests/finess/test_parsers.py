"""Format readers: etalab structureet lines and FHIR Organization resources into Organisation values."""

import json
from datetime import date

from registry.finess.etalab import commune_code, parse_structure
from registry.finess.fhir import parse_location, parse_organization
from registry.finess.rows import IMPORTED_COLUMNS
from tests.finess.helpers import FHIR_SAMPLE, excel_resaved, fields_of, sample_lines, with_field


def _fleyriat() -> str:
    return sample_lines()[1]


def test_a_real_structureet_line():
    parsed = parse_structure(fields_of(_fleyriat()))
    assert parsed.problem is None and parsed.warnings == []
    values = parsed.values
    assert values["finess_et"] == "010000024" and values["finess_ej"] == "010780054"
    assert values["name"] == "CH DE FLEYRIAT"
    assert values["long_name"] == "CENTRE HOSPITALIER DE BOURG-EN-BRESSE FLEYRIAT"
    assert values["address"] == "900 RTE DE PARIS"
    assert (values["postal_code"], values["city"], values["commune_code"]) == ("01440", "VIRIAT", "01451")
    assert (values["departement"], values["region"]) == ("01", "84")
    assert values["siret"] == "26010004500012" and values["phone"] == "0474454647"
    assert (values["category_code"], values["aggregate_code"], values["sph_code"]) == ("355", "1102", "1")
    assert values["opened_on"] == date(1979, 2, 13) and values["finess_updated_on"] == date(2020, 2, 4)


def test_quoted_fields_with_doubled_quotes():
    mayotte = next(line for line in sample_lines() if line.startswith("structureet;980501506"))
    values = parse_structure(fields_of(mayotte)).values
    assert values["name"] == 'LIEU DE VIE "MAVOUNA MEMA 1"'
    assert (values["departement"], values["region"], values["commune_code"]) == ("9F", "06", "97606")


def test_the_excel_resaved_line_is_repaired_except_its_siret():
    parsed = parse_structure(fields_of(excel_resaved(_fleyriat())))
    assert parsed.problem is None
    original = parse_structure(fields_of(_fleyriat())).values
    assert parsed.values == {**original, "siret": None}
    assert parsed.warnings == ["SIRET « 2,601E+13 » en notation scientifique (chiffres perdus par un tableur), "
                               "valeur ignorée"]


def test_a_truncated_line_is_refused_but_keeps_its_departement():
    parsed = parse_structure(fields_of(_fleyriat())[:20])
    assert parsed.problem == "ligne tronquée : 20 champs au lieu de 32"
    assert parsed.departement == "01"


def test_a_line_with_extra_values_is_refused():
    parsed = parse_structure(fields_of(_fleyriat()) + ["X"])
    assert parsed.problem == "ligne trop longue : 33 champs au lieu de 32"


def test_unknown_or_missing_departement_is_refused():
    assert parse_structure(fields_of(with_field(_fleyriat(), 13, "20"))).problem == "département « 20 » inconnu"
    assert parse_structure(fields_of(with_field(_fleyriat(), 13, ""))).problem == "département manquant"


def test_unknown_category_and_missing_name_are_refused():
    assert "catégorie « 35 » inconnue" in parse_structure(fields_of(with_field(_fleyriat(), 18, "35"))).problem
    assert parse_structure(fields_of(with_field(_fleyriat(), 3, " "))).problem == "raison sociale manquante"


def test_wrong_keys_are_refused_for_et_and_ej():
    assert parse_structure(fields_of(with_field(_fleyriat(), 1, "010000025"))).problem.startswith("FINESS ET")
    assert parse_structure(fields_of(with_field(_fleyriat(), 2, "010780055"))).problem.startswith("FINESS EJ")


def test_a_value_too_long_for_its_column_is_refused_rather_than_failing_the_import():
    parsed = parse_structure(fields_of(with_field(_fleyriat(), 3, "X" * 201)))
    assert parsed.problem == "raison sociale : 201 caractères, 200 au plus"


def test_overseas_commune_codes():
    assert commune_code("9A", "123") == "97123"
    assert commune_code("9J", "613") == "98613"
    assert commune_code("9D", "123") is None
    assert commune_code("2A", "004") == "2A004"


def _first_resources():
    with FHIR_SAMPLE.open(encoding="utf-8") as handle:
        return json.loads(handle.readline()), json.loads(handle.readline())


def test_a_real_fhir_organization():
    organization, _location = _first_resources()
    parsed = parse_organization(organization)
    assert parsed.problem is None
    values = parsed.values
    assert (values["finess_et"], values["finess_ej"]) == ("210001384", "210985735")
    assert (values["name"], values["category_code"], values["aggregate_code"]) == ("SPASAD SEURRE ADMR", "209", "4605")
    assert (values["postal_code"], values["city"], values["commune_code"]) == ("21250", "SEURRE", None)
    assert (values["departement"], values["region"]) == ("21", "27")
    assert values["address"] == "14 IMP DU FAUBOURG SAINT GEORGES"
    assert values["siret"] == "77821418900111" and values["ape_code"] == "8690D"
    assert values["opened_on"] == date(1988, 1, 1) and values["finess_updated_on"] == date(2020, 10, 23)


def test_a_real_fhir_location():
    _organization, location = _first_resources()
    finess_et, latitude, longitude = parse_location(location)
    assert finess_et == "210001384"
    assert round(latitude, 4) == 46.9955 and round(longitude, 4) == 5.1471


def test_both_formats_fill_exactly_the_imported_columns():
    organization, _location = _first_resources()
    assert set(parse_structure(fields_of(_fleyriat())).values) == set(IMPORTED_COLUMNS)
    assert set(parse_organization(organization).values) == set(IMPORTED_COLUMNS)


def test_a_short_code_too_long_for_its_column_is_refused():
    parsed = parse_structure(fields_of(with_field(_fleyriat(), 26, "123")))
    assert parsed.problem == "code SPH : 3 caractères, 2 au plus"
