"""Each requirement's own reading: partner types, themes, territory, activities run inside, equipment, CPOM."""

from functools import partial

from registry.compliance import checker
from registry.compliance.rules import R6111_26_2016
from tests.compliance.builders import (AT, CARE_THEMES, CHU_DIJON, CPTS_JURA, CPTS_VAL, DAC_21, EHPAD_PARIS,
                                       EHPAD_TILLEULS, HAD_LYON, LABO, MEDECINS, SECOND_RECOURS_THEMES, SSR_DIJON,
                                       SSR_LYON, USLD_BEAUNE, convention, hospital, partner, verdict)

#: These scenarios read the 2016 rule set unless they name a requirement of the texts in force.
evaluate = partial(checker.evaluate, ruleset=R6111_26_2016)

# --- 1° premier recours --------------------------------------------------------------------------------------


def test_primary_care_met_by_community_gps_practising_inside_once_the_ars_confirms_it():
    confirmed = verdict("1_premier_recours", hospital(internal_activities={"medecins_liberaux"},
                                                      confirmed_activities={"medecins_liberaux"}))
    declared = verdict("1_premier_recours", hospital(internal_activities={"medecins_liberaux"}))

    assert confirmed.verdict == "satisfait"
    assert confirmed.reason == ("Satisfait par l'activité exercée au sein de l'hôpital : « Médecins généralistes "
                                "libéraux exerçant en son sein » (déclarée dans son profil et confirmée par l'ARS).")
    assert declared.verdict == "non_evalue"
    assert declared.reason.startswith("L'hôpital déclare exercer lui-même l'activité « Médecins généralistes "
                                      "libéraux exerçant en son sein », que l'ARS n'a pas encore confirmée")


def test_a_declared_activity_does_not_hide_a_convention_that_meets_the_requirement():
    facts = hospital(internal_activities={"medecins_liberaux"})
    result = verdict("1_premier_recours", facts, [convention("C-1", CPTS_VAL, themes=CARE_THEMES)])

    assert result.verdict == "satisfait" and result.references == ["C-1"]


def test_primary_care_met_by_a_cpts_convention_covering_both_themes():
    result = verdict("1_premier_recours", conventions=[convention("C-1", CPTS_VAL, themes=CARE_THEMES)])

    assert result.verdict == "satisfait" and result.references == ["C-1"]
    assert "« CPTS du Val de Tille »" in result.reason


def test_a_registered_convention_s_declared_themes_are_said_to_be_checked():
    registered = convention("C-1", CPTS_VAL, themes=CARE_THEMES, themes_declared=True)
    drafted = convention("C-2", CPTS_VAL, themes=CARE_THEMES)

    assert verdict("1_premier_recours", conventions=[registered]).reason.endswith(
        "Ses thèmes (« Continuité médicale des soins », « Retour et maintien à domicile ») sont déclarés par "
        "l'hôpital : à vérifier sur la copie signée.")
    assert "déclarés" not in verdict("1_premier_recours", conventions=[drafted]).reason


def test_primary_care_counts_community_gps_registered_as_other_partner():
    result = verdict("1_premier_recours", conventions=[convention("C-1", MEDECINS, themes=CARE_THEMES)])

    assert result.verdict == "satisfait"
    assert "« Médecins généralistes du canton »" in result.reason


def test_primary_care_needs_both_continuity_and_return_home():
    result = verdict("1_premier_recours", conventions=[convention("C-1", CPTS_VAL, themes=["continuite_soins"])])

    assert result.verdict == "manquant"
    assert result.reason.endswith("Convention C-1 : ne couvre pas « Retour et maintien à domicile ».")


def test_primary_care_partner_must_be_on_the_territory():
    result = verdict("1_premier_recours", conventions=[convention("C-1", CPTS_JURA, themes=CARE_THEMES)])

    assert result.verdict == "manquant"
    assert result.reason.endswith("Convention C-1 : la CPTS « CPTS du Jura Nord » est hors du territoire de "
                                  "l'hôpital (département 39).")


