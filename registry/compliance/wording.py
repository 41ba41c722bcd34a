"""The French sentences of the reasons: one convention's standing, a route's wording, a partner's location."""

from datetime import date

from registry.compliance import standing as st
from registry.compliance.facts import ConventionFacts, HospitalFacts, PartnerFacts
from registry.compliance.requirements import Route
from registry.core.french import french_date, french_join
from registry.core.vocabulary import THEMES

#: Gender and noun of each partner type, for « un EHPAD », « l'EHPAD », « une CPTS ».
NOUNS = {
    "second_recours": ("m", "établissement de second recours"), "ehpad": ("m", "EHPAD"),
    "ssr": ("m", "établissement SSR/SMR"), "usld": ("f", "USLD"), "had": ("f", "HAD"), "cpts": ("f", "CPTS"),
    "mmg": ("f", "maison médicale de garde"), "dac": ("m", "DAC"), "msp": ("f", "MSP"),
    "centre_sante": ("m", "centre de santé"), "other": ("m", "autre partenaire"),
}


def or_join(items: list[str]) -> str:
    """« A », « A ou B », « A, B ou C »."""
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " ou " + items[-1]


def indefinite(partner_type: str) -> str:
    gender, noun = NOUNS[partner_type]
    return ("un " if gender == "m" else "une ") + noun


def definite(partner_type: str) -> str:
    gender, noun = NOUNS[partner_type]
    if noun[0].lower() in "aeéèêiouyh":
        return "l'" + noun
    return ("le " if gender == "m" else "la ") + noun


def quoted(codes, vocabulary: dict = THEMES) -> list[str]:
    return [f"« {vocabulary.get(code, code)} »" for code in sorted(codes)]


def theme_groups(groups) -> str:
    """(a,), (b, c) → « A » et au choix « B » ou « C »."""
    parts = [quoted(group)[0] if len(group) == 1 else "au choix " + or_join(quoted(group)) for group in groups]
    return french_join(parts)


def route_phrase(route: Route) -> str:
    """« avec un EHPAD de son territoire », « couvrant « Coordination des parcours » »."""
    words = []
    if route.partner_types:
        partner = route.label or or_join([indefinite(code) for code in sorted(route.partner_types)])
        words.append("avec " + partner + (" de son territoire" if route.on_territory and not route.label else ""))
    if route.themes:
        words.append("couvrant " + theme_groups(route.themes))
    return " ".join(words)


def no_party_of(partner_types) -> str:
    """Why a convention that declares a type counts for nothing when none of its parties plays it."""
    kinds = or_join([NOUNS[code][1] for code in sorted(partner_types)])
    return f"déclarée pour le type {kinds}, que ne joue aucune de ses parties pour l'hôpital"


def location(partner: PartnerFacts) -> str:
    places = ([f"commune {partner.commune_code}"] if partner.commune_code else []) + (
        [f"département {partner.departement}"] if partner.departement else [])
    return ", ".join(places) or "localisation non renseignée"


def off_territory(partner: PartnerFacts, partner_type: str, hospital: HospitalFacts) -> str:
    if not hospital.has_territory:
        return (f"{definite(partner_type)} « {partner.name} » ne peut être situé : le territoire de l'hôpital n'est "
                "pas renseigné dans son profil")
    return f"{definite(partner_type)} « {partner.name} » est hors du territoire de l'hôpital ({location(partner)})"


def days(count: int) -> str:
    return "aujourd'hui même" if count == 0 else f"dans {count} jour" + ("s" if count > 1 else "")


def convention_phrase(convention: ConventionFacts, partners: list[str]) -> str:
    names = french_join([f"« {name} »" for name in partners])
    return f"la convention {convention.reference}" + (f" avec {names}" if names else "")


def standing_sentence(convention: ConventionFacts, partners: list[str], standing: st.Standing, at: date) -> str:
    """What the convention contributes on ``at``, as a sentence (for conventions that count or are at risk)."""
    subject = convention_phrase(convention, partners)
    subject = subject[0].upper() + subject[1:]
    if standing.state == st.NON_SIGNEE:
        if convention.signed_on is not None:
            return f"{subject} n'était pas encore signée à cette date (signée le {french_date(convention.signed_on)})."
        return f"{subject} n'est pas encore signée (statut : {convention.status.label.lower()})."
    signed = f"signée le {french_date(convention.signed_on)}" if convention.signed_on else "signée"
    if standing.state == st.PAS_ENCORE_EN_VIGUEUR:
        return f"{subject} est {signed} mais n'entre en vigueur que le {french_date(convention.effective_date)}."
    if standing.state == st.PREND_FIN:
        cause = (f" (résiliation à effet du {french_date(convention.terminated_on)})"
                 if convention.terminated_on is not None else "")
        return (f"{subject} est en vigueur mais prend fin le {french_date(standing.last_day)}{cause}, "
                f"{days((standing.last_day - at).days)}.")
    since = f" depuis le {french_date(convention.effective_date)}" if convention.effective_date else ""
    if standing.last_day is not None:
        until = f" jusqu'au {french_date(standing.last_day)}"
    elif convention.tacit_renewal and convention.end_date is not None and convention.renewed:
        until = f", reconduite tacitement (période en cours jusqu'au {french_date(convention.end_date)})"
    elif convention.tacit_renewal and convention.end_date is not None:
        until = (f" pour une première période jusqu'au {french_date(convention.end_date)}, reconductible "
                 "tacitement ensuite")
    else:
        until = ", sans date de fin"
    return f"{subject} est {signed} et en vigueur{since}{until}."


def discard_why(convention: ConventionFacts, standing: st.Standing) -> str:
    """Why a convention that fits the requirement does not count on the day (expired or terminated)."""
    if standing.state == st.EXPIREE:
        return f"expirée le {french_date(standing.last_day)}"
    if convention.terminated_on is not None:
        return f"résiliée, plus en vigueur depuis le {french_date(convention.terminated_on)}"
    return "résiliée"


#: Said after a convention's standing when its signed copy raised an alert (ConventionFacts.copy_alert).
COPY_ALERT_SENTENCES = {
    "ecartee": " Sa copie signée est mise à l'écart (signature électronique altérée, modifiée après signature ou "
               "illisible) : sa signature n'est pas prouvée par une copie contrôlée.",
    "confirmee": " Sa copie signée a été confirmée par l'hôpital malgré une alerte sur sa signature électronique.",
}
