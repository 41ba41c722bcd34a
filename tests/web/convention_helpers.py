"""What the convention page tests share: a hospital with two partners and users of every kind, the shipped
templates, and valid form values for any template."""

from dataclasses import dataclass

import pytest
from sqlalchemy import func, select

from registry.conventions.models import Convention, ReferenceCounter
from registry.documents.manifest import parse_manifest
from registry.documents.versions import sync_shipped_templates
from registry.extensions import db


@dataclass
class Drafting:
    hospital: object
    chu: object
    ehpad: object
    staff: object
    other_staff: object
    ars: object
    ars_other: object
    admin: object
    templates: dict


@pytest.fixture
def drafting(make_organisation, make_hospital, make_partnership, make_user) -> Drafting:
    hospital = make_hospital(make_organisation(
        name="CH D'IS-SUR-TILLE", category_code="106", address="1 R DU GENERAL LECLERC", postal_code="21120",
        city="IS SUR TILLE", departement="21"), decision_ref="ARS-BFC-2022-118")
    other = make_hospital(make_organisation(name="CH DE MONTBARD", category_code="106", departement="21"))
    chu = make_partnership(hospital, make_organisation(name="CHU DIJON BOURGOGNE", category_code="101"),
                           partner_types=["second_recours"])
    ehpad = make_partnership(hospital, make_organisation(name="EHPAD LE CHAMP DE MARS", category_code="500"),
                             partner_types=["ehpad"])
    scene = Drafting(
        hospital=hospital, chu=chu, ehpad=ehpad,
        staff=make_user("hospital", organisations=[hospital.organisation]),
        other_staff=make_user("hospital", organisations=[other.organisation]),
        ars=make_user("ars", region="27"), ars_other=make_user("ars", region="84"), admin=make_user("admin"),
        templates={version.code: version for version in sync_shipped_templates()})
    db.session.commit()
    return scene


def sample_value(spec) -> str | None:
    """A value the form accepts for a manifest field (None: left empty)."""
    return {"text": f"{spec.label} rempli", "list": "Cardiologie\nGériatrie", "date": "2027-03-01", "int": "2",
            "choice": spec.choices[0] if spec.choices else "", "bool": "y"}.get(spec.type)


def form_values(scene: Drafting, code: str, partnerships=None, **overrides) -> dict:
    """Valid form data for the template ``code``: every manifest field filled, the CHU as partner."""
    manifest = parse_manifest(scene.templates[code].manifest)
    data = {"partners": [str(p.id) for p in (partnerships or [scene.chu])], "effective_date": "2027-01-01",
            "duration_months": "36", "tacit_renewal": "y", "notice_months": "3",
            "themes": list(manifest.themes), "partner_types": list(manifest.partner_types), "clauses": [],
            f"signataire_{scene.hospital.organisation_id}_nom": "Marie Durand",
            f"signataire_{scene.hospital.organisation_id}_qualite": "Directrice"}
    for spec in manifest.fields:
        if spec.name != "notice_months":
            data[f"champ_{spec.name}"] = sample_value(spec)
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


def form_url(scene: Drafting, code: str) -> str:
    return f"/hopitaux/{scene.hospital.finess_et}/conventions/nouvelle/{code}"


def conventions() -> list[Convention]:
    db.session.expire_all()
    return list(db.session.scalars(select(Convention).order_by(Convention.id)))


def references_used() -> int:
    return db.session.scalar(select(func.coalesce(func.sum(ReferenceCounter.last_number), 0)))


def create_through_the_form(client, scene: Drafting, code: str = "second_recours", **overrides) -> Convention:
    response = client.post(form_url(scene, code), data=form_values(scene, code, **overrides))
    assert response.status_code == 302, response.get_data(as_text=True)[:3000]
    return conventions()[-1]
