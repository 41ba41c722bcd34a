"""The adapter: facts built right from the database rows, verdicts of the checker on them, constant queries."""

from datetime import date
from types import SimpleNamespace

import pytest

from sqlalchemy import select, update

from registry.compliance.adapter import (_CONVENTIONS, _CPOMS, _PARTIES, _PARTNERSHIPS, HospitalRows, _converted,
                                         _plain_rows, evaluate_hospitals, facts_of, filter_hospitals, load_rows)
from registry.compliance.facts import ConventionFacts, PartnerFacts
from registry.compliance.rules import R6111_26_2016
from registry.conventions.lifecycle import period_end
from registry.conventions.models import Convention
from registry.conventions.statuses import Status
from registry.core.data_version import STATEMENTS as VERSION_STATEMENTS
from registry.core.scope import visible_hospitals
from registry.extensions import db
from tests.compliance.builders import AT, ruleset_of
from tests.conventions.builders import make_convention
from tests.quiet_server import while_nothing_commits

ADMIN = SimpleNamespace(is_authenticated=True, role="admin")


@pytest.fixture
def semur(make_organisation, make_hospital, make_partnership):
    """An HdP of Côte-d'Or serving département 21 and the commune 58000 of the Nièvre, running an USLD, with an
    EHPAD of its territory, an EHPAD of Paris, an HAD of Lyon and a second-recours CHU."""
    hospital = make_hospital(make_organisation(name="CH SEMUR", long_name="CENTRE HOSPITALIER DE SEMUR",
                                               category_code="106", departement="21"),
                             territory_departements=["21"], territory_communes=["58000"],
                             internal_activities=["usld"])
    s = SimpleNamespace(hospital=hospital)
    s.ehpad = make_partnership(hospital, make_organisation(name="EHPAD LES TILLEULS", category_code="500",
                                                           departement="21", commune_code="21603"),
                               partner_types=["ehpad"])
    s.ehpad_paris = make_partnership(hospital, make_organisation(name="EHPAD MONTSOURIS", category_code="500",
                                                                 departement="75", commune_code="75114"),
                                     partner_types=["ehpad"])
    s.had = make_partnership(hospital, make_organisation(name="HAD DU RHONE", category_code="127",
                                                         departement="69", commune_code="69123"),
                             partner_types=["had", "ssr"])
    s.chu = make_partnership(hospital, make_organisation(name="CHU DIJON", category_code="101", departement="21"),
                             partner_types=["second_recours"])
    db.session.commit()
    return s


def rows_of(hospital) -> HospitalRows:
    [rows] = load_rows(filter_hospitals(visible_hospitals(ADMIN), finess_et=hospital.finess_et))
    return rows


def facts(hospital, at: date = AT):
    hospital_facts, conventions, _ = facts_of(rows_of(hospital), at)
    return hospital_facts, {convention.reference: convention for convention in conventions}


def verdicts(hospital, at: date = AT, ruleset=R6111_26_2016) -> dict:
    """The verdicts of one hospital; the 2016 rule set by default, whose scenarios these tests were written on."""
    [result] = evaluate_hospitals(filter_hospitals(visible_hospitals(ADMIN), finess_et=hospital.finess_et), at,
                                  ruleset)
    return {item.code: item for item in result.verdicts}


