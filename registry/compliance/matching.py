"""Which conventions meet a requirement's routes on a day, which are at risk, and which do not count and why."""

from dataclasses import dataclass
from datetime import date, timedelta

from registry.compliance import standing as st
from registry.compliance import wording
from registry.compliance.facts import ConventionFacts, HospitalFacts, PartnerFacts
from registry.compliance.requirements import A_RISQUE, MANQUANT, SATISFAIT, Route
from registry.compliance.verdicts import Discarded, Evidence
from registry.core.french import french_date, french_join


@dataclass(frozen=True)
class Candidate:
    """A convention that fits a route and counts, or would count but is at risk."""

    convention: ConventionFacts
    standing: st.Standing
    #: The partners that hold the route's type (on the territory when the route asks for it).
    partners: tuple[PartnerFacts, ...]
    kinds: tuple[str, ...]
    #: It counts through themes the hospital declared (a registered convention): said in the reason.
    declared: bool = False

    def rank(self) -> tuple:
        """Best first: counts, then at risk (ending, not yet in force, unsigned); then ending last; reference."""
        order = 0 if self.standing.counts else 1 + st.AT_RISK.index(self.standing.state)
        end = self.standing.last_day
        return order, end is not None, -end.toordinal() if end else 0, self.convention.reference

    def evidence(self) -> Evidence:
        convention = self.convention
        return Evidence(convention.reference, self.standing.state, convention.status,
                        tuple(partner.name for partner in self.partners), self.kinds, convention.signed_on,
                        convention.effective_date, self.standing.last_day, convention.copy_alert)

    def sentence(self, at: date) -> str:
        sentence = wording.standing_sentence(self.convention, [p.name for p in self.partners], self.standing, at)
        if self.declared:
            sentence += (" Ses thèmes (" + ", ".join(wording.quoted(self.convention.themes)) + ") sont déclarés par "
                         "l'hôpital : à vérifier sur la copie signée.")
        return sentence + wording.COPY_ALERT_SENTENCES.get(self.convention.copy_alert, "")


@dataclass(frozen=True)
class Assessment:
    verdict: str
    reason: str
    evidence: tuple[Evidence, ...] = ()
    discarded: tuple[Discarded, ...] = ()
    deadline: date | None = None
    flags: tuple[str, ...] = ()


def match(route: Route, convention: ConventionFacts, standing: st.Standing,
          hospital: HospitalFacts) -> Candidate | Discarded | None:
    """A candidate, a discarded convention with the reason, or None when the route is not about it."""
    if route.legal_basis and route.legal_basis not in convention.legal_bases:
        return None
    kinds = tuple(sorted(route.partner_types & convention.partner_types))
    if route.partner_types and not kinds:
        return None
    missing = [group for group in route.themes if not group & convention.themes]
    if missing:
        if not route.partner_types:
            return None
        return Discarded(convention.reference, "ne couvre pas " + wording.theme_groups(missing))
    players = [partner for partner in convention.partners if partner.partner_types & set(kinds)]
    if not players:
        if kinds and any(partner.partner_types for partner in convention.partners):
            # a type ticked on the convention that none of its parties plays for the hospital proves nothing
            return Discarded(convention.reference, wording.no_party_of(kinds))
        players = list(convention.partners)  # parties the hospital no longer records: their types are unknown
    if route.also_types:
        players = [partner for partner in players if route.also_types <= partner.partner_types]
        if not players:
            return None
    if route.ght_support:
        support = [partner for partner in convention.partners if partner.is_establishment(hospital.ght_support)]
        if not support:
            return Discarded(convention.reference, "aucune de ses parties n'est l'établissement support du GHT "
                                                   f"(FINESS {hospital.ght_support})")
        players = support
    if route.on_territory:
        on_territory = [partner for partner in players if hospital.covers(partner)]
        if not on_territory:
            return Discarded(convention.reference, "; ".join(
                wording.off_territory(partner, _kind_of(partner, kinds), hospital) for partner in players)
                or "aucun partenaire enregistré")
        players = on_territory
    if standing.counts or standing.at_risk:
        return Candidate(convention, standing, tuple(players), kinds, bool(route.themes) and convention.themes_declared)
    return Discarded(convention.reference, wording.discard_why(convention, standing))


def _kind_of(partner: PartnerFacts, kinds: tuple[str, ...]) -> str:
    return next((kind for kind in kinds if kind in partner.partner_types), kinds[0] if kinds else "other")


