"""The rules as data: citations complete, codes as docs/interface.md lists them, vocabulary known, docs in step."""

from pathlib import Path

import pytest

from registry.compliance import document
from registry.compliance.requirements import VERDICT_LABELS, VERDICT_MEANINGS, VERDICTS
from registry.compliance.rules import CURRENT, R6111_26_2016, RULESETS, TEXTS_IN_FORCE
from registry.core.vocabulary import ACTIVITIES, EQUIPMENT, LEGAL_BASES, PARTNER_TYPES, THEMES

#: docs/interface.md, « R6111-26 requirements » and « verdicts ».
INTERFACE_CODES = ["1_premier_recours", "2a_second_recours", "2b_ehpad", "2b_ssr_usld", "3_coordination", "II_cpom"]
INTERFACE_VERDICTS = ["satisfait", "manquant", "a_risque", "non_requis", "non_evalue"]
#: docs/interface.md, « statutory conventions (the default rule set, texts in force) ».
STATUTORY_CODES = ["l6111_3_2", "l6111_3_3"]
DOCS = Path(__file__).resolve().parents[2] / "docs" / "compliance-rules.md"
ALL_REQUIREMENTS = {r.code: r for ruleset in RULESETS.values() for r in ruleset.requirements}.values()


@pytest.mark.parametrize("requirement", ALL_REQUIREMENTS, ids=lambda requirement: requirement.code)
def test_every_requirement_cites_article_item_and_text_version(requirement):
    citation = requirement.citation

    assert citation.article[0] in "LRD" and citation.article[1:5].isdigit()
    assert citation.text_version and citation.text_date and len(citation.quote) > 40
    item = f", {citation.item}" if citation.item else ""
    assert str(citation) == (f"Art. {citation.article}{item} du code de la santé publique "
                             f"({citation.text_version})")
    assert requirement.title and len(requirement.reading) > 100


def test_codes_match_interface():
    assert list(R6111_26_2016.codes) == INTERFACE_CODES
    assert list(CURRENT.codes[:2]) == STATUTORY_CODES
    assert sorted(VERDICTS) == sorted(INTERFACE_VERDICTS) == sorted(VERDICT_LABELS) == sorted(VERDICT_MEANINGS)


def test_the_texts_in_force_are_the_default_and_the_2016_rules_stay_apart():
    assert CURRENT is TEXTS_IN_FORCE and {"r6111-26-2016", "hdp-textes-en-vigueur"} == set(RULESETS)
    assert not set(CURRENT.codes) & set(R6111_26_2016.codes)
    assert CURRENT.label.startswith("Textes en vigueur : L6111-3-2, L6111-3-3 et R6111-24")
    assert "R6111-26" not in CURRENT.title and CURRENT.risk_window_days == 90
    assert [r.code for r in CURRENT.requirements if r.recommended] == [
        "recommande_ehpad", "recommande_ssr_usld", "recommande_coordination"]
    assert all(r.citation.article != "R6111-26" for r in CURRENT.requirements)


@pytest.mark.parametrize("requirement", ALL_REQUIREMENTS, ids=lambda requirement: requirement.code)
def test_rules_use_only_known_codes(requirement):
    for route in requirement.all_routes:
        assert route.partner_types <= set(PARTNER_TYPES)
        assert all(group and group <= set(THEMES) for group in route.themes)
    assert requirement.met_by_activities | requirement.waived_by_activities <= set(ACTIVITIES)
    assert {need.code for need in requirement.equipment} <= set(EQUIPMENT)
    assert {route.legal_basis for route in requirement.routes if route.legal_basis} <= set(LEGAL_BASES)
    ruleset = next(r for r in RULESETS.values() if requirement in r.requirements)
    assert set(requirement.refers_to) <= set(ruleset.codes)


def test_the_text_conditions_are_where_the_text_puts_them():
    old = R6111_26_2016
    territory = {r.code for r in old.requirements for route in r.routes if route.on_territory}
    assert territory == {"1_premier_recours", "2b_ehpad", "2b_ssr_usld"}
    for code in ("2b_ehpad", "2b_ssr_usld"):
        off_territory = [route for route in old.requirement(code).routes if not route.on_territory]
        assert len(off_territory) == 1 and off_territory[0].also_types == {"had"}
        assert "had" not in off_territory[0].partner_types  # strict reading: an HAD alone is neither
    assert old.requirement("2b_ehpad").waived_by_activities == {"ehpad"}
    assert old.requirement("2b_ssr_usld").waived_by_activities == {"ssr", "usld"}
    assert old.requirement("1_premier_recours").met_by_activities == {"medecins_liberaux"}
    assert not any(route.on_territory for r in CURRENT.requirements if not r.recommended for route in r.routes)


def test_docs_are_generated_from_the_rules():
    text = DOCS.read_text(encoding="utf-8")

    assert text == document.render(), "run: .venv/bin/python -m registry.compliance.document > " + str(DOCS)
    for requirement in ALL_REQUIREMENTS:
        assert f"### `{requirement.code}`" in text
        assert str(requirement.citation) in text and requirement.reading in text