def test_hospital_facts_come_from_its_profile_and_partnerships(semur):
    hospital, _ = facts(semur.hospital)

    assert hospital.finess_et == semur.hospital.finess_et
    assert hospital.name == "CENTRE HOSPITALIER DE SEMUR"  # the long name when there is one
    assert hospital.territory_departements == {"21"} and hospital.territory_communes == {"58000"}
    assert hospital.internal_activities == {"usld"}
    assert hospital.partners == (
        PartnerFacts("EHPAD LES TILLEULS", semur.ehpad.partner.finess_et, frozenset({"ehpad"}), "21", "21603",
                     semur.ehpad.partner.finess_ej),
        PartnerFacts("EHPAD MONTSOURIS", semur.ehpad_paris.partner.finess_et, frozenset({"ehpad"}), "75", "75114",
                     semur.ehpad_paris.partner.finess_ej),
        PartnerFacts("HAD DU RHONE", semur.had.partner.finess_et, frozenset({"had", "ssr"}), "69", "69123",
                     semur.had.partner.finess_ej),
        PartnerFacts("CHU DIJON", semur.chu.partner.finess_et, frozenset({"second_recours"}), "21",
                     semur.chu.partner.commune_code, semur.chu.partner.finess_ej))


def test_convention_facts_carry_status_dates_types_themes_and_partners(semur):
    signed = make_convention(semur.hospital, semur.chu, themes=["orientation", "telemedecine"],
                             signed_on=date(2025, 6, 1), effective_date=date(2025, 7, 1), duration_months=12,
                             tacit_renewal=True)
    draft = make_convention(semur.hospital, semur.ehpad, semur.had, status="en_negociation",
                            partner_types=["ehpad", "had"])
    db.session.commit()

    _, conventions = facts(semur.hospital)

    assert conventions[signed.reference] == ConventionFacts(
        reference=signed.reference, status="signee", partner_types=frozenset({"second_recours"}),
        themes=frozenset({"orientation", "telemedecine"}),
        partners=(PartnerFacts("CHU DIJON", semur.chu.partner.finess_et, frozenset({"second_recours"}), "21",
                               semur.chu.partner.commune_code, semur.chu.partner.finess_ej),),
        signed_on=date(2025, 6, 1), effective_date=date(2025, 7, 1),
        # tacit renewal: the end of the period containing AT, as the convention pages compute it
        end_date=period_end(date(2025, 7, 1), 12, True, AT), tacit_renewal=True, terminated_on=None,
        created_on=date(2025, 1, 2), themes_declared=True)  # written without a template: registered
    assert conventions[signed.reference].end_date == date(2026, 6, 30)
    second = conventions[draft.reference]
    assert second.status == "en_negociation" and second.signed_on is None
    assert [partner.name for partner in second.partners] == ["EHPAD LES TILLEULS", "HAD DU RHONE"]
    assert second.partners[1].partner_types == {"had", "ssr"}  # the types of its partnership


@pytest.mark.parametrize("at, words", [
    (date(2026, 6, 30), "en vigueur depuis le 1er juillet 2025 pour une première période jusqu'au 30 juin 2026, "
                        "reconductible tacitement ensuite."),
    (date(2026, 7, 1), "en vigueur depuis le 1er juillet 2025, reconduite tacitement (période en cours jusqu'au "
                       "30 juin 2027)."),
])
def test_a_tacit_renewal_is_said_renewed_only_after_its_first_period(semur, at, words):
    signed = make_convention(semur.hospital, semur.ehpad, signed_on=date(2025, 6, 1), effective_date=date(2025, 7, 1),
                             duration_months=12, tacit_renewal=True)
    db.session.commit()

    assert facts(semur.hospital, at)[1][signed.reference].renewed is (at > date(2026, 6, 30))
    reason = verdicts(semur.hospital, at)["2b_ehpad"].reason
    assert words in reason, reason


def test_avenants_and_other_hospitals_conventions_are_left_out(semur, make_hospital, make_partnership):
    main = make_convention(semur.hospital, semur.ehpad)
    avenant = make_convention(semur.hospital, semur.ehpad, parent=main)
    elsewhere = make_hospital()
    make_convention(elsewhere, make_partnership(elsewhere))
    db.session.commit()

    _, conventions = facts(semur.hospital)

    assert avenant.reference == main.reference + "-A1"
    assert list(conventions) == [main.reference]