def test_primary_care_is_not_met_by_a_maison_medicale_de_garde():
    mmg = partner("MMG de Dijon", "mmg")

    assert verdict("1_premier_recours", conventions=[convention("C-1", mmg, themes=CARE_THEMES)]).verdict == (
        "manquant")


# --- 2° a) second recours --------------------------------------------------------------------------------------


def test_second_recours_with_orientation_and_telemedicine():
    result = verdict("2a_second_recours", conventions=[
        convention("C-1", CHU_DIJON, themes=["orientation", "telemedecine"])])

    assert result.verdict == "satisfait"


def test_second_recours_without_orientation_is_missing_and_says_so():
    result = verdict("2a_second_recours", conventions=[
        convention("C-1", CHU_DIJON, themes=["consultations_avancees"])])

    assert result.verdict == "manquant"
    assert result.reason.endswith("Convention C-1 : ne couvre pas « Orientation des patients ».")


def test_second_recours_has_no_territory_condition():
    far = partner("CHU de Lyon", "second_recours", departement="69")

    assert verdict("2a_second_recours", conventions=[
        convention("C-1", far, themes=SECOND_RECOURS_THEMES)]).verdict == "satisfait"


# --- 2° b) EHPAD and SSR/USLD -----------------------------------------------------------------------------------


def test_ehpad_run_inside_makes_the_ehpad_partnership_unnecessary_only():
    facts = hospital(internal_activities={"ehpad"}, confirmed_activities={"ehpad"})

    ehpad = verdict("2b_ehpad", facts)
    assert ehpad.verdict == "non_requis"
    assert ehpad.reason == ("L'hôpital exerce lui-même l'activité « EHPAD » (déclarée dans son profil et confirmée "
                            "par l'ARS) : ce partenariat n'est pas requis.")
    assert verdict("2b_ssr_usld", facts).verdict == "manquant"


def test_an_activity_declared_but_not_confirmed_waives_nothing_yet():
    result = verdict("2b_ehpad", hospital(internal_activities={"ehpad"}))

    assert result.verdict == "non_evalue"
    assert "« EHPAD », que l'ARS n'a pas encore confirmée : à vérifier" in result.reason


def test_ssr_or_usld_run_inside_each_waive_the_ssr_usld_partnership():
    for activity in ("ssr", "usld"):
        facts = hospital(internal_activities={activity}, confirmed_activities={activity})
        assert verdict("2b_ssr_usld", facts).verdict == "non_requis"


def test_had_run_inside_waives_nothing():
    facts = hospital(internal_activities={"had"}, confirmed_activities={"had"})

    assert verdict("2b_ehpad", facts).verdict == "manquant"
    assert verdict("2b_ssr_usld", facts).verdict == "manquant"


def test_ssr_outside_the_territory_does_not_count_nor_does_a_plain_had():
    """Strict reading of 2° b): the HAD relaxes the territory condition, it does not replace the partner's nature."""
    off = verdict("2b_ssr_usld", conventions=[convention("C-1", SSR_LYON)])
    had = verdict("2b_ssr_usld", conventions=[convention("C-1", SSR_LYON), convention("C-2", HAD_LYON)])

    assert off.verdict == had.verdict == "manquant"
    assert off.reason.endswith("Convention C-1 : l'établissement SSR/SMR « SSR du Rhône » est hors du territoire "
                               "de l'hôpital (commune 69123, département 69).")
    assert had.references == [] and "C-2" not in had.reason


def test_an_ssr_off_the_territory_that_also_runs_an_had_counts():
    ssr_had = partner("SSR et HAD du Rhône", "ssr", "had", departement="69", finess_et="690000050")
    ehpad_had = partner("EHPAD et HAD de Paris", "ehpad", "had", departement="75", finess_et="750000050")

    ssr = verdict("2b_ssr_usld", conventions=[convention("C-1", ssr_had)])
    ehpad = verdict("2b_ehpad", conventions=[convention("C-2", ehpad_had)])

    assert (ssr.verdict, ssr.references) == ("satisfait", ["C-1"])
    assert (ehpad.verdict, ehpad.references) == ("satisfait", ["C-2"])


