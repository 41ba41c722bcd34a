"""Partners outside FINESS: created and changed with their commune (found by name), address and representative."""

import pytest
from sqlalchemy import func, select

from registry.audit.models import AuditLog
from registry.core.errors import DomainError
from registry.extensions import db
from registry.organisations.models import Organisation
from registry.organisations.services import create_external_partner, update_external_partner

SIRET = "81234567800013"
CPTS = {"name": "CPTS du Haut Auxois", "siret": SIRET, "commune": "Is-sur-Tille", "address": " 3  rue de la Gare ",
        "representative_name": "Mme Claire Martin", "representative_title": "présidente"}


def _count() -> int:
    return db.session.scalar(select(func.count()).select_from(Organisation))


def test_commune_by_name_gives_code_name_departement_and_postcode(app):
    partner = create_external_partner(partner_types=["cpts"], **CPTS)
    assert (partner.commune_code, partner.city, partner.postal_code) == ("21317", "Is-sur-Tille", "21120")
    assert (partner.departement, partner.region, partner.address) == ("21", "27", "3 rue de la Gare")
    assert partner.representative == ("Mme Claire Martin", "présidente")
    assert partner.source == "manual" and partner.town == "Is-sur-Tille"


def test_corsica_and_overseas_communes_give_the_finess_departement(app):
    ajaccio = create_external_partner(partner_types=["cpts"], name="CPTS Ajaccio", siret="82345678900010",
                                      commune="ajaccio")
    assert (ajaccio.commune_code, ajaccio.departement, ajaccio.region) == ("2A004", "2A", "94")
    abymes = create_external_partner(partner_types=["cpts"], name="CPTS Abymes", rna="W971123456",
                                     commune="97101", postal_code="97139")
    assert (abymes.city, abymes.departement, abymes.postal_code) == ("Les Abymes", "9A", "97139")


def test_an_insee_code_and_a_departement_are_still_accepted(app):
    partner = create_external_partner(partner_types=["cpts"], name="CPTS", rna="W212001234", departement="21",
                                      commune="21603")
    assert (partner.city, partner.commune_code) == ("Semur-en-Auxois", "21603")
    partner = create_external_partner(partner_types=["mmg"], name="MMG", rna="W212001235", departement="21")
    assert (partner.city, partner.commune_code, partner.town) == (None, None, "")


@pytest.mark.parametrize("overrides, message", [
    ({"commune": "Saint-Martin"}, "plusieurs communes portent le nom « Saint-Martin » : précisez laquelle"),
    ({"commune": "Is-su"}, "aucune commune ne correspond à « Is-su »"),
    ({"commune": "Dijon", "departement": "71"}, "la commune Dijon (21) n'appartient pas au département 71"),
    ({"commune": None}, "indiquez la commune ou le département du partenaire"),
    ({"postal_code": "2112"}, "le code postal « 2112 » doit compter 5 chiffres"),
    ({"postal_code": "21000"}, "le code postal 21000 n'est pas celui de Is-sur-Tille (21), qui a pour code postal "
                               "21120 : laissez-le vide pour prendre celui de la commune"),
    ({"representative_title": "p" * 121}, "la fonction du représentant légal ne peut dépasser 120 caractères"),
    ({"siret": None}, "indiquez le SIRET ou le numéro RNA du partenaire"),
])
def test_bad_values_create_nothing(app, overrides, message):
    before = _count()
    with pytest.raises(DomainError) as raised:
        create_external_partner(partner_types=["cpts"], **{**CPTS, **overrides})
    assert raised.value.message.startswith("Partenaire refusé : ") and message in raised.value.message
    assert _count() == before


def test_update_changes_the_details_and_audits_them(app):
    partner = create_external_partner(partner_types=["cpts"], **CPTS)
    update_external_partner(partner, **{**CPTS, "commune": "Saint-Rémy (21)", "address": "Mairie",
                                        "representative_name": "M. Paul Durand", "representative_title": "président"})
    assert (partner.commune_code, partner.city, partner.address) == ("21568", "Saint-Rémy", "Mairie")
    assert partner.postal_code == "21500"  # the new commune's only postcode
    assert partner.representative == ("M. Paul Durand", "président")
    entry = db.session.scalar(select(AuditLog).where(AuditLog.action == "organisation.update"))
    assert entry.changes["commune_code"] == ["21317", "21568"] and entry.changes["city"] == ["Is-sur-Tille",
                                                                                               "Saint-Rémy"]


def test_bad_update_changes_nothing(app, make_organisation):
    partner = create_external_partner(partner_types=["cpts"], **CPTS)
    make_organisation(name="AUTRE", siret="82345678900010", finess_et=None, finess_ej=None, source="manual")
    db.session.commit()
    with pytest.raises(DomainError, match="déjà celui de « AUTRE »"):
        update_external_partner(partner, **{**CPTS, "siret": "82345678900010"})
    with pytest.raises(DomainError, match="aucune commune"):
        update_external_partner(partner, **{**CPTS, "commune": "Atlantide"})
    db.session.rollback()
    assert (partner.siret, partner.commune_code) == (SIRET, "21317")


def test_a_finess_establishment_is_not_changed_here(app, make_organisation):
    with pytest.raises(DomainError, match="Seul un partenaire hors FINESS"):
        update_external_partner(make_organisation(), **CPTS)


def test_town_falls_back_on_the_official_name_of_the_code(app, make_organisation):
    """A partner recorded before communes were named: only its INSEE code is known."""
    assert make_organisation(city=None, commune_code="21317").town == "Is-sur-Tille"