def test_a_party_no_longer_recorded_as_partner_plays_no_type(semur, make_organisation):
    former = make_organisation(name="USLD DE MONTBARD", category_code="362", departement="21")
    convention = make_convention(semur.hospital, former, partner_types=["usld"])
    db.session.commit()

    _, conventions = facts(semur.hospital)

    [partner] = conventions[convention.reference].partners
    assert partner == PartnerFacts("USLD DE MONTBARD", former.finess_et, frozenset(), "21", former.commune_code,
                                   former.finess_ej)


def test_terminated_and_expired_conventions_are_read_with_their_dates_and_do_not_count(semur):
    terminated = make_convention(semur.hospital, semur.ehpad, status="resiliee", terminated_on=date(2026, 3, 1))
    expired = make_convention(semur.hospital, semur.chu, themes=["orientation", "consultations_avancees"],
                              signed_on=date(2022, 1, 5), effective_date=date(2022, 2, 1), duration_months=36)
    db.session.commit()

    _, conventions = facts(semur.hospital)
    result = verdicts(semur.hospital)

    assert conventions[terminated.reference].status == "resiliee"
    assert conventions[terminated.reference].terminated_on == date(2026, 3, 1)
    assert conventions[expired.reference].end_date == date(2025, 1, 31)
    assert result["2b_ehpad"].verdict == "manquant"
    assert f"Convention {terminated.reference} : résiliée, plus en vigueur depuis le 1er mars 2026" \
        in result["2b_ehpad"].reason
    assert result["2a_second_recours"].verdict == "manquant"
    assert f"Convention {expired.reference} : expirée le 31 janvier 2025" in result["2a_second_recours"].reason


def test_territory_decides_for_the_ehpad_unless_it_also_runs_an_had(semur):
    paris = make_convention(semur.hospital, semur.ehpad_paris)
    had = make_convention(semur.hospital, semur.had, partner_types=["had"])
    db.session.commit()
    result = verdicts(semur.hospital)
    assert result["2b_ehpad"].verdict == "manquant"  # strict 2° b): a plain HAD is no EHPAD
    assert "hors du territoire de l'hôpital (commune 75114, département 75)" in result["2b_ehpad"].reason
    assert result["2b_ehpad"].discarded[0].reference == paris.reference and had.reference not in result[
        "2b_ehpad"].reason
    assert result["2b_ssr_usld"].verdict == "non_evalue"  # the USLD it declares running is not yet confirmed

    semur.ehpad_paris.partner_types = ["ehpad", "had"]
    semur.hospital.confirmed_activities = ["usld"]
    db.session.commit()
    result = verdicts(semur.hospital)
    assert result["2b_ehpad"].verdict == "satisfait" and result["2b_ehpad"].references == [paris.reference]
    assert result["2b_ssr_usld"].verdict == "non_requis"  # the hospital runs an USLD itself, as the ARS confirmed


def test_statuses_and_the_day_asked_about(semur):
    draft = make_convention(semur.hospital, semur.ehpad, status="brouillon")
    db.session.commit()
    assert verdicts(semur.hospital)["2b_ehpad"].verdict == "a_risque"
    # before the draft was created in the application, it did not exist
    assert verdicts(semur.hospital, date(2024, 12, 1))["2b_ehpad"].verdict == "manquant"

    signed = make_convention(semur.hospital, semur.ehpad, signed_on=date(2025, 6, 1),
                             effective_date=date(2025, 7, 1))
    db.session.commit()
    assert verdicts(semur.hospital)["2b_ehpad"].verdict == "satisfait"
    assert verdicts(semur.hospital)["2b_ehpad"].references == [signed.reference]  # the draft is no evidence
    # signed, but not yet in force on 20 June 2025: at risk, the signed one first, then the draft
    early = verdicts(semur.hospital, date(2025, 6, 20))["2b_ehpad"]
    assert early.verdict == "a_risque" and early.references == [signed.reference, draft.reference]