def assess(routes: tuple[Route, ...], hospital: HospitalFacts, conventions: list[ConventionFacts], at: date,
           standings: dict[str, st.Standing]) -> Assessment:
    """The verdict the routes give on ``at``: satisfait, a_risque or manquant, with reason and evidence.
    ``standings``: each convention's standing on ``at``, by reference (computed once per evaluation)."""
    candidates: dict[str, Candidate] = {}
    discards: dict[str, list[str]] = {}
    for convention in conventions:
        standing = standings[convention.reference]
        if standing.state == st.INEXISTANTE:
            continue
        for route in routes:
            result = match(route, convention, standing, hospital)
            if isinstance(result, Candidate):
                candidates.setdefault(convention.reference, result)
            elif result is not None and result.why not in discards.setdefault(convention.reference, []):
                discards[convention.reference].append(result.why)
    discarded = tuple(Discarded(reference, " ; ".join(whys)) for reference, whys in sorted(discards.items())
                      if reference not in candidates)
    ranked = sorted(candidates.values(), key=Candidate.rank)
    counting = [candidate for candidate in ranked if candidate.standing.counts]
    if counting:
        return _supported(SATISFAIT, counting, at, discarded, "Autres conventions en vigueur")
    if ranked:
        relay = _relay(ranked[0], ranked[1:])
        if relay is not None:
            reason = ranked[0].sentence(at) + " " + _relay_sentence(relay)
            return Assessment(SATISFAIT, reason, (ranked[0].evidence(), relay.evidence()), discarded)
        return _supported(A_RISQUE, ranked, at, discarded, "Autres conventions en cours")
    return Assessment(MANQUANT, _missing(routes, hospital, conventions, discarded), (), discarded)


def _supported(verdict: str, candidates: list[Candidate], at: date, discarded, others_label: str) -> Assessment:
    reason = candidates[0].sentence(at)
    if candidates[0].standing.state == st.PREND_FIN:
        reason += " À renouveler."
    if len(candidates) > 1:
        reason += f" {others_label} : " + ", ".join(c.convention.reference for c in candidates[1:]) + "."
    return Assessment(verdict, reason, tuple(candidate.evidence() for candidate in candidates), discarded)


def _relay(ending: Candidate, others: list[Candidate]) -> Candidate | None:
    """A signed convention that takes over, without a gap, from one in force that ends within the window."""
    if ending.standing.state != st.PREND_FIN:
        return None
    last = ending.standing.last_day
    for other in others:
        starts = other.convention.effective_date
        if (other.standing.state == st.PAS_ENCORE_EN_VIGUEUR and starts <= last + timedelta(days=1)
                and (other.standing.last_day is None or other.standing.last_day > last)):
            return other
    return None


def _relay_sentence(relay: Candidate) -> str:
    phrase = wording.convention_phrase(relay.convention, [p.name for p in relay.partners])
    signed = f", signée le {french_date(relay.convention.signed_on)}," if relay.convention.signed_on else ", signée,"
    return (f"Elle est relayée sans interruption par {phrase}{signed} en vigueur à partir du "
            f"{french_date(relay.convention.effective_date)}.")


def _missing(routes, hospital: HospitalFacts, conventions, discarded) -> str:
    sentences = ["Aucune convention signée et en vigueur " + ", ni ".join(map(wording.route_phrase, routes)) + "."]
    sentences += [f"Convention {item.reference} : {item.why}." for item in discarded]
    alone = _partners_without_convention(routes, hospital, conventions)
    if alone:
        sentences.append(("Partenaires sans convention : " if len(alone) > 1 else "Partenaire sans convention : ")
                         + french_join(alone) + ".")
    return " ".join(sentences)


def _partners_without_convention(routes, hospital: HospitalFacts, conventions) -> list[str]:
    parties = {partner.key for convention in conventions for partner in convention.partners}
    types = frozenset().union(*(route.partner_types for route in routes))
    named = []
    for partner in sorted(hospital.partners, key=lambda p: (p.name, p.key)):
        kinds = sorted(partner.partner_types & types)
        if not kinds or partner.key in parties:
            continue
        far = all(route.on_territory for route in routes
                  if route.partner_types & set(kinds) and route.also_types <= partner.partner_types)
        named.append(f"{wording.definite(kinds[0])} « {partner.name} »"
                     + (" (hors du territoire)" if far and not hospital.covers(partner) else ""))
    return named
