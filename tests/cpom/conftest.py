"""A held-out campaign of several hospitals, built through the CPOM services (the API's guards run):

- CPOM ``beaune`` (region 27): one legal entity, two sites; every kind of engagement; the year before the campaign
  declared too; an avenant from the campaign year lowering the emergency-admission target (0.2 → 0.15); values
  validated, contested, checklists, a ratio and a percentage from numerator and denominator, an engagement not
  applicable, the L6111-3-2 convention proved by the registry, conventions linked;
- CPOM ``semur`` (region 27): a proof requested and overdue, a value never declared, a « non » declared;
- CPOM ``givors`` (region 84): one value declared;
- CPOM ``later`` (region 27): in force only from the current year, so outside the campaign.

The campaign year is last year (``YEAR``), so that it does not depend on the day the suite runs on.
"""

from datetime import date, timedelta
from types import SimpleNamespace

import pytest

from registry.core import clock
from registry.cpom import avenants, campaign, services
from registry.extensions import db
from tests.clock import TODAY
from tests.conventions.builders import make_convention
from tests.signatures.pdf_factory import blank_pdf

START = date(TODAY.year - 2, 1, 1)
PREVIOUS, YEAR = START.year, START.year + 1
FORMULA = "=HYPERLINK(\"http://exemple.invalid\";\"clic\")"


def engagements(cpom, *specs, conventions=None):
    """{indicator: engagement} for (indicator, comparator, value[, reason]) tuples; a reason makes it not apply."""
    conventions = conventions or {}
    made = {}
    for indicator, comparator, value, *reason in specs:
        made[indicator] = services.add_engagement(
            cpom, indicator=indicator, comparator=comparator, target_value=value, applicable=not reason,
            reason=reason[0] if reason else None, conventions=conventions.get(indicator, ()))
    return made


@pytest.fixture
def held_out(make_organisation, make_hospital, make_partnership):
    entity = "CH BEAUNE & NUITS <SUD>"
    beaune_org = make_organisation(departement="21", name=entity, category_code="106", city="BEAUNE")
    beaune = make_hospital(beaune_org)
    nuits = make_hospital(make_organisation(departement="21", name="HOPITAL DE NUITS", category_code="106",
                                            finess_ej=beaune_org.finess_ej, city="NUITS-SAINT-GEORGES"))
    semur = make_hospital(make_organisation(departement="21", name="HOPITAL DE SEMUR", category_code="106"))
    givors = make_hospital(make_organisation(departement="69", name="HOPITAL DE GIVORS", category_code="106"))
    arnay = make_hospital(make_organisation(departement="21", name="HOPITAL D'ARNAY", category_code="106"))

    cpts = make_partnership(beaune, make_organisation(name="CPTS DU PAYS BEAUNOIS", category_code="604"))
    mmg = make_partnership(beaune, make_organisation(name="MAISON MEDICALE DE GARDE", category_code="604"))
    statutory = make_convention(beaune, cpts, legal_bases=["L6111-3-2"], signed_on=START, effective_date=START,
                                transmitted_to_ars_on=START + timedelta(days=40))
    draft = make_convention(beaune, mmg, status="en_negociation", effective_date=None)

    cpoms = SimpleNamespace()
    cpoms.beaune = services.create_cpom(beaune, signed_on=START, effective_on=START, sites=(nuits,))
    cpoms.semur = services.create_cpom(semur, signed_on=START, effective_on=START)
    cpoms.givors = services.create_cpom(givors, signed_on=START, effective_on=START)
    later_start = date(TODAY.year, 1, 1)
    cpoms.later = services.create_cpom(arnay, signed_on=later_start, effective_on=later_start)

    b = engagements(cpoms.beaune,
                    ("connaissance_offre", "present", None),
                    ("admissions_urgences", "<=", 0.2),
                    ("ph_centres_sante", ">=", 5),
                    ("collaborations_ville", "present", None),
                    ("articulation_pdsa", "present", None, "Pas de maison médicale de garde à proximité"),
                    ("ip_dms", "<=", None),
                    ("convention_l6111_3_2", "present", None),
                    conventions={"convention_l6111_3_2": (statutory.id,), "connaissance_offre": (draft.id,)})
    s = engagements(cpoms.semur, ("connaissance_offre", "present", None), ("admissions_urgences", "<=", 0.25),
                    ("outils_communication", "present", None))
    g = engagements(cpoms.givors, ("connaissance_offre", "present", None))
    engagements(cpoms.later, ("connaissance_offre", "present", None))

    # The year before: a ratio met against the target of then (0.2), not against the avenant's (0.15).
    campaign.declare(b["admissions_urgences"], PREVIOUS, numerator=180, denominator=1000)
    # The campaign year.
    campaign.declare(b["connaissance_offre"], YEAR, value=True, comment=FORMULA)
    campaign.request_proof(b["connaissance_offre"], YEAR, due=TODAY + timedelta(days=30))
    campaign.attach_proof(b["connaissance_offre"], YEAR, blank_pdf(), "compte-rendu.pdf")
    campaign.review(b["connaissance_offre"], YEAR, decision="validee", comment="Compte rendu reçu")
    campaign.declare(b["admissions_urgences"], YEAR, numerator=120, denominator=1000)
    campaign.declare(b["ph_centres_sante"], YEAR, numerator=1, denominator=40)
    campaign.review(b["ph_centres_sante"], YEAR, decision="contestee", comment="Effectif non justifié")
    campaign.declare(b["collaborations_ville"], YEAR, items=["Social", "Urgence"])
    campaign.declare(b["ip_dms"], YEAR, value=0.96)

    with clock.travel(TODAY - timedelta(days=20)):
        campaign.declare(s["connaissance_offre"], YEAR, value=True)
        campaign.request_proof(s["connaissance_offre"], YEAR, due=TODAY - timedelta(days=5))
    campaign.declare(s["outils_communication"], YEAR, value=False)
    campaign.declare(g["connaissance_offre"], YEAR, value=True)

    avenant = avenants.record_avenant(cpoms.beaune, signed_on=date(YEAR, 1, 10), effective_on=date(YEAR, 1, 1),
                                      object="Cible du taux d'admission via les urgences abaissée")
    avenants.change_target(b["admissions_urgences"], avenant, comparator="<=", target_value=0.15, applicable=True,
                           reason="Filière d'admission directe ouverte")
    db.session.commit()
    return SimpleNamespace(cpoms=cpoms, beaune=beaune, nuits=nuits, semur=semur, givors=givors, arnay=arnay,
                           b=b, s=s, g=g, statutory=statutory, draft=draft, avenant=avenant)
