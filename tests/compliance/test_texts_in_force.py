"""The statutory conventions of the texts in force (docs/interface.md's readings of l6111_3_2 and l6111_3_3), and the
eligibility conditions of R6111-24 II the file can show."""

from datetime import date, timedelta

import pytest

from registry.compliance.verdicts import NOT_TRANSMITTED
from tests.compliance.builders import AT, CARE_THEMES, CHU_DIJON, CPTS_VAL, MEDECINS, convention, hospital, partner, \
    verdict

DAY = timedelta(days=1)
LISTED = date(2025, 3, 15)  # deadline 15 March 2026, passed on AT (1 June 2026)
RECENT = date(2025, 9, 1)   # deadline 1 September 2026, still running on AT
SUPPORT = partner("CHU Dijon Bourgogne", "second_recours", finess_et="210780581", finess_ej="210780581")


def partners_convention(reference="C-1", *partners, transmitted_on=AT - 30 * DAY, **values):
    return convention(reference, *(partners or (CPTS_VAL,)), themes=CARE_THEMES, legal_bases=["L6111-3-2"],
                      transmitted_on=transmitted_on, **values)


def ght_convention(reference="C-9", *partners, transmitted_on=AT - 30 * DAY, **values):
    return convention(reference, *(partners or (SUPPORT,)), legal_bases=["L6111-3-3"],
                      transmitted_on=transmitted_on, **values)


def public(**values):
    return hospital(**({"listed_on": LISTED, "legal_status": "public", "ght_support": "210780581"} | values))


# --- l6111_3_2 ---------------------------------------------------------------------------------------------------


def test_signed_in_force_and_transmitted_is_met_and_cites_the_article_and_deadline():
    result = verdict("l6111_3_2", hospital(listed_on=LISTED), [partners_convention()])

    assert (result.verdict, result.references) == ("satisfait", ["C-1"])
    assert result.reason.startswith("Article L6111-3-2 : convention à conclure dans un délai d'un an à compter de "
                                    "l'inscription sur la liste (le 15 mars 2025), soit au plus tard le 15 mars "
                                    "2026. La convention C-1 avec « CPTS du Val de Tille » est signée")
    assert result.reason.endswith("Transmise à l'ARS le 2 mai 2026.")
    assert result.deadline == date(2026, 3, 15) and result.flags == ()


def test_not_transmitted_is_at_risk_and_flagged():
    result = verdict("l6111_3_2", hospital(listed_on=LISTED), [partners_convention(transmitted_on=None)])

    assert result.verdict == "a_risque" and result.flags == (NOT_TRANSMITTED,)
    assert result.reason.endswith("Sa transmission à l'ARS n'est pas enregistrée : la loi demande qu'elle lui soit "
                                  "transmise.")


def test_transmitted_after_the_day_asked_about_is_not_yet_transmitted():
    result = verdict("l6111_3_2", hospital(listed_on=LISTED), [partners_convention(transmitted_on=AT + DAY)])

    assert result.verdict == "a_risque" and result.flags == (NOT_TRANSMITTED,)


def test_ending_within_90_days_is_at_risk_even_when_transmitted():
    result = verdict("l6111_3_2", hospital(listed_on=LISTED), [partners_convention(end_date=AT + 60 * DAY)])

    assert result.verdict == "a_risque" and result.flags == ()
    assert "prend fin le 31 juillet 2026" in result.reason


@pytest.mark.parametrize("status", ["brouillon", "en_negociation", "a_signer"])
def test_unsigned_within_the_year_is_at_risk_with_the_days_left(status):
    result = verdict("l6111_3_2", hospital(listed_on=RECENT), [partners_convention(status=status)])

    assert result.verdict == "a_risque" and result.deadline == date(2026, 9, 1)
    assert "Le délai court encore (92 jours)." in result.reason


def test_nothing_within_the_year_is_at_risk_and_after_it_missing():
    assert verdict("l6111_3_2", hospital(listed_on=RECENT)).verdict == "a_risque"
    late = verdict("l6111_3_2", hospital(listed_on=LISTED))
    assert late.verdict == "manquant"
    assert "Le délai est dépassé depuis le 15 mars 2026." in late.reason


def test_the_deadline_day_itself_is_still_within_the_year():
    assert verdict("l6111_3_2", hospital(listed_on=date(2025, 6, 1))).verdict == "a_risque"
    assert verdict("l6111_3_2", hospital(listed_on=date(2025, 5, 31))).verdict == "manquant"


def test_unsigned_after_the_year_is_missing():
    result = verdict("l6111_3_2", hospital(listed_on=LISTED), [partners_convention(status="a_signer")])

    assert result.verdict == "manquant"
    assert "n'est pas encore signée" in result.reason


def test_terminated_or_expired_does_not_count():
    terminated = partners_convention(status="resiliee", terminated_on=AT - 10 * DAY)
    expired = partners_convention("C-2", end_date=AT - DAY)

    result = verdict("l6111_3_2", hospital(listed_on=LISTED), [terminated, expired])

    assert result.verdict == "manquant"
    assert [item.reference for item in result.discarded] == ["C-1", "C-2"]


def test_only_a_convention_resting_on_l6111_3_2_counts():
    other_basis = convention("C-1", CPTS_VAL, themes=CARE_THEMES, transmitted_on=AT - DAY)

    assert verdict("l6111_3_2", hospital(listed_on=LISTED), [other_basis]).verdict == "manquant"


def test_a_primary_care_actor_must_be_a_partner():
    with_chu_only = partners_convention("C-1", CHU_DIJON)
    with_gps = partners_convention("C-2", MEDECINS)

    assert verdict("l6111_3_2", hospital(listed_on=LISTED), [with_chu_only]).verdict == "manquant"
    assert verdict("l6111_3_2", hospital(listed_on=LISTED), [with_gps]).verdict == "satisfait"


