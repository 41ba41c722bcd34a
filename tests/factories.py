"""Factory fixtures: each builds one valid object, with keyword overrides, and flushes it."""

import itertools
from datetime import date

import pytest

from registry.accounts.models import User
from registry.accounts.services import create_token
from registry.core.geography import region_of
from registry.extensions import db
from registry.hospitals.models import HospitalProfile, Partnership
from registry.organisations.identifiers import finess_with_key
from registry.organisations.models import Organisation

PASSWORD = "motdepasse-de-test"
_counter = itertools.count(1)


def finess_for(departement: str, serial: int) -> str:
    """A valid FINESS number (correct Luhn key) in a département."""
    return finess_with_key(f"{departement}{serial:06d}")


@pytest.fixture
def make_organisation(app):
    def make(**overrides) -> Organisation:
        n = next(_counter)
        departement = overrides.pop("departement", "21")
        values = {
            "finess_et": finess_for(departement, 900000 + n),
            "finess_ej": finess_for(departement, 800000 + n),
            "name": f"ETABLISSEMENT {n}",
            "category_code": "355",
            "category_label": "Centre Hospitalier (C.H.)",
            "departement": departement,
            "region": region_of(departement),
            "commune_code": f"{departement}231",
            "postal_code": f"{departement}000",
            "city": "DIJON",
        }
        values.update(overrides)
        organisation = Organisation(**values)
        db.session.add(organisation)
        db.session.flush()
        return organisation
    return make


@pytest.fixture
def make_hospital(make_organisation):
    def make(organisation: Organisation | None = None, **overrides) -> HospitalProfile:
        organisation = organisation or make_organisation(category_code="106",
                                                         category_label="Centre hospitalier, ex Hôpital local")
        values = {"listed_on": date(2022, 5, 1), "decision_ref": "ARS-2022-001",
                  "territory_departements": [organisation.departement], "territory_communes": [],
                  "internal_activities": []}
        values.update(overrides)
        hospital = HospitalProfile(organisation=organisation, **values)
        db.session.add(hospital)
        db.session.flush()
        return hospital
    return make


@pytest.fixture
def make_partnership(make_organisation):
    def make(hospital: HospitalProfile, partner: Organisation | None = None, **overrides) -> Partnership:
        partner = partner or make_organisation(category_code="500", category_label="EHPAD")
        values = {"partner_types": partner.partner_types, "themes": []}
        values.update(overrides)
        partnership = Partnership(hospital=hospital, partner=partner, **values)
        db.session.add(partnership)
        db.session.flush()
        return partnership
    return make


@pytest.fixture
def make_user(app):
    def make(role: str = "admin", *, organisations=(), region: str | None = None, email: str | None = None,
             password: str = PASSWORD) -> User:
        n = next(_counter)
        user = User(email=email or f"{role}{n}@example.fr", role=role, region=region,
                    organisations=list(organisations))
        user.set_password(password)
        db.session.add(user)
        db.session.flush()
        return user
    return make


@pytest.fixture
def login(client):
    """login(user): signs the test client in through the login form."""
    def do_login(user: User, password: str = PASSWORD):
        db.session.commit()
        response = client.post("/connexion", data={"email": user.email, "password": password})
        assert response.status_code == 302, response.get_data(as_text=True)[:500]
        return response
    return do_login


@pytest.fixture
def token_headers(app):
    """token_headers(user): Authorization headers with a fresh API token of that user."""
    def make(user: User) -> dict:
        token = create_token(user)
        db.session.commit()
        return {"Authorization": f"Bearer {token}"}
    return make
