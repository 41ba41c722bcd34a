from sqlalchemy import func, select

from registry.accounts.models import User
from registry.audit.models import AuditLog
from registry.core.vocabulary import PARTNER_TYPES
from registry.cpom.models import Cpom
from registry.extensions import db
from registry.hospitals.models import HospitalProfile, Partnership
from registry.organisations.models import Organisation


def _counts():
    return tuple(db.session.scalar(select(func.count()).select_from(model))
                 for model in (Organisation, HospitalProfile, Partnership, User))


def test_demo_data_loads_a_real_region_and_is_idempotent(runner):
    result = runner.invoke(args=["demo-data"])
    assert result.exit_code == 0, result.output
    assert "admin@demo.fr" in result.output and "mot de passe" in result.output
    organisations, hospitals, partnerships, users = _counts()
    assert organisations == 809 + 2  # the Bourgogne FINESS rows and two partners outside FINESS
    assert hospitals == 4 and users == 3
    types = {t for (types,) in db.session.execute(select(Partnership.partner_types)) for t in types}
    assert types >= set(PARTNER_TYPES) - {"other"}
    assert db.session.scalar(select(func.count(AuditLog.id)).where(AuditLog.action == "partnership.create")) \
        == partnerships

    cpom = db.session.scalars(select(Cpom)).one()
    assert [site.finess_et for site in cpom.sites] == ["210987582"] and len(cpom.engagements) == 6
    statuses = {(e.indicator, d.year): d.status for e in cpom.engagements for d in e.declarations}
    assert statuses[("admissions_urgences", 2024)] == "validee"
    assert statuses[("admissions_urgences", 2025)] == "preuve_demandee"

    again = runner.invoke(args=["demo-data"])
    assert again.exit_code == 0, again.output
    assert "déjà présentes" in again.output
    assert _counts() == (organisations, hospitals, partnerships, users)


def test_demo_data_if_empty_leaves_a_used_database_alone(runner, make_organisation):
    make_organisation()
    db.session.commit()
    result = runner.invoke(args=["demo-data", "--if-empty"])
    assert result.exit_code == 0, result.output
    assert "non chargée" in result.output
    assert _counts()[0] == 1


def test_demo_accounts_can_log_in(runner, client):
    runner.invoke(args=["demo-data"])
    response = client.post("/connexion", data={"email": "ars@demo.fr", "password": "demo-ars-bfc-2026"})
    assert response.status_code == 302
    page = client.get("/").get_data(as_text=True)
    assert "AUXONNE" in page.upper()
