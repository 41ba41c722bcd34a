"""The official list of communes: a commune found by name, postcode or INSEE code, with French errors."""

import pytest

from registry.organisations.communes import CommuneError, find_commune, resolve_commune, suggest_communes


@pytest.mark.parametrize("text, code", [
    ("Is-sur-Tille", "21317"),
    ("IS SUR TILLE", "21317"),  # FINESS writing: capitals, no hyphens
    ("  is sur  tille ", "21317"),
    ("ST JEAN DE LOSNE", "21554"),  # abbreviation
    ("Saint-Jean-de-Losne", "21554"),
    ("21317", "21317"),  # INSEE code
    ("21000", "21231"),  # Dijon's postcode (no commune has INSEE code 21000)
    ("Macon", "71270"),  # accents optional
    ("Ajaccio", "2A004"),  # Corsica: code with a letter
    ("2a004", "2A004"),
    ("Bastia", "2B033"),
    ("Les Abymes (971)", "97101"),  # overseas, with the département as people write it
    ("Saint-Martin (32)", "32389"),
    ("Sainte-Colombe (21317)", None),  # a code that is not this name's: nothing
])
def test_resolve_commune(text, code):
    if code is None:
        with pytest.raises(CommuneError):
            resolve_commune(text)
        return
    assert resolve_commune(text).code == code


def test_found_commune_knows_its_departement_and_postcodes():
    abymes = resolve_commune("Les Abymes")
    assert (abymes.departement, abymes.departement_number, abymes.label) == ("9A", "971", "Les Abymes (971)")
    assert abymes.postal_codes == ("97139", "97142") and abymes.postal_code is None
    assert resolve_commune("Is-sur-Tille").postal_code == "21120"
    assert find_commune("2b033").name == "Bastia" and find_commune("99999") is None and find_commune(None) is None


def test_ambiguous_name_lists_the_candidates_in_french():
    with pytest.raises(CommuneError) as raised:
        resolve_commune("Saint-Martin")
    message = raised.value.message
    assert message.startswith("plusieurs communes portent le nom « Saint-Martin » : précisez laquelle, "
                              "par exemple « Saint-Martin (32) »")
    assert "Saint-Martin (54)" in message and "Saint-Martin (67)" in message
    assert [c.label for c in raised.value.candidates] == ["Saint-Martin (32)", "Saint-Martin (54)",
                                                           "Saint-Martin (65)", "Saint-Martin (67)"]


def test_departement_narrows_an_ambiguous_name():
    assert resolve_commune("Saint-Rémy", "21").code == "21568"
    assert resolve_commune("Saint-Rémy (21)").code == "21568"
    with pytest.raises(CommuneError, match=r"\(et 2 autres\)"):
        resolve_commune("Sainte-Colombe")  # 12 communes: ten listed


def test_code_that_is_also_a_postcode_asks_which():
    """21120 is La Bussière-sur-Ouche's INSEE code and Is-sur-Tille's postcode (among others)."""
    with pytest.raises(CommuneError) as raised:
        resolve_commune("21120")
    assert raised.value.message.startswith("plusieurs communes portent le code 21120 (code INSEE ou code postal)")
    labels = [c.label for c in raised.value.candidates]
    assert labels[0] == "La Bussière-sur-Ouche (21)" and "Is-sur-Tille (21)" in labels
    assert resolve_commune("21120", postcodes=False).name == "La Bussière-sur-Ouche"  # the API's INSEE code


@pytest.mark.parametrize("text, message", [
    ("Is-su", "aucune commune ne correspond à « Is-su »"),
    ("Is-sur-Tile", "aucune commune ne correspond à « Is-sur-Tile » ; communes approchantes : Is-sur-Tille (21)"),
    ("Dijo", "aucune commune ne correspond à « Dijo » ; communes approchantes : Dijon (21)"),
    ("99999", "aucune commune ne correspond à « 99999 »"),
    ("", "indiquez la commune"),
])
def test_unknown_commune_is_explained_in_french(text, message):
    with pytest.raises(CommuneError) as raised:
        resolve_commune(text)
    assert raised.value.message.startswith(message)


def test_suggestions_by_name_code_or_postcode():
    assert [c.label for c in suggest_communes("is-sur")] == ["Is-sur-Tille (21)"]
    assert "Dijon (21)" in [c.label for c in suggest_communes("21000")]
    assert [c.code for c in suggest_communes("2A00", limit=3)] == ["2A001", "2A004", "2A006"]
    assert all(c.departement == "21" for c in suggest_communes("saint", departement="21"))
    assert suggest_communes("d") == []