def test_ehpad_outside_the_territory_is_named():
    result = verdict("2b_ehpad", conventions=[convention("C-1", EHPAD_PARIS)])

    assert result.verdict == "manquant"
    assert "l'EHPAD « EHPAD Montsouris » est hors du territoire de l'hôpital (département 75)" in result.reason


def test_territory_by_commune():
    facts = hospital(territory_departements=set(), territory_communes={"69123"})

    assert verdict("2b_ssr_usld", facts, [convention("C-1", SSR_LYON)]).verdict == "satisfait"
    assert verdict("2b_ssr_usld", facts, [convention("C-1", SSR_DIJON)]).verdict == "manquant"


def test_no_territory_recorded_is_said():
    result = verdict("2b_ehpad", hospital(territory_departements=set()), [convention("C-1", EHPAD_TILLEULS)])

    assert result.verdict == "manquant"
    assert "le territoire de l'hôpital n'est pas renseigné dans son profil" in result.reason


def test_usld_meets_the_ssr_usld_requirement():
    assert verdict("2b_ssr_usld", conventions=[convention("C-1", USLD_BEAUNE)]).verdict == "satisfait"


def test_one_convention_covering_several_kinds_meets_each_of_them():
    both = convention("C-1", EHPAD_TILLEULS, SSR_DIJON)
    verdicts = {v.code: v for v in evaluate(hospital(), [both], AT)}

    assert verdicts["2b_ehpad"].verdict == verdicts["2b_ssr_usld"].verdict == "satisfait"
    assert verdicts["2b_ehpad"].evidence[0].partners == ("EHPAD Les Tilleuls",)
    assert verdicts["2b_ssr_usld"].evidence[0].partners == ("Clinique SSR de Dijon",)


def test_one_partner_running_several_kinds_meets_each_of_them():
    ch = partner("CH de Semur", "ehpad", "ssr", "usld")
    verdicts = {v.code: v.verdict for v in evaluate(hospital(), [convention("C-1", ch)], AT)}

    assert verdicts["2b_ehpad"] == verdicts["2b_ssr_usld"] == "satisfait"


def test_a_convention_counts_only_for_the_kinds_it_declares():
    ehpad_only = convention("C-1", partner("CH de Semur", "ehpad", "ssr"), partner_types=["ehpad"])
    verdicts = {v.code: v.verdict for v in evaluate(hospital(), [ehpad_only], AT)}

    assert (verdicts["2b_ehpad"], verdicts["2b_ssr_usld"]) == ("satisfait", "manquant")


def test_a_plain_had_convention_meets_neither_second_b_requirement():
    verdicts = {v.code: v.verdict for v in evaluate(hospital(), [convention("C-1", HAD_LYON)], AT)}

    assert verdicts["2b_ehpad"] == verdicts["2b_ssr_usld"] == "manquant"
    assert verdicts["3_coordination"] == "satisfait"  # the 3° keeps its HAD route


# --- 3° coordination and II CPOM ----------------------------------------------------------------------------------


def test_coordination_shown_by_a_dac_or_a_cpts_convention_whatever_its_themes():
    assert verdict("3_coordination", conventions=[convention("C-1", DAC_21)]).verdict == "satisfait"
    cpts = convention("C-1", CPTS_VAL, themes=CARE_THEMES)
    verdicts = {v.code: v for v in evaluate(hospital(), [cpts], AT)}
    assert verdicts["3_coordination"].references == verdicts["1_premier_recours"].references == ["C-1"]


def test_coordination_shown_by_any_partner_with_the_coordination_theme():
    result = verdict("3_coordination", conventions=[convention("C-1", LABO, themes=["coordination"])])

    assert result.verdict == "satisfait"


def test_a_type_ticked_on_the_convention_that_no_party_plays_proves_nothing():
    """A primary-care convention with one MSP, its form's three types left ticked: it meets the 1° through the MSP,
    never the 3° as if a CPTS were a party."""
    msp = partner("MSP du Pays de Tille", "msp")
    drafted = convention("C-1", msp, themes=CARE_THEMES, partner_types={"cpts", "msp", "centre_sante"})
    verdicts = {v.code: v for v in evaluate(hospital(), [drafted], AT)}

    assert verdicts["1_premier_recours"].verdict == "satisfait"
    assert verdicts["3_coordination"].verdict == "manquant"
    assert [(d.reference, d.why) for d in verdicts["3_coordination"].discarded] == [
        ("C-1", "déclarée pour le type CPTS, que ne joue aucune de ses parties pour l'hôpital")]
    assert verdict("recommande_coordination", conventions=[drafted]).verdict == "non_requis"


