"""The checker on the edges the issue lists: where a convention stands on the day, and which evidence wins."""

from datetime import date, timedelta

import pytest

from registry.compliance.checker import evaluate
from registry.compliance.facts import ConventionFacts, PartnerFacts
from registry.compliance.rules import CURRENT, R6111_26_2016
from tests.clock import TODAY
from tests.compliance.builders import (AT, CITATIONS, EHPAD_PARIS, EHPAD_TILLEULS, HAD_LYON, SSR_DIJON, YEAR,
                                       convention, hospital, verdict)

DAY = timedelta(days=1)


EHPAD_MISSING = ("Aucune convention signée et en vigueur avec un EHPAD de son territoire, ni avec un EHPAD qui "
                 "exerce aussi une activité d'HAD, où qu'il soit situé.")


def test_no_partner_and_no_convention_leaves_every_2016_partnership_missing():
    verdicts = evaluate(hospital(), [], AT, ruleset=R6111_26_2016)

    assert [v.code for v in verdicts] == list(R6111_26_2016.codes)
    assert {v.code: v.verdict for v in verdicts} == {
        "1_premier_recours": "manquant", "2a_second_recours": "manquant", "2b_ehpad": "manquant",
        "2b_ssr_usld": "manquant", "3_coordination": "manquant", "II_cpom": "non_evalue"}
    assert all(v.citation == CITATIONS[v.code] for v in verdicts)
    ehpad = verdicts[2]
    assert ehpad.reason == EHPAD_MISSING
    assert ehpad.evidence == () and ehpad.discarded == ()


def test_the_texts_in_force_are_the_default_and_recommend_without_requiring():
    verdicts = evaluate(hospital(listed_on=AT - 2 * YEAR, legal_status="public"), [], AT)

    assert [v.code for v in verdicts] == list(CURRENT.codes)
    assert {v.code: v.verdict for v in verdicts} == {
        "l6111_3_2": "manquant", "l6111_3_3": "non_evalue", "r6111_24_1_premier_recours": "manquant",
        "r6111_24_4_consultations": "non_evalue", "r6111_24_4_plateau_technique": "non_evalue",
        "cpom": "non_evalue", "recommande_ehpad": "non_requis", "recommande_ssr_usld": "non_requis",
        "recommande_coordination": "non_requis"}
    assert all(v.citation == CITATIONS[v.code] for v in verdicts)
    assert [v.code for v in verdicts if v.recommended] == [
        "recommande_ehpad", "recommande_ssr_usld", "recommande_coordination"]
    assert verdicts[6].reason == "Partenariat recommandé, non exigé par les textes en vigueur. " + EHPAD_MISSING


def test_a_partner_without_convention_is_named():
    result = verdict("2b_ehpad", hospital(partners=(EHPAD_TILLEULS, EHPAD_PARIS, SSR_DIJON)))

    assert result.verdict == "manquant"
    assert result.reason.endswith("Partenaires sans convention : l'EHPAD « EHPAD Les Tilleuls » et l'EHPAD "
                                  "« EHPAD Montsouris » (hors du territoire).")


@pytest.mark.parametrize("status, label", [("brouillon", "brouillon"), ("en_negociation", "en négociation"),
                                           ("a_signer", "à signer")])
def test_an_unsigned_convention_puts_the_requirement_at_risk(status, label):
    result = verdict("2b_ehpad", conventions=[convention("C-1", EHPAD_TILLEULS, status=status)])

    assert result.verdict == "a_risque"
    assert result.reason == (f"La convention C-1 avec « EHPAD Les Tilleuls » n'est pas encore signée "
                             f"(statut : {label}).")
    assert result.references == ["C-1"] and result.evidence[0].state == "non_signee"


