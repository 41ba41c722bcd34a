"""The demo region's conventions, made through the application's own operations as users would make them:
drafted from the shipped templates and taken through their lifecycle, or registered as signed long before the
application with their signed copy, with avenants, terminations, replacements and transmissions to the ARS.

Every date is counted from the application's clock (``clock.today()``), so that a convention « ending soon » ends
soon and one « expired » has expired whatever the day the demo is loaded. Together they put a convention in every
stored status and every derived state, and give the compliance dashboard a mix of verdicts:

- CH d'Is-sur-Tille (the juriste's hospital): L6111-3-2 satisfied; L6111-3-3 ending within 90 days while its
  successor awaits signature; EHPAD expired (successor in negotiation); HAD terminated (successor signed, not yet in
  force); SSR to renew; USLD in negotiation; DAC in draft; MMG in force; an avenant.
- CH d'Auxonne: L6111-3-2 signed but not sent to the ARS; L6111-3-3 satisfied.
- Hôpital local de Lormes: L6111-3-2 late (the year after the listing is over, a draft still in negotiation);
  L6111-3-3 satisfied.
- CH du Clunisois: listed a few months ago, the year to conclude is still running.
"""

from dataclasses import dataclass
from datetime import date, timedelta

from registry.conventions.models import Convention
from registry.conventions.services import create_convention, generate_draft, register_convention
from registry.conventions.terms import ConventionTerms, Signatory
from registry.conventions.signed_copies import attach_signed_copy
from registry.conventions.statuses import Status
from registry.conventions.transitions import create_avenant, supersede, terminate, transition
from registry.conventions.transmission import record_ars_transmission
from registry.core import clock
from registry.demo.pdfs import convention_pdf, signed_pdf
from registry.documents.context import add_months
from registry.documents.versions import sync_shipped_templates
from registry.hospitals.models import HospitalProfile
from registry.organisations.models import Organisation

#: Who signs for each demo organisation (fictitious people), by FINESS ET or OUTSIDE_FINESS key.
SIGNATORIES = {
    "210987582": ("Claire Morel", "Directrice"),
    "210987640": ("Laurent Girard", "Directeur"),
    "580972610": ("Isabelle Fontaine", "Directrice déléguée"),
    "210986089": ("Philippe Renaud", "Directeur général"),
    "580972693": ("Hélène Dumas", "Directrice"),
    "210013611": ("Dr Julien Perrin", "Président de la CPTS"),
    "580006849": ("Dr Sophie Lambert", "Présidente de la CPTS"),
    "580006617": ("Dr Marc Vidal", "Gérant de la SISA"),
    "210006078": ("Nathalie Roche", "Directrice du centre de santé"),
    "210781456": ("Bruno Lefèvre", "Directeur de l'EHPAD"),
    "210003059": ("Dr Anne Masson", "Directrice de l'HAD"),
    "580001899": ("Karine Bertin", "Directrice de l'HAD"),
    "210986725": ("Olivier Caron", "Directeur"),
    "210986386": ("Sylvie Arnaud", "Directrice"),
    "mmg_tille": ("Dr Thomas Henry", "Président de l'association"),
    "dac_21": ("Émilie Gauthier", "Directrice du DAC"),
}
#: What empowers each signatory of a drafted demo convention (the templates' « pouvoir de signer »), keyed as above.
SIGNING_BASES = {
    "210987582": "en sa qualité de directrice, représentante légale de l'établissement (article L. 6143-7 du code "
                 "de la santé publique)",
    "210987640": "en sa qualité de directeur, représentant légal de l'établissement (article L. 6143-7 du code de "
                 "la santé publique)",
    "580972610": "délégation de signature du directeur de l'établissement",
    "210986089": "en sa qualité de directeur général, représentant légal du centre hospitalier universitaire "
                 "(article L. 6143-7 du code de la santé publique)",
    "210013611": "statuts de l'association, en sa qualité de président",
    "580006849": "statuts de l'association, en sa qualité de présidente",
    "580006617": "statuts de la société interprofessionnelle de soins ambulatoires, en sa qualité de gérant",
    "210006078": "délégation de signature du représentant légal de l'organisme gestionnaire du centre de santé",
    "210781456": "délégation de signature du représentant légal de l'organisme gestionnaire de l'EHPAD",
    "210003059": "délégation de signature du représentant légal de l'organisme gestionnaire de l'HAD",
    "210986386": "en sa qualité de directrice, représentante légale de l'établissement",
    "dac_21": "délégation de signature du président de l'association porteuse du DAC",
}
FOLLOW_UP_BODIES = ("la commission médicale d'établissement ou la conférence médicale de l'hôpital de proximité",
                    "l'instance de gouvernance de la communauté professionnelle territoriale de santé partie à la "
                    "convention")
