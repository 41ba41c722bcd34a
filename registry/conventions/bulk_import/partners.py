"""Matching the rows' FINESS numbers to the registry's organisations: each row's partners (``find_partners``)
and the organisations that are not yet partners of the hospital, added by the import (``new_partners``).
"""

from dataclasses import dataclass

from sqlalchemy import select

from registry.conventions.bulk_import.rows import PartnerLine, Row
from registry.extensions import db
from registry.organisations.models import Organisation


@dataclass
class NewPartner:
    """An organisation of the registry that becomes the hospital's partner with the import."""

    organisation: Organisation
    partner_types: list[str]
    themes: list[str]
    lines: list[int]


def find_partners(hospital, rows: list[Row]) -> None:
    """Partners by FINESS ET, in two queries whatever the number of rows."""
    wanted = {number for row in rows for number in row.finess}
    found = {o.finess_et: o for o in db.session.scalars(select(Organisation).where(
        Organisation.finess_et.in_(wanted)))} if wanted else {}
    missing = wanted - found.keys()
    legal_entities = {number: name for number, name in db.session.execute(
        select(Organisation.finess_ej, Organisation.name).where(Organisation.finess_ej.in_(missing)))}
    partnerships = {p.partner_id: p for p in hospital.partnerships}
    for row in rows:
        for number in row.finess:
            organisation = found.get(number)
            if organisation is None and number in legal_entities:
                row.problems.append(f"« {number} » est le FINESS juridique (EJ) de {legal_entities[number]} : "
                                    "indiquez le FINESS de l'établissement (ET)")
            elif organisation is None:
                row.problems.append(f"FINESS « {number} » inconnu du registre : ajoutez ce partenaire à l'hôpital "
                                    "(hors FINESS s'il le faut) et enregistrez cette convention avec le formulaire")
            elif organisation.id == hospital.organisation_id:
                row.problems.append(f"« {number} » est l'hôpital lui-même : il est partie d'office, ne "
                                    "l'indiquez pas parmi les partenaires")
            else:
                row.partners.append(PartnerLine(organisation, partnerships.get(organisation.id)))


def new_partners(rows: list[Row]) -> list[NewPartner]:
    """Organisations named by rows that are not yet partners: added with the types their rows cover that they
    can play (else the types of their FINESS category), and their rows' themes."""
    new: dict[int, NewPartner] = {}
    for row in rows:
        for line in row.partners:
            if line.partnership is not None:
                continue
            organisation = line.organisation
            partner = new.setdefault(organisation.id, NewPartner(organisation, [], [], []))
            partner.partner_types += [t for t in row.partner_types if t in organisation.partner_types
                                      and t not in partner.partner_types]
            partner.themes += [t for t in row.themes if t not in partner.themes]
            partner.lines.append(row.line)
    for partner in new.values():
        partner.partner_types = partner.partner_types or list(partner.organisation.partner_types)
    return list(new.values())