def test_signed_but_starting_next_month_is_at_risk():
    result = verdict("2b_ehpad", conventions=[
        convention("C-1", EHPAD_TILLEULS, signed_on=date(2026, 5, 20), effective_date=date(2026, 7, 1))])

    assert result.verdict == "a_risque"
    assert result.reason == ("La convention C-1 avec « EHPAD Les Tilleuls » est signée le 20 mai 2026 mais "
                             "n'entre en vigueur que le 1er juillet 2026.")


def test_signed_and_in_force_satisfies_with_its_evidence():
    result = verdict("2b_ehpad", conventions=[convention("C-1", EHPAD_TILLEULS)])

    assert result.verdict == "satisfait"
    assert result.reason == ("La convention C-1 avec « EHPAD Les Tilleuls » est signée le 1er juin 2025 et en "
                             "vigueur depuis le 1er juin 2025 jusqu'au 31 mai 2030.")
    evidence = result.evidence[0]
    assert (evidence.reference, evidence.partners, evidence.partner_types) == (
        "C-1", ("EHPAD Les Tilleuls",), ("ehpad",))
    assert (evidence.signed_on, evidence.effective_date, evidence.last_day) == (
        date(2025, 6, 1), date(2025, 6, 1), date(2030, 5, 31))


def test_ending_in_30_days_is_at_risk():
    result = verdict("2b_ehpad", conventions=[convention("C-1", EHPAD_TILLEULS, end_date=AT + 30 * DAY)])

    assert result.verdict == "a_risque"
    assert result.reason == ("La convention C-1 avec « EHPAD Les Tilleuls » est en vigueur mais prend fin le "
                             "1er juillet 2026, dans 30 jours. À renouveler.")


def test_ending_in_91_days_is_not_at_risk_yet():
    result = verdict("2b_ehpad", conventions=[convention("C-1", EHPAD_TILLEULS, end_date=AT + 91 * DAY)])

    assert result.verdict == "satisfait"


def test_tacit_renewal_is_not_an_end():
    result = verdict("2b_ehpad", conventions=[
        convention("C-1", EHPAD_TILLEULS, end_date=AT + 30 * DAY, tacit_renewal=True, renewed=True)])

    assert result.verdict == "satisfait"
    assert "reconduite tacitement (période en cours jusqu'au 1er juillet 2026)" in result.reason


def test_a_tacit_renewal_still_in_its_first_period_is_not_said_renewed():
    result = verdict("2b_ehpad", conventions=[
        convention("C-1", EHPAD_TILLEULS, end_date=AT + 30 * DAY, tacit_renewal=True)])

    assert result.verdict == "satisfait"
    assert "pour une première période jusqu'au 1er juillet 2026, reconductible tacitement ensuite." in result.reason
    assert "reconduite" not in result.reason


def test_expired_yesterday_does_not_count():
    result = verdict("2b_ehpad", conventions=[convention("C-1", EHPAD_TILLEULS, end_date=AT - DAY)])

    assert result.verdict == "manquant"
    assert result.reason == EHPAD_MISSING + " Convention C-1 : expirée le 31 mai 2026."
    assert result.evidence == () and result.discarded[0].reference == "C-1"


def test_ending_today_still_counts_but_at_risk():
    result = verdict("2b_ehpad", conventions=[convention("C-1", EHPAD_TILLEULS, end_date=AT)])

    assert result.verdict == "a_risque"
    assert "prend fin le 1er juin 2026, aujourd'hui même" in result.reason


def test_terminated_does_not_count():
    result = verdict("2b_ehpad", conventions=[
        convention("C-1", EHPAD_TILLEULS, status="resiliee", terminated_on=date(2026, 3, 1))])

    assert result.verdict == "manquant"
    assert result.reason.endswith("Convention C-1 : résiliée, plus en vigueur depuis le 1er mars 2026.")


def test_termination_taking_effect_within_the_window_is_at_risk():
    result = verdict("2b_ehpad", conventions=[
        convention("C-1", EHPAD_TILLEULS, status="resiliee", terminated_on=AT + 10 * DAY)])

    assert result.verdict == "a_risque"
    assert "prend fin le 10 juin 2026 (résiliation à effet du 11 juin 2026), dans 9 jours" in result.reason