PARTNERS_FIELDS = {  # the L6111-3-2 template's required fields
    "scope_access": "l'accès des patients du territoire aux consultations, aux examens et aux hospitalisations de "
                    "proximité",
    "scope_pds": "la participation de l'hôpital et des professionnels libéraux à la permanence des soins ambulatoires",
    "scope_pathways": "les parcours des personnes âgées et des patients atteints de maladies chroniques",
}
#: Where each hospital's conventions are signed (the templates' « Fait à »).
SIGNING_PLACES = {"210987582": "Is-sur-Tille", "210987640": "Auxonne", "580972610": "Lormes"}
GHT_FIELDS = {  # the L6111-3-3 template's required fields
    "ght_name": "GHT Côte-d'Or – Haute-Marne",
    "support_items": ["la gestion des lits d'aval et des transferts", "l'équipe opérationnelle d'hygiène"],
    "specialties": ["cardiologie", "gériatrie", "pneumologie"],
}


@dataclass
class DemoScene:
    """What the demo's conventions are made with: the hospitals and partners by key, and who acts."""

    hospitals: dict[str, HospitalProfile]
    partners: dict[str, Organisation]
    staff: object  # the juriste of the CH d'Is-sur-Tille
    admin: object  # acts for the hospitals that have no account of their own in the demo

    @property
    def today(self) -> date:
        return clock.today()

    def months_ago(self, months: int, *, first: bool = True) -> date:
        """The day ``months`` months before today (after when negative), the 1st of its month by default."""
        day = add_months(self.today, -months)
        return day.replace(day=1) if first else day

    def actor(self, hospital: str):
        return self.staff if hospital == "210987582" else self.admin

    def partnerships(self, hospital: str, keys: tuple[str, ...]):
        ids = {self.partners[key].id for key in keys}
        return [p for p in self.hospitals[hospital].partnerships if p.partner_id in ids]

    def signatories(self, hospital: str, keys: tuple[str, ...]) -> dict[int, Signatory]:
        organisations = [(hospital, self.hospitals[hospital].organisation),
                         *((key, self.partners[key]) for key in keys)]
        return {organisation.id: Signatory(*SIGNATORIES[key]) for key, organisation in organisations
                if key in SIGNATORIES}

    def signing_bases(self, hospital: str, partnerships) -> dict:
        """The templates' fields for the signatories' power: the hospital's, then the partners' in their order."""
        key_of = {organisation.id: key for key, organisation in self.partners.items()}
        return {"signing_basis_hospital": SIGNING_BASES.get(hospital, ""),
                "signing_basis_partners": [SIGNING_BASES.get(key_of.get(p.partner_id), "") for p in partnerships]}


def _copy(convention: Convention, *, on: date, electronic: bool) -> bytes:
    """The signed copy of ``convention``: a scan of a paper signature, or a PDF signed electronically on ``on``."""
    parties = [party.organisation.display_name for party in convention.parties]
    pdf = convention_pdf(convention.title, [
        f"Référence : {convention.reference}",
        "Entre : " + parties[0],
        *(f"Et : {name}" for name in parties[1:]),
        "",
        "Exemplaire signé par les parties." if electronic else "Exemplaire signé par les parties (copie numérisée).",
    ])
    return signed_pdf(pdf, on) if electronic else pdf