def test_a_change_in_the_database_is_seen_at_once_despite_the_memo(semur):
    convention = make_convention(semur.hospital, semur.ehpad)
    db.session.commit()
    assert verdicts(semur.hospital)["2b_ehpad"].verdict == "satisfait"
    assert verdicts(semur.hospital)["2b_ehpad"].verdict == "satisfait"  # memoised: same rows, same day

    convention.status, convention.terminated_on = "resiliee", date(2026, 5, 1)
    convention.termination_reason = "Fin du partenariat"
    db.session.commit()
    assert verdicts(semur.hospital)["2b_ehpad"].verdict == "manquant"

    semur.hospital.internal_activities = ["usld", "ehpad"]
    db.session.commit()
    assert verdicts(semur.hospital)["2b_ehpad"].verdict == "non_evalue"
    semur.hospital.confirmed_activities = ["ehpad"]
    db.session.commit()
    assert verdicts(semur.hospital)["2b_ehpad"].verdict == "non_requis"


def test_filters_narrow_the_scope_and_keep_the_order(semur, make_organisation, make_hospital, make_user):
    beaune = make_hospital(make_organisation(name="CH BEAUNE", category_code="106", departement="21"))
    givors = make_hospital(make_organisation(name="HOPITAL DE GIVORS", category_code="106", departement="69"))
    ars = make_user("ars", region="27")
    db.session.commit()

    everything = evaluate_hospitals(filter_hospitals(visible_hospitals(ADMIN)), AT)
    region = evaluate_hospitals(filter_hospitals(visible_hospitals(ars)), AT)
    widened = evaluate_hospitals(filter_hospitals(visible_hospitals(ars), region="84"), AT)

    assert [r.name for r in everything] == ["CENTRE HOSPITALIER DE SEMUR", "CH BEAUNE", "HOPITAL DE GIVORS"]
    assert [r.finess_et for r in region] == [semur.hospital.finess_et, beaune.finess_et]
    assert widened == []
    assert evaluate_hospitals(filter_hospitals(visible_hospitals(ADMIN), departement="69"), AT)[0].hospital_id \
        == givors.id


def test_the_number_of_queries_does_not_depend_on_the_number_of_hospitals(make_hospital, make_partnership,
                                                                          make_organisation, count_queries):
    def add_hospitals(count: int):
        for _ in range(count):
            hospital = make_hospital()
            ehpad, chu = make_partnership(hospital), make_partnership(
                hospital, make_organisation(category_code="101"), partner_types=["second_recours"])
            make_convention(hospital, ehpad)
            make_convention(hospital, chu, themes=["orientation", "telemedecine"])
            make_convention(hospital, ehpad, chu, status="brouillon", partner_types=["ehpad", "second_recours"])
        db.session.commit()

    def evaluate_all():
        return evaluate_hospitals(filter_hospitals(visible_hospitals(ADMIN)), AT)

    add_hospitals(1)
    with count_queries() as few:
        evaluate_all()
    add_hospitals(12)
    with count_queries() as many:
        evaluate_all()

    assert len(evaluate_all()) == 13
    # the data version, then hospitals, partnerships, conventions, parties, CPOMs
    assert len(few) == len(many) == 6 and many[0] in VERSION_STATEMENTS.values()


def test_nothing_committed_since_the_same_call_reads_no_rows_and_gives_the_same_verdicts(semur, count_queries):
    make_convention(semur.hospital, semur.ehpad)
    db.session.commit()

    def evaluate_twice():
        first = evaluate_hospitals(filter_hospitals(visible_hospitals(ADMIN)), AT)
        with count_queries() as queries:
            return first, evaluate_hospitals(filter_hospitals(visible_hospitals(ADMIN)), AT), queries

    first, again, queries = while_nothing_commits(evaluate_twice)
    assert again == first and again is not first
    assert len(queries) == 1 and queries[0] in VERSION_STATEMENTS.values()
    with count_queries() as queries:  # another day, another rule set: their own results, read from the rows
        evaluate_hospitals(filter_hospitals(visible_hospitals(ADMIN)), date(2026, 1, 5))
        evaluate_hospitals(filter_hospitals(visible_hospitals(ADMIN)), AT, R6111_26_2016)
    assert len(queries) == 12


