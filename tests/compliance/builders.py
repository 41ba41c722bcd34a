"""Hand-built facts for the compliance scenarios: a hospital of Côte-d'Or evaluated on 1 June 2026."""

from datetime import date, timedelta

from registry.compliance.checker import evaluate
from registry.compliance.facts import ConventionFacts, HospitalFacts, PartnerFacts
from registry.compliance.rules import CURRENT, R6111_26_2016

AT = date(2026, 6, 1)
YEAR = timedelta(days=365)

CITATIONS = {
    "1_premier_recours": "Art. R6111-26, I, 1° du code de la santé publique (décret n° 2016-658 du 20 mai 2016)",
    "2a_second_recours": "Art. R6111-26, I, 2° a) du code de la santé publique (décret n° 2016-658 du 20 mai 2016)",
    "2b_ehpad": "Art. R6111-26, I, 2° b) du code de la santé publique (décret n° 2016-658 du 20 mai 2016)",
    "2b_ssr_usld": "Art. R6111-26, I, 2° b) du code de la santé publique (décret n° 2016-658 du 20 mai 2016)",
    "3_coordination": "Art. R6111-26, I, 3° du code de la santé publique (décret n° 2016-658 du 20 mai 2016)",
    "II_cpom": "Art. R6111-26, II du code de la santé publique (décret n° 2016-658 du 20 mai 2016)",
    "r6111_24_4_plateau_technique": "Art. R6111-24, II (alinéa qui suit le 4°) du code de la santé publique "
                                    "(décret n° 2021-586 du 12 mai 2021)",
    "l6111_3_2": "Art. L6111-3-2, I du code de la santé publique (ordonnance n° 2021-582 du 12 mai 2021)",
    "l6111_3_3": "Art. L6111-3-3 du code de la santé publique (ordonnance n° 2021-582 du 12 mai 2021)",
    "r6111_24_1_premier_recours": "Art. R6111-24, II, 1° du code de la santé publique (décret n° 2021-586 du 12 mai "
                                  "2021)",
    "r6111_24_4_consultations": "Art. R6111-24, II, 4° du code de la santé publique (décret n° 2021-586 du 12 mai "
                                "2021)",
    "cpom": "Art. L6114-1 du code de la santé publique (ordonnance n° 2020-1407 du 18 novembre 2020)",
    **dict.fromkeys(("recommande_ehpad", "recommande_ssr_usld", "recommande_coordination"),
                    "Art. L6111-3-1, II du code de la santé publique (loi n° 2019-774 du 24 juillet 2019)"),
}


def hospital(**overrides) -> HospitalFacts:
    values = {"finess_et": "210987582", "name": "CH d'Is-sur-Tille", "territory_departements": {"21"}}
    return HospitalFacts(**(values | overrides))


def partner(name: str, *partner_types: str, departement: str | None = "21", **overrides) -> PartnerFacts:
    return PartnerFacts(name=name, partner_types=frozenset(partner_types), departement=departement, **overrides)


EHPAD_TILLEULS = partner("EHPAD Les Tilleuls", "ehpad", finess_et="210000010")
EHPAD_PARIS = partner("EHPAD Montsouris", "ehpad", departement="75", finess_et="750000010")
SSR_DIJON = partner("Clinique SSR de Dijon", "ssr", finess_et="210000020")
SSR_LYON = partner("SSR du Rhône", "ssr", departement="69", commune_code="69123", finess_et="690000020")
USLD_BEAUNE = partner("USLD de Beaune", "usld", finess_et="210000030")
HAD_LYON = partner("HAD Soins et Santé", "had", departement="69", finess_et="690000040")
CHU_DIJON = partner("CHU Dijon Bourgogne", "second_recours", finess_et="210780581")
CPTS_VAL = partner("CPTS du Val de Tille", "cpts")
CPTS_JURA = partner("CPTS du Jura Nord", "cpts", departement="39")
DAC_21 = partner("DAC 21", "dac")
MEDECINS = partner("Médecins généralistes du canton", "other")
LABO = partner("Laboratoire Bio Côte-d'Or", "other", finess_et="210000050")

CARE_THEMES = ("continuite_soins", "retour_domicile")
SECOND_RECOURS_THEMES = ("orientation", "consultations_avancees")


def convention(reference: str, *partners: PartnerFacts, themes=(), partner_types=None, status="signee",
               **dates) -> ConventionFacts:
    """A convention signed a year before AT, in force for five years, unless ``dates`` say otherwise."""
    if partner_types is None:
        partner_types = frozenset().union(*(p.partner_types for p in partners))
    signed = status in ("signee", "resiliee")
    values = {"signed_on": AT - YEAR if signed else None, "effective_date": AT - YEAR,
              "end_date": AT + 4 * YEAR} | dates
    return ConventionFacts(reference=reference, status=status, partner_types=frozenset(partner_types),
                           themes=frozenset(themes), partners=tuple(partners), **values)


def ruleset_of(code: str):
    """The rule set a requirement code belongs to: the 2016 one for its codes, else the texts in force."""
    return R6111_26_2016 if code in R6111_26_2016.codes else CURRENT


def verdict(code: str, hospital_facts: HospitalFacts | None = None, conventions=(), at: date = AT, **kwargs):
    """The verdict of one requirement (in its rule set), after checking that it cites its text."""
    kwargs.setdefault("ruleset", ruleset_of(code))
    verdicts = {item.code: item for item in evaluate(hospital_facts or hospital(), list(conventions), at, **kwargs)}
    result = verdicts[code]
    assert result.citation == CITATIONS[code]
    return result