def _sign(convention: Convention, on: date, actor, *, electronic: bool = False, sent_after: int | None = None):
    """Attach the signed copy and record the signature on ``on``; sent to the ARS ``sent_after`` days later."""
    attach_signed_copy(convention, _copy(convention, on=on, electronic=electronic), actor=actor)
    transition(convention, Status.SIGNEE, actor=actor, date=on)
    if sent_after is not None:
        record_ars_transmission(convention, min(on + timedelta(days=sent_after), clock.today()), actor=actor)
    return convention


def _registered(scene: DemoScene, hospital: str, keys: tuple[str, ...], *, title: str, partner_types, themes,
                effective: date, duration: int, tacit: bool, signed_on: date, legal_bases=(), notice: int = 3,
                sent_after: int | None = None) -> Convention:
    """A convention signed before the application, registered with its scanned copy (the registration form's
    three steps)."""
    actor = scene.actor(hospital)
    convention = register_convention(scene.hospitals[hospital], ConventionTerms(
        partnerships=scene.partnerships(hospital, keys), partner_types=list(partner_types), themes=list(themes),
        effective_date=effective, duration_months=duration, tacit_renewal=tacit, notice_months=notice, title=title,
        signatories=scene.signatories(hospital, keys), legal_bases=list(legal_bases)), actor=actor)
    return _sign(convention, signed_on, actor, sent_after=sent_after)


def _drafted(scene: DemoScene, hospital: str, keys: tuple[str, ...], template: str, *, effective: date,
             duration: int, status: str, drafted_on: date, fields=None, clauses=(), tacit: bool = True,
             title: str | None = None, signed_on: date | None = None, sent_after: int | None = None,
             partner_types=None) -> Convention:
    """A convention drafted from a shipped template and taken to ``status``: one draft, a second one once in
    negotiation, then « à signer », then signed electronically on ``signed_on``."""
    actor, partnerships = scene.actor(hospital), scene.partnerships(hospital, keys)
    convention = create_convention(
        scene.hospitals[hospital], ConventionTerms(
            partnerships=partnerships, partner_types=partner_types, effective_date=effective,
            duration_months=duration, tacit_renewal=tacit, title=title, signatories=scene.signatories(hospital, keys)),
        template_code=template, clauses=list(clauses),
        fields={"notice_months": 3, "signing_place": SIGNING_PLACES[hospital],
                **scene.signing_bases(hospital, partnerships), **(fields or {})}, actor=actor)
    generate_draft(convention, actor=actor, today=drafted_on)
    for target in _path_to(status):
        if target == Status.SIGNEE:
            _sign(convention, signed_on, actor, electronic=True, sent_after=sent_after)
            continue
        transition(convention, target, actor=actor)
        if target == Status.EN_NEGOCIATION:  # the partners' remarks make a second draft
            generate_draft(convention, actor=actor, today=min(drafted_on + timedelta(days=21), scene.today))
    return convention


def _path_to(status: str) -> list[str]:
    """The statuses a drafted convention goes through from « brouillon » to ``status``."""
    order = [Status.EN_NEGOCIATION, Status.A_SIGNER, Status.SIGNEE]
    return [] if status == Status.BROUILLON else order[:order.index(status) + 1]


def load_demo_conventions(scene: DemoScene) -> Convention:
    """Every demo convention; flushes, the caller commits. Returns the juriste's hospital's L6111-3-2 convention
    (its CPOM links it)."""
    sync_shipped_templates()  # init-db registers them; the demo needs them even on a database made otherwise
    partners = _is_sur_tille(scene)
    _auxonne(scene)
    _lormes(scene)
    return partners


