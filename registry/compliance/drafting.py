"""« Rédiger la convention manquante »: the template and the partner a missing or at-risk requirement calls for.

The drafting page (conventions.new_convention) opens a template by its code and preselects a partnership with
``?partenariat=<id>``; this module chooses both from the requirement's routes, the hospital's partners and the
templates' manifests (their ``partner_types`` and ``themes``).
"""

from dataclasses import dataclass

from registry.compliance.adapter import HospitalCompliance, PartnershipLink
from registry.compliance.requirements import A_RISQUE, BY_CPOM, MANQUANT, Requirement, Route
from registry.compliance.standing import PREND_FIN


#: Articles that each name one convention: a template resting on one is that convention, not a general model.
DEDICATED = frozenset({"L6111-3-2", "L6111-3-3", "D6124-204"})


@dataclass(frozen=True)
class TemplateChoice:
    code: str
    name: str
    partner_types: frozenset[str]
    #: Every theme a convention drafted from it can cover: its own articles' and its optional clauses'.
    themes: frozenset[str]
    #: The articles a convention drafted from it rests on (the manifest's ``legal_bases``).
    legal_bases: frozenset[str] = frozenset()
    #: The themes of the articles it always contains (the manifest's ``themes``).
    core_themes: frozenset[str] = frozenset()

    @classmethod
    def from_manifest(cls, manifest: dict) -> "TemplateChoice":
        themes = {*(manifest.get("themes") or ()),
                  *(theme for clause in manifest.get("clauses") or () for theme in clause.get("themes") or ())}
        return cls(manifest["code"], manifest.get("name", manifest["code"]),
                   frozenset(manifest.get("partner_types") or ()), frozenset(themes),
                   frozenset(manifest.get("legal_bases") or ()), frozenset(manifest.get("themes") or ()))


@dataclass(frozen=True)
class Suggestion:
    #: None when no template fits: the button then opens the template list.
    template: TemplateChoice | None
    partnership: PartnershipLink | None


def needs_drafting(requirement: Requirement, verdict: str) -> bool:
    """A convention can meet the requirement and none does (yet) on the day."""
    return verdict in (MANQUANT, A_RISQUE) and requirement.evaluation != BY_CPOM and bool(requirement.all_routes)


def suggest(requirement: Requirement, compliance: HospitalCompliance,
            templates: list[TemplateChoice]) -> Suggestion:
    """A convention that ends soon is renewed with its partner. Otherwise, the first route (in the rule's order)
    a partner of the hospital can serve, on its territory where the route asks for it, a partner without any
    convention first (then one whose conventions do not count); without such a partner, the first route naming a
    partner type. Then the template that fits that route and partner best."""
    hospital = compliance.facts
    routes = requirement.all_routes
    verdict = compliance.verdict(requirement.code)
    ending = verdict.evidence[0] if verdict.evidence and verdict.evidence[0].state == PREND_FIN else None
    renewing = tuple(link for link in compliance.partnerships if ending and link.partner.name in ending.partners)
    orders = [(route, renewing) for route in routes] + [
        (route, links) for route in routes for links in (_without_convention(compliance.partnerships),
                                                         compliance.partnerships)]
    for route, links in orders:
        link = next((link for link in links if _serves(route, link, hospital, templates)), None)
        if link is not None:
            return Suggestion(_template(route, templates, link), link)
    route = next((route for route in routes if route.partner_types), routes[0])
    return Suggestion(_template(route, templates, None), None)


def _without_convention(links: tuple[PartnershipLink, ...]) -> tuple[PartnershipLink, ...]:
    return tuple(link for link in links if not link.has_convention)


def _serves(route: Route, link: PartnershipLink, hospital, templates: list[TemplateChoice]) -> bool:
    """Whether the partner can be the other party of a convention meeting the route."""
    types = link.partner.partner_types
    if route.ght_support:
        return link.partner.is_establishment(hospital.ght_support)
    if not route.partner_types:  # any partner: one for which a template covering the themes is made
        return any(template.partner_types & types for template in _fitting(route, templates))
    return bool(route.partner_types & types) and (not route.on_territory or hospital.covers(link.partner))


def _fitting(route: Route, templates: list[TemplateChoice]) -> list[TemplateChoice]:
    if route.legal_basis:  # a statutory convention: only a template resting on its article will do
        return [template for template in templates if route.legal_basis in template.legal_bases]
    # a template made for one convention the law names is suggested only where that convention is asked for
    templates = [template for template in templates if not template.legal_bases & DEDICATED]
    if route.partner_types:
        return [template for template in templates if route.partner_types & template.partner_types]
    core = [template for template in templates if all(group & template.core_themes for group in route.themes)]
    return core or [template for template in templates if all(group & template.themes for group in route.themes)]


def _template(route: Route, templates: list[TemplateChoice], link: PartnershipLink | None) -> TemplateChoice | None:
    """A template for the route: the partner's own types first, then the most of the route's themes, then the most
    of its partner types, then the most specific (fewest partner types: the EHPAD template before the partners'
    convention that may include an EHPAD), then by name."""
    types = link.partner.partner_types if link is not None else frozenset()

    def score(template: TemplateChoice) -> tuple:
        themes = sum(1 for group in route.themes if group & template.themes)
        return (-len(types & template.partner_types), -themes, -len(route.partner_types & template.partner_types),
                len(template.partner_types), template.name)

    return min(_fitting(route, templates), key=score, default=None)
