"""The rules as data: citations complete, codes as INTERFACE.md lists them, vocabulary known, docs in step."""

from pathlib import Path

import pytest

from registry.compliance import document
from registry.compliance.r6111_24 import EQUIPMENT
from registry.compliance.requirements import VERDICT_LABELS, VERDICT_MEANINGS, VERDICTS
from registry.compliance.rules import CURRENT, R6111_26_2016, RULESETS
from registry.core.vocabulary import ACTIVITIES, PARTNER_TYPES, THEMES

#: INTERFACE.md, « R6111-26 requirements » and « verdicts ».
INTERFACE_CODES = ["1_premier_recours", "2a_second_recours", "2b_ehpad", "2b_ssr_usld", "3_coordination", "II_cpom"]
INTERFACE_VERDICTS = ["satisfait", "manquant", "a_risque", "non_requis"]
DOCS = Path(__file__).resolve().parents[2] / "docs" / "compliance-rules.md"
ALL_REQUIREMENTS = {r.code: r for ruleset in RULESETS.values() for r in ruleset.requirements}.values()


@pytest.mark.parametrize("requirement", ALL_REQUIREMENTS, ids=lambda requirement: requirement.code)
def test_every_requirement_cites_article_item_and_text_version(requirement):
    citation = requirement.citation

    assert citation.article.startswith("R6111-")
    assert citation.item and citation.text_version and citation.text_date and len(citation.quote) > 40
    assert str(citation) == (f"Art. {citation.article}, {citation.item} du code de la santé publique "
                             f"({citation.text_version})")
    assert requirement.title and len(requirement.reading) > 100


def test_codes_match_interface_and_the_addition_is_marked():
    assert list(R6111_26_2016.codes) == INTERFACE_CODES
    assert [r.code for r in CURRENT.requirements if r.in_interface] == INTERFACE_CODES
    additions = [r for r in CURRENT.requirements if not r.in_interface]
    assert [r.code for r in additions] == ["R6111_24_plateau_technique"]
    assert "INTERFACE.md" in additions[0].addition_note
    assert sorted(VERDICTS) == sorted(INTERFACE_VERDICTS) == sorted(VERDICT_LABELS) == sorted(VERDICT_MEANINGS)


def test_the_current_rule_set_keeps_the_2016_requirements_unchanged():
    assert CURRENT.requirements[:len(R6111_26_2016.requirements)] == R6111_26_2016.requirements
    assert {"r6111-26-2016", "hdp-textes-en-vigueur"} == set(RULESETS)
    assert CURRENT.label == "R6111-26 (rédaction de 2016) et R6111-24 II (rédaction de 2021), version 1"
    assert CURRENT.risk_window_days == 90


@pytest.mark.parametrize("requirement", ALL_REQUIREMENTS, ids=lambda requirement: requirement.code)
def test_rules_use_only_known_codes(requirement):
    for route in requirement.all_routes:
        assert route.partner_types <= set(PARTNER_TYPES)
        assert all(group and group <= set(THEMES) for group in route.themes)
    assert requirement.met_by_activities | requirement.waived_by_activities <= set(ACTIVITIES)
    assert {need.code for need in requirement.equipment} <= set(EQUIPMENT)
    assert set(requirement.refers_to) <= set(CURRENT.codes)


def test_the_text_conditions_are_where_the_text_puts_them():
    territory = {r.code for r in CURRENT.requirements for route in r.routes if route.on_territory}
    assert territory == {"1_premier_recours", "2b_ehpad", "2b_ssr_usld"}
    for code in ("2b_ehpad", "2b_ssr_usld"):
        had = [route for route in CURRENT.requirement(code).routes if route.partner_types == {"had"}]
        assert len(had) == 1 and not had[0].on_territory
    assert CURRENT.requirement("2b_ehpad").waived_by_activities == {"ehpad"}
    assert CURRENT.requirement("2b_ssr_usld").waived_by_activities == {"ssr", "usld"}
    assert CURRENT.requirement("1_premier_recours").met_by_activities == {"medecins_liberaux"}


def test_docs_are_generated_from_the_rules():
    text = DOCS.read_text(encoding="utf-8")

    assert text == document.render(), "run: .venv/bin/python -m registry.compliance.document > " + str(DOCS)
    for requirement in ALL_REQUIREMENTS:
        assert f"### `{requirement.code}`" in text
        assert str(requirement.citation) in text and requirement.reading in text