def _is_sur_tille(scene: DemoScene) -> Convention:
    ist, today = "210987582", scene.today
    actor = scene.actor(ist)
    # L6111-3-2, drafted in the application, signed electronically, sent to the ARS; an avenant since.
    signed = scene.months_ago(34, first=False)
    partners = _drafted(scene, ist, ("210013611", "210006078"), "l6111_3_2", effective=scene.months_ago(33),
                        duration=60, tacit=False, status=Status.SIGNEE, drafted_on=signed - timedelta(days=75),
                        clauses=("retour_domicile", "exercice_mixte"), signed_on=signed, sent_after=9,
                        partner_types=["cpts", "centre_sante"],
                        fields={**PARTNERS_FIELDS, "follow_up_body": FOLLOW_UP_BODIES[1]},
                        title="Convention de l'hôpital de proximité avec ses partenaires du premier recours")
    avenant = create_avenant(partners, "Avenant n° 1 : accès des médecins de la CPTS aux résultats de biologie",
                             effective_date=scene.months_ago(10), actor=actor)
    _sign(avenant, scene.months_ago(10) - timedelta(days=8), actor)
    # L6111-3-3 with the CHU, signed on paper five years ago: ends within 90 days; its successor awaits signature.
    ends = today + timedelta(days=55)
    ght = _registered(scene, ist, ("210986089",), title="Convention avec le CHU Dijon Bourgogne, établissement "
                      "support du GHT", partner_types=["second_recours"],
                      themes=["orientation", "consultations_avancees", "telemedecine", "plateau_technique"],
                      legal_bases=["L6111-3-3"], effective=add_months(ends, -60) + timedelta(days=1), duration=60,
                      tacit=False, signed_on=add_months(ends, -60) - timedelta(days=20), sent_after=30)
    successor = _drafted(scene, ist, ("210986089",), "l6111_3_3", effective=ends + timedelta(days=1), duration=60,
                         tacit=False, status=Status.A_SIGNER, drafted_on=today - timedelta(days=70),
                         fields=GHT_FIELDS, clauses=("consultations_avancees", "telemedecine", "plateau_technique"))
    supersede(ght, successor, actor=actor)
    # EHPAD: five years without tacit renewal, expired four months ago; its successor is in negotiation.
    ehpad = _registered(scene, ist, ("210781456",), title="Convention de coopération avec l'EHPAD Le Champ de Mars",
                        partner_types=["ehpad"], themes=["continuite_soins", "retour_domicile"],
                        effective=scene.months_ago(64), duration=60, tacit=False,
                        signed_on=scene.months_ago(64) - timedelta(days=12))
    new_ehpad = _drafted(scene, ist, ("210781456",), "ehpad", effective=scene.months_ago(-2), duration=36,
                          status=Status.EN_NEGOCIATION, drafted_on=today - timedelta(days=45),
                          clauses=("hebergement_temporaire",))
    supersede(ehpad, new_ehpad, actor=actor)
    # HAD: yearly tacit renewal, terminated two months ago; the new one is signed and applies next month.
    had = _registered(scene, ist, ("210003059",), title="Convention d'intervention de l'HAD au CH d'Is-sur-Tille",
                      partner_types=["had"], themes=["retour_domicile", "continuite_soins"],
                      effective=scene.months_ago(50), duration=12, tacit=True,
                      signed_on=scene.months_ago(50) - timedelta(days=5))
    terminate(had, on=scene.months_ago(2), actor=actor,
              reason="Remplacée par une convention d'HAD avec admissions directes, rédigée dans le registre.")
    new_had = _drafted(scene, ist, ("210003059",), "had", effective=scene.months_ago(-1), duration=36,
                       status=Status.SIGNEE, drafted_on=today - timedelta(days=80), clauses=("entrees_directes",),
                       signed_on=today - timedelta(days=12), fields={
                           "had_authorisation": "décision de l'ARS Bourgogne-Franche-Comté n° 2023-HAD-014 du "
                                                "12 juin 2023 (fictive)",
                           "had_mentions": ["Mention socle", "Mention réadaptation"],
                           "had_on_call_number": "03 80 00 00 00"})
    supersede(had, new_had, actor=actor)
    # SSR: yearly tacit renewal, the current period ends in five months: « à renouveler ».
    period_end = today + timedelta(days=150)
    _registered(scene, ist, ("210986725",), title="Convention d'aval en soins médicaux et de réadaptation",
                partner_types=["ssr"], themes=["retour_domicile", "orientation"],
                effective=add_months(period_end + timedelta(days=1), -36), duration=12, tacit=True,
                signed_on=add_months(period_end, -36) - timedelta(days=10))
    # MMG: in force, tacit renewal by three years.
    _registered(scene, ist, ("mmg_tille",), title="Convention de permanence des soins avec la maison médicale de "
                "garde", partner_types=["mmg"], themes=["pdsa", "continuite_soins"], legal_bases=["R6315-3"],
                effective=scene.months_ago(26), duration=36, tacit=True,
                signed_on=scene.months_ago(26) - timedelta(days=14))
    # USLD in negotiation (two drafts), DAC in draft.
    _drafted(scene, ist, ("210986386",), "ssr_usld", effective=scene.months_ago(-3), duration=36,
             status=Status.EN_NEGOCIATION, drafted_on=today - timedelta(days=40), partner_types=["usld"],
             fields={"partner_activity": "soins de longue durée (USLD)"})
    _drafted(scene, ist, ("dac_21",), "dac", effective=scene.months_ago(-3), duration=36,
             status=Status.BROUILLON, drafted_on=today - timedelta(days=6))
    return partners