def test_the_day_the_termination_takes_effect_it_no_longer_counts():
    result = verdict("2b_ehpad", conventions=[
        convention("C-1", EHPAD_TILLEULS, status="resiliee", terminated_on=AT)])

    assert result.verdict == "manquant"


def test_at_in_the_past_counts_what_was_in_force_then():
    expired = convention("C-1", EHPAD_TILLEULS, signed_on=date(2020, 1, 10), effective_date=date(2020, 2, 1),
                         end_date=date(2025, 1, 31))
    today = verdict("2b_ehpad", conventions=[expired])
    then = verdict("2b_ehpad", conventions=[expired], at=date(2023, 6, 1))

    assert today.verdict == "manquant" and "expirée le 31 janvier 2025" in today.reason
    assert then.verdict == "satisfait"
    assert "en vigueur depuis le 1er février 2020 jusqu'au 31 janvier 2025" in then.reason


def test_at_in_the_past_sees_a_later_signature_as_not_yet_signed():
    signed_later = convention("C-1", EHPAD_TILLEULS, signed_on=date(2026, 1, 15),
                              effective_date=date(2026, 2, 1))

    result = verdict("2b_ehpad", conventions=[signed_later], at=date(2025, 12, 1))

    assert result.verdict == "a_risque"
    assert result.reason == ("La convention C-1 avec « EHPAD Les Tilleuls » n'était pas encore signée à cette "
                             "date (signée le 15 janvier 2026).")


def test_at_in_the_past_ignores_a_draft_created_afterwards():
    draft = convention("C-1", EHPAD_TILLEULS, status="brouillon", created_on=date(2026, 5, 1))

    assert verdict("2b_ehpad", conventions=[draft], at=date(2025, 12, 1)).verdict == "manquant"
    assert verdict("2b_ehpad", conventions=[draft]).verdict == "a_risque"


def test_an_old_convention_registered_recently_counts_from_its_signature():
    registered = convention("C-1", EHPAD_TILLEULS, created_on=date(2026, 5, 1), signed_on=date(2019, 3, 1),
                            effective_date=date(2019, 3, 1), end_date=None)

    assert verdict("2b_ehpad", conventions=[registered], at=date(2020, 1, 1)).verdict == "satisfait"


def test_in_force_beats_a_draft_and_the_later_end_wins():
    conventions = [convention("C-1", EHPAD_TILLEULS, status="brouillon"),
                   convention("C-2", EHPAD_TILLEULS, end_date=date(2027, 12, 31)),
                   convention("C-3", EHPAD_TILLEULS, end_date=date(2029, 12, 31)),
                   convention("C-4", EHPAD_TILLEULS, end_date=AT + 10 * DAY)]

    result = verdict("2b_ehpad", conventions=conventions)

    assert result.verdict == "satisfait"
    assert result.references == ["C-3", "C-2"]
    assert result.reason.startswith("La convention C-3 ")
    assert result.reason.endswith("Autres conventions en vigueur : C-2.")


def test_open_ended_beats_a_dated_end():
    result = verdict("2b_ehpad", conventions=[convention("C-1", EHPAD_TILLEULS),
                                              convention("C-2", EHPAD_TILLEULS, end_date=None)])

    assert result.references == ["C-2", "C-1"]
    assert "sans date de fin" in result.reason


def test_among_risks_the_convention_in_force_comes_first():
    conventions = [convention("C-1", EHPAD_TILLEULS, status="en_negociation", end_date=None),
                   convention("C-2", EHPAD_TILLEULS, end_date=AT + 20 * DAY)]

    result = verdict("2b_ehpad", conventions=conventions)

    assert result.verdict == "a_risque"
    assert result.references == ["C-2", "C-1"]
    assert result.reason.endswith("À renouveler. Autres conventions en cours : C-1.")