def test_coordination_missing_without_such_a_partnership():
    result = verdict("3_coordination", conventions=[convention("C-1", CHU_DIJON, themes=SECOND_RECOURS_THEMES)])

    assert result.verdict == "manquant"
    assert result.reason == ("Aucune convention signée et en vigueur avec un DAC, ni avec une CPTS, ni avec une HAD, "
                             "ni couvrant « Coordination des parcours ».")


def test_cpom_is_to_be_checked_and_lists_the_second_item_partnerships():
    conventions = [convention("C-1", CHU_DIJON, themes=SECOND_RECOURS_THEMES),
                   convention("C-2", EHPAD_TILLEULS, end_date=AT.replace(month=7)),
                   convention("C-3", CPTS_VAL, themes=CARE_THEMES), convention("C-4", SSR_DIJON, status="a_signer")]

    result = verdict("II_cpom", conventions=conventions)

    assert result.verdict == "non_evalue"
    assert result.reason == ("Aucun CPOM n'est enregistré dans l'application : l'inscription des engagements de "
                             "coopération au CPOM ne peut être vérifiée. Conventions à y retrouver : C-1, C-2.")
    assert result.evidence == ()


# --- R6111-24 II 4°: imaging, biology, telehealth (texts in force) ----------------------------------------------

PLATFORM = "r6111_24_4_plateau_technique"
EVERYTHING = {"imagerie", "biologie", "telesante"}


def test_equipment_owned_and_confirmed_makes_conventions_unnecessary():
    result = verdict(PLATFORM, hospital(own_equipment=EVERYTHING, confirmed_equipment=EVERYTHING))

    assert result.verdict == "non_requis"
    assert result.reason.startswith("L'hôpital dispose en propre de : Imagerie, Biologie médicale et Équipements")


def test_equipment_declared_but_not_confirmed_is_not_evaluated():
    result = verdict(PLATFORM, hospital(own_equipment=EVERYTHING))

    assert result.verdict == "non_evalue"
    assert "Déclaré en propre par l'hôpital, à confirmer par l'ARS : imagerie et biologie médicale." in result.reason


def test_missing_equipment_without_convention_is_missing():
    facts = hospital(own_equipment={"imagerie", "biologie"}, confirmed_equipment={"imagerie", "biologie"})
    result = verdict(PLATFORM, facts)

    assert result.verdict == "manquant"
    assert result.reason == ("En propre (confirmé par l'ARS) : Imagerie et Biologie médicale. Équipements de "
                             "télésanté : aucune convention signée et en vigueur couvrant « Télémédecine "
                             "(téléconsultation, téléexpertise) ».")


def test_missing_equipment_reached_under_conventions():
    conventions = [convention("C-1", LABO, themes=["plateau_technique"]),
                   convention("C-2", CHU_DIJON, themes=["telemedecine"], end_date=AT.replace(month=7))]

    result = verdict(PLATFORM, hospital(own_equipment=set()), conventions)

    assert result.verdict == "a_risque"
    assert result.references == ["C-1", "C-2"]
    assert result.reason.startswith("Imagerie et biologie médicale : la convention C-1 avec « Laboratoire Bio "
                                    "Côte-d'Or » est signée")
    assert "Équipements de télésanté : la convention C-2" in result.reason


def test_equipment_not_declared_is_not_evaluated_unless_conventions_cover_all():
    undeclared = verdict(PLATFORM)
    assert undeclared.verdict == "non_evalue"
    assert undeclared.reason.startswith("Équipements propres non déclarés dans le profil de l'hôpital.")
    covering = [convention("C-1", CHU_DIJON, themes=["plateau_technique", "telemedecine"])]
    assert verdict(PLATFORM, conventions=covering).verdict == "satisfait"