def _auxonne(scene: DemoScene) -> None:
    aux = "210987640"
    # L6111-3-2 signed on paper, never sent to the ARS: « à risque ».
    _registered(scene, aux, ("210013611",), title="Convention de l'hôpital de proximité avec la CPTS Pays d'Or",
                partner_types=["cpts"], themes=["continuite_soins", "coordination", "pdsa"],
                legal_bases=["L6111-3-2"], effective=scene.months_ago(20), duration=60, tacit=False,
                signed_on=scene.months_ago(20) - timedelta(days=7))
    # L6111-3-3 drafted in the application, signed electronically and sent: « satisfait ».
    signed = scene.months_ago(11, first=False)
    _drafted(scene, aux, ("210986089",), "l6111_3_3", effective=scene.months_ago(10), duration=60, tacit=False,
             status=Status.SIGNEE, drafted_on=signed - timedelta(days=60), signed_on=signed, sent_after=14,
             fields=GHT_FIELDS, clauses=("consultations_avancees", "telemedecine"))


def _lormes(scene: DemoScene) -> None:
    lormes = "580972610"
    # L6111-3-3 with the CH de Nevers, signed on paper and sent: « satisfait ».
    _registered(scene, lormes, ("580972693",), title="Convention avec le CH de Nevers, établissement support du "
                "GHT de la Nièvre", partner_types=["second_recours"],
                themes=["orientation", "consultations_avancees", "telemedecine"], legal_bases=["L6111-3-3"],
                effective=scene.months_ago(30), duration=60, tacit=False,
                signed_on=scene.months_ago(30) - timedelta(days=15), sent_after=21)
    # HAD in force.
    _registered(scene, lormes, ("580001899",), title="Convention d'intervention de l'HAD Nivernais Morvan",
                partner_types=["had"], themes=["retour_domicile"], effective=scene.months_ago(18), duration=36,
                tacit=True, signed_on=scene.months_ago(18) - timedelta(days=3))
    # L6111-3-2: the year after the listing is long over and the draft is still in negotiation: « manquant ».
    _drafted(scene, lormes, ("580006849", "580006617"), "l6111_3_2", effective=scene.months_ago(-2), duration=60,
             tacit=False, status=Status.EN_NEGOCIATION, drafted_on=scene.today - timedelta(days=30),
             partner_types=["cpts", "msp"],
             fields={**PARTNERS_FIELDS, "follow_up_body": FOLLOW_UP_BODIES[0]})
