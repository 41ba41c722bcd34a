"""What the CPOM page tests share: the CPOM of Semur with five engagements of the built-in catalogue, and the
forms an establishment and its ARS post about an engagement's year."""

import io
from datetime import date

import pytest
from sqlalchemy import func, select

from registry.cpom import services
from registry.cpom.models import CpomDeclaration, CpomEngagement
from registry.extensions import db
from tests.clock import TODAY

START = date(TODAY.year - 1, 1, 1)
YEAR = START.year
PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"


@pytest.fixture
def cpom(scene):
    """The CPOM of Semur, signed last year, with five engagements of the built-in catalogue."""
    record = services.create_cpom(scene.hdp, signed_on=START, effective_on=START, actor=scene.ars)
    for indicator, comparator, value in (("admissions_urgences", "<=", 0.3), ("connaissance_offre", "present", None),
                                         ("collaborations_ville", "present", None), ("ip_dms", "<=", 1.05),
                                         ("convention_l6111_3_2", "present", None)):
        services.add_engagement(record, indicator=indicator, comparator=comparator, target_value=value,
                                actor=scene.ars)
    db.session.commit()
    return record


def engagement(cpom, indicator) -> CpomEngagement:
    return next(item for item in cpom.engagements if item.indicator == indicator)


def base(scene, cpom, indicator, year=YEAR) -> str:
    return f"/hopitaux/{scene.hdp.finess_et}/cpom/{cpom.id}/engagements/{engagement(cpom, indicator).id}/{year}"


def declaration(cpom, indicator, year=YEAR) -> CpomDeclaration | None:
    db.session.expire_all()
    return db.session.scalar(select(CpomDeclaration).where(
        CpomDeclaration.engagement_id == engagement(cpom, indicator).id, CpomDeclaration.year == year))


def count(model) -> int:
    db.session.expire_all()
    return db.session.scalar(select(func.count()).select_from(model))


def declare_ratio(client, scene, cpom, numerator="250", denominator="1000"):
    prefix = f"declaration-{engagement(cpom, 'admissions_urgences').id}"
    return client.post(base(scene, cpom, "admissions_urgences") + "/declaration",
                       data={f"{prefix}-numerator": numerator, f"{prefix}-denominator": denominator,
                             f"{prefix}-comment": "Données PMSI"})


def proof_upload(client, scene, cpom, data=PDF, name="preuve.pdf", indicator="admissions_urgences"):
    prefix = f"preuve-{engagement(cpom, indicator).id}"
    return client.post(base(scene, cpom, indicator) + "/preuves", content_type="multipart/form-data",
                       data={f"{prefix}-file": (io.BytesIO(data), name)})


def request_proof(client, scene, cpom, due, indicator="admissions_urgences"):
    prefix = f"demande-{engagement(cpom, indicator).id}"
    return client.post(base(scene, cpom, indicator) + "/demande-de-preuve", data={f"{prefix}-due": due})


def review(client, scene, cpom, decision, comment="", indicator="admissions_urgences"):
    prefix = f"revue-{engagement(cpom, indicator).id}"
    return client.post(base(scene, cpom, indicator) + "/revue",
                       data={f"{prefix}-decision": decision, f"{prefix}-comment": comment})