def test_a_commit_by_another_connection_is_seen_at_once(semur):
    convention = make_convention(semur.hospital, semur.ehpad)
    db.session.commit()
    assert verdicts(semur.hospital)["2b_ehpad"].verdict == "satisfait"
    with db.engine.connect() as other:  # another connection: another process would do the same
        other.execute(update(Convention).where(Convention.id == convention.id)
                      .values(status="resiliee", terminated_on=date(2026, 5, 1),
                              termination_reason="Fin du partenariat"))
        other.commit()
    assert verdicts(semur.hospital)["2b_ehpad"].verdict == "manquant"


def test_a_change_not_committed_yet_is_seen_and_its_rollback_too(semur):
    convention = make_convention(semur.hospital, semur.ehpad)
    db.session.commit()
    assert verdicts(semur.hospital)["2b_ehpad"].verdict == "satisfait"
    convention.status, convention.terminated_on = "resiliee", date(2026, 5, 1)
    convention.termination_reason = "Fin du partenariat"
    db.session.flush()
    assert verdicts(semur.hospital)["2b_ehpad"].verdict == "manquant"
    db.session.rollback()
    assert verdicts(semur.hospital)["2b_ehpad"].verdict == "satisfait"


def test_the_grouped_rows_are_the_drivers_tuples_and_a_converted_column_is_still_converted(semur):
    make_convention(semur.hospital, semur.ehpad, tacit_renewal=True)
    db.session.commit()
    connection = db.session.connection()

    assert not any(_converted(statement, connection.dialect)
                   for statement in (_PARTNERSHIPS, _CONVENTIONS, _PARTIES, _CPOMS))
    [convention] = rows_of(semur.hospital).conventions
    assert type(convention) is tuple
    assert convention[3] == "signee" and convention[6].startswith("2025-06-01") and convention[9]
    [(signed_on, status)] = _plain_rows(connection, select(Convention.signed_on, Convention.status), {})
    assert signed_on == date(2025, 6, 1) and status is Status.SIGNEE


def test_a_party_outside_the_partnerships_costs_one_more_query_whatever_the_number(semur, make_organisation,
                                                                                  count_queries):
    for number in range(3):
        make_convention(semur.hospital, make_organisation(name=f"USLD {number}"), partner_types=["usld"])
    db.session.commit()

    with count_queries() as queries:
        load_rows(filter_hospitals(visible_hospitals(ADMIN)))
    assert len(queries) == 6
    assert len(rows_of(semur.hospital).strangers) == 3


# --- « Rédiger la convention manquante »: which template, which partner (drafting.suggest on the adapter's result)


def suggestion(hospital, code: str, at: date = AT):
    from registry.compliance.drafting import TemplateChoice, suggest
    from registry.documents.library import TemplateLibrary

    templates = [TemplateChoice.from_manifest(template.manifest.as_dict())
                 for template in TemplateLibrary.from_app().templates()]
    [result] = evaluate_hospitals(filter_hospitals(visible_hospitals(ADMIN), finess_et=hospital.finess_et), at,
                                  ruleset_of(code))
    chosen = suggest(ruleset_of(code).requirement(code), result, templates)
    return (chosen.template.code if chosen.template else None), (chosen.partnership.id if chosen.partnership
                                                                 else None)


def test_a_missing_ehpad_partnership_is_drafted_with_the_ehpad_of_the_territory(semur):
    # EHPAD route first, the EHPAD of Paris is off the territory, the HAD would do but comes second
    assert suggestion(semur.hospital, "2b_ehpad") == ("ehpad", semur.ehpad.id)