def test_listing_date_unknown_is_not_evaluated_unless_a_convention_is_in_force():
    assert verdict("l6111_3_2").verdict == "non_evalue"
    assert verdict("l6111_3_2", conventions=[partners_convention()]).verdict == "satisfait"


def test_before_the_listing_or_after_a_removal_it_is_not_required():
    assert verdict("l6111_3_2", hospital(listed_on=AT + DAY)).verdict == "non_requis"
    removed = verdict("l6111_3_2", hospital(listed_on=LISTED, removed_on=AT - DAY))
    assert removed.verdict == "non_requis" and "retiré de la liste" in removed.reason


# --- l6111_3_3 ---------------------------------------------------------------------------------------------------


def test_a_private_hdp_or_one_belonging_to_the_support_needs_no_ght_convention():
    private = verdict("l6111_3_3", hospital(listed_on=LISTED, legal_status="prive"))
    own = verdict("l6111_3_3", hospital(listed_on=LISTED, legal_status="public", ght_support="self"))

    assert private.verdict == own.verdict == "non_requis"
    assert "ne concerne que les hôpitaux de proximité publics" in private.reason
    assert "cet établissement informe l'ARS" in own.reason


def test_unknown_support_or_status_is_not_evaluated():
    assert verdict("l6111_3_3", hospital(listed_on=LISTED, legal_status="public")).verdict == "non_evalue"
    assert verdict("l6111_3_3", hospital(listed_on=LISTED, ght_support="210780581")).verdict == "non_evalue"


def test_the_convention_with_the_support_establishment_is_met():
    result = verdict("l6111_3_3", public(), [ght_convention()])

    assert (result.verdict, result.references) == ("satisfait", ["C-9"])
    assert result.reason.startswith("Article L6111-3-3 : convention à conclure dans un délai d'un an")


def test_the_support_is_recognised_by_its_legal_entity_number():
    site = partner("CHU Dijon – site du Bocage", "second_recours", finess_et="210987000", finess_ej="210780581")

    assert verdict("l6111_3_3", public(), [ght_convention("C-9", site)]).verdict == "satisfait"


def test_a_ght_convention_with_another_establishment_does_not_count():
    other = partner("CH de Beaune", "second_recours", finess_et="210000099", finess_ej="210000098")

    result = verdict("l6111_3_3", public(), [ght_convention("C-9", other)])

    assert result.verdict == "manquant"
    assert "Convention C-9 : aucune de ses parties n'est l'établissement support du GHT (FINESS 210780581)." in (
        result.reason)


def test_ght_convention_not_transmitted_or_late():
    assert verdict("l6111_3_3", public(), [ght_convention(transmitted_on=None)]).flags == (NOT_TRANSMITTED,)
    assert verdict("l6111_3_3", public(listed_on=RECENT)).verdict == "a_risque"


# --- R6111-24 II ------------------------------------------------------------------------------------------------


def test_primary_care_cooperation_is_shown_by_any_convention_with_a_primary_care_actor():
    shown = verdict("r6111_24_1_premier_recours", conventions=[convention("C-1", CPTS_VAL)])
    missing = verdict("r6111_24_1_premier_recours")

    assert shown.verdict == "satisfait"
    assert missing.verdict == "manquant"


def test_consultations_by_partners_shown_or_not_evaluated():
    shown = verdict("r6111_24_4_consultations",
                    conventions=[convention("C-1", CHU_DIJON, themes=["consultations_avancees"])])
    unknown = verdict("r6111_24_4_consultations")

    assert shown.verdict == "satisfait"
    assert unknown.verdict == "non_evalue"
    assert unknown.reason.startswith("Les consultations assurées par les médecins de l'hôpital lui-même ne sont pas "
                                     "enregistrées")


def test_recommended_partnerships_show_their_state():
    ehpad = partner("EHPAD Les Tilleuls", "ehpad", finess_et="210000010")
    in_force = verdict("recommande_ehpad", conventions=[convention("C-1", ehpad)])
    unsigned = verdict("recommande_ehpad", conventions=[convention("C-1", ehpad, status="a_signer")])

    assert (in_force.verdict, in_force.recommended) == ("satisfait", True)
    assert unsigned.verdict == "a_risque"
    assert verdict("recommande_ehpad").verdict == "non_requis"


def test_every_texts_in_force_verdict_cites_l6111_3_2_or_l6111_3_3():
    assert "L6111-3-2" in verdict("l6111_3_2", hospital(listed_on=LISTED)).citation
    assert "L6111-3-3" in verdict("l6111_3_3", public()).citation


# --- CPOM --------------------------------------------------------------------------------------------------------


def test_the_cpom_is_not_evaluated_without_one_and_decided_with_one():
    from registry.compliance.facts import CpomFacts

    five_years = CpomFacts(date(2024, 1, 1), date(2028, 12, 31), engagements=3)
    empty = CpomFacts(date(2024, 1, 1), date(2028, 12, 31))
    ended = CpomFacts(date(2019, 1, 1), date(2023, 12, 31), engagements=2)

    assert verdict("cpom").verdict == "non_evalue"
    met = verdict("cpom", hospital(cpoms=(five_years,)))
    assert met.verdict == "satisfait" and "CPOM en vigueur du 1er janvier 2024 au 31 décembre 2028, avec 3 " \
                                          "engagements applicables" in met.reason
    assert verdict("cpom", hospital(cpoms=(empty,))).verdict == "a_risque"
    late = verdict("cpom", hospital(cpoms=(ended,)))
    assert late.verdict == "a_risque" and late.reason.startswith("Aucun CPOM en vigueur à cette date")
