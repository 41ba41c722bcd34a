"""Safe file names: one path component, plain ASCII, bounded, never a way out of the bundle's folders."""

import pytest

from registry.bundles.names import MAX_COMPONENT, fold, safe_name, unique_names


@pytest.mark.parametrize("text, expected", [
    ("../../etc/passwd", "etc passwd"),
    ("..\\..\\windows\\system32", "windows system32"),
    ("EHPAD Côte-d'Or / Nièvre", "EHPAD Cote-d'Or Nievre"),
    ("ŒUVRE SOCIALE « L'ÂGE D'OR »", "OEUVRE SOCIALE L'AGE D'OR"),
    ("a\x00b\x1fc\nd\te", "a b c d e"),
    ("CH. DE BEAUNE...", "CH. DE BEAUNE"),
    ("...", "sans nom"),
    ("", "sans nom"),
    ("CON", "_CON"),
    ("nul.txt", "_nul.txt"),
    ("<CPTS>: \"sud\" | nord? *", "CPTS sud nord"),
])
def test_hostile_and_accented_names_become_one_plain_component(text, expected):
    assert safe_name(text) == expected


@pytest.mark.parametrize("first, second", [
    ("210987582-2026-001", "EHPAD LE CHÂTEAU"),
    ("ŒUVRE", "\u0301ÉTÉ"),  # a combining accent at the start of the second part
    ("CPTS « SUD »", "Maison de santé / Straße"),
    ("", "ÆØ\x00"),
])
def test_a_text_folds_as_its_parts_folded_one_by_one(first, second):
    # bundles fold each partner's name once and join them (manifest._file_name)
    assert fold(f"{first}, {second}") == f"{fold(first)}, {fold(second)}" and fold(fold(second)) == fold(second)


def test_no_separator_or_dot_dot_ever_survives():
    for text in ["../../etc/passwd", "a/../b", "/absolute", "\\\\server\\share", "x" * 10 + "/.." * 50]:
        name = safe_name(text, extension=".pdf")
        assert "/" not in name and "\\" not in name and ".." not in name
        assert not name.startswith((".", " ", "-")) and name.endswith(".pdf")


def test_long_names_are_cut_keeping_the_extension():
    name = safe_name("210987582-2026-001 " + "CENTRE HOSPITALIER TRES LONG " * 20, extension=".pdf")
    assert len(name) <= MAX_COMPONENT and name.endswith(".pdf") and name.startswith("210987582-2026-001 CENTRE")
    assert not name[:-4].endswith((" ", "."))


def test_collisions_get_a_number_in_order_ignoring_letter_case():
    assert unique_names(["A.pdf", "a.pdf", "B.pdf", "A.pdf"], extension=".pdf") == [
        "A.pdf", "a (2).pdf", "B.pdf", "A (3).pdf"]


def test_a_numbered_long_name_stays_within_the_bound():
    long = safe_name("X" * 300, extension=".pdf")
    names = unique_names([long, long], extension=".pdf")
    assert names[0] != names[1] and names[1].endswith(" (2).pdf") and len(names[1]) <= MAX_COMPONENT