def test_a_signed_successor_without_gap_keeps_the_requirement_met():
    ending = convention("C-1", EHPAD_TILLEULS, end_date=AT + 20 * DAY)
    successor = convention("C-2", EHPAD_TILLEULS, signed_on=AT - 5 * DAY, effective_date=AT + 21 * DAY,
                           end_date=AT + 5 * YEAR)

    result = verdict("2b_ehpad", conventions=[ending, successor])

    assert result.verdict == "satisfait"
    assert result.references == ["C-1", "C-2"]
    assert result.reason.endswith("Elle est relayée sans interruption par la convention C-2 avec « EHPAD Les "
                                  "Tilleuls », signée le 27 mai 2026, en vigueur à partir du 22 juin 2026.")


def test_a_successor_starting_after_a_gap_leaves_the_risk():
    ending = convention("C-1", EHPAD_TILLEULS, end_date=AT + 20 * DAY)
    late = convention("C-2", EHPAD_TILLEULS, signed_on=AT - 5 * DAY, effective_date=AT + 40 * DAY)

    assert verdict("2b_ehpad", conventions=[ending, late]).verdict == "a_risque"


def test_the_order_of_the_conventions_does_not_change_the_verdicts():
    conventions = [convention("C-1", EHPAD_TILLEULS, end_date=date(2027, 1, 1)),
                   convention("C-2", SSR_DIJON, HAD_LYON, status="a_signer"),
                   convention("C-3", EHPAD_PARIS), convention("C-4", EHPAD_TILLEULS, end_date=date(2027, 1, 1))]

    assert evaluate(hospital(), conventions, AT) == evaluate(hospital(), conventions[::-1], AT)


def test_at_defaults_to_today():
    today = TODAY
    current = convention("C-1", EHPAD_TILLEULS, signed_on=today - YEAR, effective_date=today - YEAR,
                         end_date=today + YEAR)

    assert verdict("2b_ehpad", conventions=[current], at=None).verdict == "satisfait"


def test_every_verdict_names_its_rule_set_and_reading():
    verdicts = evaluate(hospital(), [], AT, ruleset=R6111_26_2016)

    assert [v.code for v in verdicts] == ["1_premier_recours", "2a_second_recours", "2b_ehpad", "2b_ssr_usld",
                                          "3_coordination", "II_cpom"]
    assert {v.ruleset for v in verdicts} == {"R6111-26 (décret n° 2016-658 du 20 mai 2016), version 2"}
    assert all(v.reading == R6111_26_2016.requirement(v.code).reading for v in verdicts)


def test_as_dict_is_the_interface_payload_entry():
    result = verdict("2b_ehpad", conventions=[convention("C-1", EHPAD_TILLEULS)])

    payload = result.as_dict()

    assert {key: payload[key] for key in ("code", "verdict", "citation", "evidence")} == {
        "code": "2b_ehpad", "verdict": "satisfait", "citation": CITATIONS["2b_ehpad"], "evidence": ["C-1"]}
    assert payload["reason"] == result.reason and result.label == "Satisfait"


def test_facts_refuse_unknown_codes_and_freeze_lists():
    with pytest.raises(ValueError, match="status"):
        ConventionFacts(reference="C-1", status="signed")
    with pytest.raises(ValueError, match="theme"):
        ConventionFacts(reference="C-1", status="signee", themes=["continuity"])
    with pytest.raises(ValueError, match="internal_activities"):
        hospital(internal_activities=["chirurgie"])
    facts = ConventionFacts(reference="C-1", status="signee", partner_types=["ehpad"],
                            partners=[PartnerFacts(name="X", partner_types=["ehpad"])])
    assert facts.partner_types == frozenset({"ehpad"}) and isinstance(facts.partners, tuple)
    assert hash(facts)
