"""The CPOM's audit summaries (shown in a hospital's latest changes and history) read as French: dates in words,
values and targets as the CPOM pages write them; the machine ``changes`` stay as they were."""

from datetime import date, timedelta

from sqlalchemy import select

from registry.audit.models import AuditLog
from registry.cpom import avenants, campaign, catalogue_import, evaluation
from registry.cpom.catalogue import spec_of
from registry.extensions import db
from tests.clock import TODAY
from tests.cpom.conftest import PREVIOUS, START, YEAR


def summaries(action: str) -> list[str]:
    return list(db.session.scalars(select(AuditLog.summary).where(AuditLog.action == action).order_by(AuditLog.id)))


def entry(action: str) -> AuditLog:
    return db.session.scalars(select(AuditLog).where(AuditLog.action == action).order_by(AuditLog.id.desc())).first()


def test_the_proof_request_gives_its_date_in_words(held_out):
    due = TODAY + timedelta(days=30)
    assert due == date(2027, 1, 1)
    assert f"CPOM {held_out.cpoms.beaune.id} : preuve demandée pour {YEAR} avant le 1er janvier 2027" in \
        summaries("cpom.proof_request")


def test_a_declared_ratio_reads_as_on_the_page_and_its_changes_keep_the_raw_value(held_out):
    engagement = held_out.s["admissions_urgences"]
    campaign.declare(engagement, YEAR, numerator=26, denominator=113)
    db.session.commit()
    logged = entry("cpom.declare")
    assert logged.summary == (f"CPOM {held_out.cpoms.semur.id} : « Taux d'admission via les urgences » {YEAR} "
                              f"déclaré : 0,230088 (26 / 113)")
    assert logged.changes == {"value": [None, "0.230088"]}


def test_declared_numbers_percentages_and_checklists_read_as_on_the_page(held_out):
    words = summaries("cpom.declare")
    assert any(summary.endswith(f"« Taux d'admission via les urgences » {PREVIOUS} déclaré : 0,18 (180 / 1000)")
               for summary in words)
    assert any(summary.endswith(f"{YEAR} déclaré : 2,5 % (1 / 40)") for summary in words)
    assert any(summary.endswith(f"{YEAR} déclaré : 0,96") for summary in words)
    assert any(summary.endswith(f"{YEAR} déclaré : Social, Urgence") for summary in words)
    assert any(summary.endswith(f"{YEAR} déclaré : Oui") for summary in words)
    assert not any("0." in summary for summary in words)


def test_the_avenant_and_its_target_change_read_in_french(held_out):
    cpom = held_out.cpoms.beaune
    assert summaries("cpom.avenant") == [f"CPOM {cpom.id} : avenant n° 1 du 10 janvier {YEAR} enregistré"]
    assert summaries("cpom.target") == [f"CPOM {cpom.id} : cible de « Taux d'admission via les urgences » changée "
                                        f"par l'avenant n° 1 : ≤ 0,2 → ≤ 0,15"]


def test_a_target_made_not_applicable_or_to_negotiate_reads_as_on_the_page(held_out):
    cpom = held_out.cpoms.beaune
    avenant = avenants.record_avenant(cpom, signed_on=TODAY, effective_on=date(TODAY.year, 1, 1),
                                      object="Cibles revues")
    avenants.change_target(held_out.b["ip_dms"], avenant, comparator="<=", target_value=1.05, applicable=True)
    avenants.change_target(held_out.b["collaborations_ville"], avenant, comparator="present", target_value=None,
                           applicable=False, reason="Aucun partenaire")
    db.session.commit()
    assert summaries("cpom.avenant")[-1] == f"CPOM {cpom.id} : avenant n° 2 du 2 décembre 2026 enregistré"
    assert summaries("cpom.target")[-2:] == [
        f"CPOM {cpom.id} : cible de « {spec_of(held_out.b['ip_dms']).label} » changée par l'avenant n° 2 : "
        f"à négocier → ≤ 1,05",
        f"CPOM {cpom.id} : cible de « {spec_of(held_out.b['collaborations_ville']).label} » changée par "
        f"l'avenant n° 2 : au moins une action → non applicable"]


def test_the_evaluation_gives_its_date_in_words(held_out):
    cpom = held_out.cpoms.beaune
    evaluation.record_evaluation(cpom, kind=evaluation.ANNUELLE, held_on=TODAY, minutes="Revue annuelle")
    db.session.commit()
    assert summaries("cpom.evaluation") == [
        f"CPOM {cpom.id} : évaluation annuelle du 2 décembre 2026 ({TODAY.year - 1}–{TODAY.year - 1})"]


def test_the_cpom_and_the_catalogue_read_in_french(held_out):
    assert f"CPOM de {held_out.cpoms.beaune.name} du 1er janvier {START.year} enregistré" in summaries("cpom.create")
    plan = catalogue_import.check_sheet("code;theme;objectif;indicateur;type;unite;cible\r\n"
                                        "reunions;Coordination;Rencontrer;Réunions;nombre;Réunions;4\r\n".encode())
    catalogue_import.load_catalogue("27", "Fiche BFC", "ARS BFC", plan)
    db.session.commit()
    assert summaries("cpom.catalogue") == [
        "Catalogue CPOM « Fiche BFC » chargé pour la région Bourgogne-Franche-Comté (1 engagement)"]
