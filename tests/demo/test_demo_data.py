import io
from collections import Counter
from datetime import date

import docx
import pytest

from sqlalchemy import func, select

from registry.accounts.models import User
from registry.audit.models import AuditLog
from registry.compliance.adapter import evaluate_hospitals
from registry.conventions import lifecycle
from registry.conventions.followup import expiring
from registry.conventions.models import Convention, ConventionDocument, ConventionEvent
from registry.conventions.statuses import Status
from registry.core import clock
from registry.core.storage import document_store
from registry.core.vocabulary import PARTNER_TYPES
from registry.cpom.models import Cpom, CpomDeclaration
from registry.demo.loader import ACCOUNTS
from registry.extensions import db
from registry.hospitals.models import HospitalProfile, Partnership
from registry.organisations.models import Organisation

COUNTED = (Organisation, HospitalProfile, Partnership, User, Convention, ConventionDocument, ConventionEvent, Cpom,
           CpomDeclaration, AuditLog)
IS_SUR_TILLE, AUXONNE, LORMES, CLUNISOIS = "210987582", "210987640", "580972610", "710978131"


def _counts():
    return tuple(db.session.scalar(select(func.count()).select_from(model)) for model in COUNTED)


def _verdicts() -> dict[tuple[str, str], str]:
    """(FINESS, requirement) -> verdict, under the texts in force, as the dashboard computes them."""
    results = evaluate_hospitals(select(HospitalProfile).join(HospitalProfile.organisation))
    return {(result.finess_et, item.code): item.verdict for result in results for item in result.verdicts}


def test_demo_data_loads_a_real_region_and_is_idempotent(runner):
    result = runner.invoke(args=["demo-data"])
    assert result.exit_code == 0, result.output
    assert "admin@demo.fr" in result.output and "mot de passe" in result.output
    counts = _counts()
    organisations, hospitals, partnerships, users = counts[:4]
    assert organisations == 809 + 2  # the Bourgogne FINESS rows and two partners outside FINESS
    assert hospitals == 4 and users == 3
    types = {t for (types,) in db.session.execute(select(Partnership.partner_types)) for t in types}
    assert types >= set(PARTNER_TYPES) - {"other"}
    assert db.session.scalar(select(func.count(AuditLog.id)).where(AuditLog.action == "partnership.create")) \
        == partnerships

    cpom = db.session.scalars(select(Cpom)).one()
    assert [site.finess_et for site in cpom.sites] == [IS_SUR_TILLE] and len(cpom.engagements) == 6
    assert cpom.effective_on <= clock.today() <= cpom.ends_on and cpom.signed_copy_sha256
    first = cpom.effective_on.year
    statuses = {(e.indicator, d.year): d.status for e in cpom.engagements for d in e.declarations}
    assert statuses[("admissions_urgences", first)] == "validee"
    assert statuses[("admissions_urgences", first + 1)] == "preuve_demandee"
    linked = next(e for e in cpom.engagements if e.indicator == "convention_l6111_3_2").conventions
    assert [c.legal_bases for c in linked] == [["L6111-3-2"]] and linked[0].status == lifecycle.SIGNEE

    again = runner.invoke(args=["demo-data"])
    assert again.exit_code == 0, again.output
    assert "déjà présentes" in again.output
    assert _counts() == counts  # nothing created, not even an audit entry


@pytest.mark.parametrize("day", [None, date(2029, 1, 31)])
def test_demo_conventions_are_in_every_status_and_state(runner, day):
    """On the suite's day and on another (a month's end): the dates are counted from the clock."""
    with clock.travel(day or clock.today()):
        _assert_every_status_and_state(runner)


def _assert_every_status_and_state(runner):
    assert runner.invoke(args=["demo-data"]).exit_code == 0
    conventions = db.session.scalars(select(Convention)).all()
    assert {c.status for c in conventions} == set(lifecycle.STATUSES)
    states = Counter(c.state_on() for c in conventions if c.status in (lifecycle.SIGNEE, lifecycle.RESILIEE))
    assert set(states) == {*lifecycle.STATES, lifecycle.RESILIEE}
    # drafted from the shipped templates (with drafts) and registered with their signed copy
    assert {c.template_version.code for c in conventions if c.template_version} >= {"l6111_3_2", "l6111_3_3", "had"}
    assert all(c.drafts for c in conventions if c.template_version)
    signed = [c for c in conventions if c.signed_on is not None]
    assert all(c.signed_copies for c in signed)
    labels = {copy.signature_report["label"] for c in signed for copy in c.signed_copies}
    assert labels == {"intègre, certificat non vérifié", "signature manuscrite (copie numérisée)"}
    avenant = next(c for c in conventions if c.is_avenant)
    assert avenant.status == lifecycle.SIGNEE and avenant.parent.status == lifecycle.SIGNEE
    replaced = [c for c in conventions if c.superseded_by is not None]
    assert {c.state_on() for c in replaced} == {lifecycle.A_RENOUVELER, lifecycle.EXPIREE, lifecycle.RESILIEE}
    # the follow-up: one ending within 90 days, one to renew later, one expired
    followups = {row.convention.reference: row for row in expiring(within_days=90)}
    assert any(row.ends_within for row in followups.values())
    assert {row.category for row in expiring(within_days=0)} >= {"a_renouveler", "expiree"}