def test_an_expired_convention_s_partner_comes_before_another_route(semur):
    make_convention(semur.hospital, semur.ehpad, signed_on=date(2019, 1, 5), effective_date=date(2019, 2, 1),
                    duration_months=24)
    db.session.commit()
    assert suggestion(semur.hospital, "2b_ehpad") == ("ehpad", semur.ehpad.id)


def test_a_convention_ending_soon_is_renewed_with_its_partner(semur, make_partnership, make_organisation):
    other_chu = make_partnership(semur.hospital, make_organisation(name="CH BEAUNE", category_code="101"),
                                 partner_types=["second_recours"])
    make_convention(semur.hospital, semur.chu, themes=["orientation", "telemedecine"], signed_on=date(2021, 6, 1),
                    effective_date=date(2021, 7, 1), duration_months=60)  # ends on 30 June 2026
    db.session.commit()
    assert verdicts(semur.hospital)["2a_second_recours"].verdict == "a_risque"
    # the CHU of the ending convention, not the other second-recours partner (which has no convention)
    assert suggestion(semur.hospital, "2a_second_recours") == ("second_recours", semur.chu.id)
    assert not any(link.has_convention for link in evaluate_hospitals(filter_hospitals(
        visible_hospitals(ADMIN), finess_et=semur.hospital.finess_et), AT)[0].partnerships if link.id == other_chu.id)


def test_a_theme_only_requirement_uses_a_template_covering_the_theme_with_a_fitting_partner(semur):
    # R6111-24 II: « Accès au plateau technique » with any partner: no template has it among the articles it
    # always contains, so the first partner without convention a template offering it as a clause can serve
    assert suggestion(semur.hospital, "r6111_24_4_plateau_technique") == ("ssr_usld", semur.had.id)
    make_convention(semur.hospital, semur.had, partner_types=["had"])
    db.session.commit()
    assert suggestion(semur.hospital, "r6111_24_4_plateau_technique") == ("second_recours", semur.chu.id)


def test_the_texts_in_force_read_the_listing_status_ght_and_transmission(semur, make_organisation):
    cpts = make_organisation(name="CPTS DU PAYS DE SEMUR", category_code="604", departement="21")
    semur.hospital.listed_on, semur.hospital.ght_support = date(2025, 1, 10), semur.chu.partner.finess_ej
    partners = make_convention(semur.hospital, cpts, partner_types=["cpts"], legal_bases=["L6111-3-2"],
                               transmitted_to_ars_on=date(2025, 9, 1))
    ght = make_convention(semur.hospital, semur.chu, legal_bases=["L6111-3-3"])
    db.session.commit()

    hospital, conventions = facts(semur.hospital)
    result = verdicts(semur.hospital, ruleset=ruleset_of("l6111_3_2"))

    assert (hospital.listed_on, hospital.legal_status, hospital.ght_support) == (
        date(2025, 1, 10), "public", semur.chu.partner.finess_ej)  # category 106: a public CH, from FINESS
    assert conventions[partners.reference].legal_bases == {"L6111-3-2"}
    assert conventions[partners.reference].transmitted_on == date(2025, 9, 1)
    assert (result["l6111_3_2"].verdict, result["l6111_3_2"].references) == ("satisfait", [partners.reference])
    assert (result["l6111_3_3"].verdict, result["l6111_3_3"].flags) == ("a_risque", ("non_transmise",))
    assert result["l6111_3_3"].references == [ght.reference]

    semur.hospital.legal_status = "prive"
    db.session.commit()
    assert verdicts(semur.hospital, ruleset=ruleset_of("l6111_3_3"))["l6111_3_3"].verdict == "non_requis"


def test_without_a_fitting_partner_the_template_alone(make_hospital):
    bare = make_hospital()
    db.session.commit()
    assert suggestion(bare, "1_premier_recours") == ("premier_recours", None)
    assert suggestion(bare, "3_coordination") == ("dac", None)
