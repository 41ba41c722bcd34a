"""FINESS check keys, Corsica and overseas included, on real published numbers."""

import pytest

from registry.organisations.identifiers import departement_of_finess, finess_problem, finess_with_key

# Real numbers published in the Journal officiel: arrêté du 4 mars 2015 (établissements isolés), annexe,
# "Corse": Clinique du sud de la Corse 2A0000154, CH Corte 2B0004246 / 2B0000038, CH Calvi 2B0005342 /
# 2B0005359. And CH de Bastia 2B0000012 (FINESS géographique quoted in a public RCP report).
# Their keys are right when the letter is read as 1 (2A) or 2 (2B); reading it as 0 validates none of them.
CORSICA = ["2A0000154", "2B0004246", "2B0000038", "2B0005342", "2B0005359", "2B0000012"]


@pytest.mark.parametrize("number", CORSICA)
def test_real_corsican_numbers_are_valid(number):
    assert finess_problem(number) is None


@pytest.mark.parametrize("number", CORSICA)
def test_a_corsican_number_with_another_key_is_refused(number):
    wrong = number[:8] + str((int(number[8]) + 1) % 10)
    assert "clé de contrôle" in finess_problem(wrong)


def test_corsican_key_is_not_the_letter_read_as_zero():
    # 2A000015 with the key computed on "20000015" would end in 8; the real number ends in 4.
    assert finess_with_key("2A000015") == "2A0000154"
    assert finess_problem("2A0000158") is not None


@pytest.mark.parametrize("number", ["970102018", "970300026", "970400024", "980501506", "980600027"])
def test_overseas_numbers_start_with_97_or_98(number):
    assert finess_problem(number) is None


@pytest.mark.parametrize("number, reason", [
    ("9A0000000", "département"), ("200000004", "département"), ("01000002", "9 caractères"),
    ("01000002X", "caractères"), ("010000025", "clé"), (None, "manquant"),
])
def test_invalid_numbers_say_why(number, reason):
    assert reason in finess_problem(number)


@pytest.mark.parametrize("number, departement", [
    ("010000024", "01"), ("2A0000154", "2A"), ("970102018", "9A"), ("970210126", "9B"), ("970300026", "9C"),
    ("970400024", "9D"), ("980501506", "9F"), ("980600027", "9J"), ("975000000", None),
])
def test_departement_of_a_finess_number(number, departement):
    assert departement_of_finess(number) == departement


def test_finess_with_key_makes_valid_numbers():
    numbers = [finess_with_key(f"{prefix}{serial:06d}") for prefix in ("01", "2A", "2B", "95", "97")
               for serial in (0, 1, 123456, 999999)]
    assert all(finess_problem(number) is None for number in numbers)