def test_demo_compliance_is_a_mix_of_verdicts(runner):
    assert runner.invoke(args=["demo-data"]).exit_code == 0
    verdicts = _verdicts()
    assert verdicts[(IS_SUR_TILLE, "l6111_3_2")] == "satisfait"
    assert verdicts[(AUXONNE, "l6111_3_2")] == "a_risque"  # signed, never sent to the ARS
    assert verdicts[(LORMES, "l6111_3_2")] == "manquant"  # the year is over, the draft still in negotiation
    assert verdicts[(CLUNISOIS, "l6111_3_2")] == "a_risque"  # listed a few months ago: the year is running
    assert verdicts[(IS_SUR_TILLE, "l6111_3_3")] == "a_risque"  # ends within 90 days
    assert verdicts[(AUXONNE, "l6111_3_3")] == verdicts[(LORMES, "l6111_3_3")] == "satisfait"
    assert verdicts[(CLUNISOIS, "l6111_3_3")] == "non_evalue"  # GHT support establishment unknown
    spread = Counter(verdicts.values())
    assert spread["satisfait"] >= 8 and spread["manquant"] < len(verdicts) / 4


def test_demo_data_if_empty_leaves_a_used_database_alone(runner, make_organisation):
    make_organisation()
    db.session.commit()
    result = runner.invoke(args=["demo-data", "--if-empty"])
    assert result.exit_code == 0, result.output
    assert "non chargée" in result.output
    assert _counts()[0] == 1


def _page(app, email: str, password: str, url: str) -> str:
    """``url`` as the demo account ``email`` sees it after signing in (one client and app context per account)."""
    with app.app_context():
        client = app.test_client()
        assert client.post("/connexion", data={"email": email, "password": password}).status_code == 302
        response = client.get(url)
        assert response.status_code == 200, url
        return response.get_data(as_text=True)


def test_demo_pages_show_conventions_in_several_states_to_each_role(app, runner):
    runner.invoke(args=["demo-data"])
    db.session.commit()
    accounts = {role: (email, password) for email, password, role, _options in ACCOUNTS}
    ist = db.session.scalar(select(HospitalProfile).join(HospitalProfile.organisation)
                            .where(Organisation.finess_et == IS_SUR_TILLE))
    references = [c.reference for c in db.session.scalars(select(Convention).where(Convention.hospital_id == ist.id))]

    for role in ("hospital", "admin"):
        page = _page(app, *accounts[role], f"/hopitaux/{IS_SUR_TILLE}")
        assert all(reference in page for reference in references)
        assert all(status.label in page for status in Status), role
        followup = _page(app, *accounts[role], "/conventions/echeances")
        assert sum(reference in followup for reference in references) >= 3

    # the ARS dashboard: the L6111-3-2 convention satisfied, at risk and missing, hospital by hospital
    def hospitals_with(verdict: str) -> set[str]:
        page = _page(app, *accounts["ars"], f"/conformite?exigence=l6111_3_2&verdict={verdict}")
        return {finess for finess in (IS_SUR_TILLE, AUXONNE, LORMES, CLUNISOIS) if f"FINESS {finess}" in page}

    assert hospitals_with("satisfait") == {IS_SUR_TILLE}
    assert hospitals_with("a_risque") == {AUXONNE, CLUNISOIS}
    assert hospitals_with("manquant") == {LORMES}
    dashboard = _page(app, *accounts["ars"], "/conformite")
    assert "AUXONNE" in dashboard.upper() and "non transmise" in dashboard


def _draft_text(document: ConventionDocument) -> str:
    word = docx.Document(io.BytesIO(document_store().read(document.sha256)))
    return "\n".join([p.text for p in word.paragraphs] +
                     [cell.text for table in word.tables for row in table.rows for cell in row.cells])


def test_demo_drafts_say_what_empowers_each_signatory(runner):
    assert runner.invoke(args=["demo-data"]).exit_code == 0
    drafts = [document for convention in db.session.scalars(select(Convention)) for document in convention.drafts]
    assert len(drafts) >= 8
    for draft in drafts:
        text = _draft_text(draft)
        parties = text[:text.index("VISAS")]  # the parties, each with its signatory and the basis of its power
        assert parties.count("pouvoir de signer : ") == len(draft.convention.parties), draft.filename
        assert "………" not in parties, (draft.filename, parties)
    ist = next(draft for draft in drafts if draft.convention.template_version.code == "l6111_3_2"
               and draft.convention.hospital.organisation.finess_et == IS_SUR_TILLE)
    parties = _draft_text(ist)
    assert ("Claire Morel, Directrice (pouvoir de signer : en sa qualité de directrice, représentante légale de "
            "l'établissement (article L. 6143-7 du code de la santé publique))") in parties
    assert "(pouvoir de signer : statuts de l'association, en sa qualité de président)" in parties


def test_the_demo_had_draft_names_its_authorisation(runner):
    assert runner.invoke(args=["demo-data"]).exit_code == 0
    had = next(document for convention in db.session.scalars(select(Convention)) for document in convention.drafts
               if convention.template_version is not None and convention.template_version.code == "had")
    text = _draft_text(had)
    assert "n° 2023-HAD-014 du 12 juin 2023" in text and "Mention réadaptation" in text
    assert "domicile suivante : ……" not in text
