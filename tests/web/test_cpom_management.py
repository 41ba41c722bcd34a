"""A CPOM's life after its signature on the hospital's CPOM page: signed copies, avenants and the targets they
change, linked conventions, another site of the legal entity, evaluations, the annex; the ARS writes, the hospital
reads, outsiders see nothing, and every refusal is shown in French with nothing changed."""

import io
from datetime import date, timedelta

import docx
import pytest
from sqlalchemy import func, select

from registry.cpom.catalogue import spec_of
from registry.cpom.models import Cpom, CpomAvenant, CpomEvaluation, CpomTargetChange
from registry.extensions import db
from tests.clock import TODAY
from tests.conventions.builders import make_convention
from tests.web.conftest import text
from tests.web.cpom_scene import PDF, YEAR, cpom, engagement  # noqa: F401  (cpom: a fixture)


def url(scene, cpom, tail) -> str:
    return f"/hopitaux/{scene.hdp.finess_et}/cpom/{cpom.id}/{tail}"


def post(client, scene, cpom, tail, kind, fields, files=None):
    data = {f"{kind}-{cpom.id}-{name}": value for name, value in fields.items()}
    for name, (content, filename) in (files or {}).items():
        data[f"{kind}-{cpom.id}-{name}"] = (io.BytesIO(content), filename)
    return client.post(url(scene, cpom, tail), data=data, content_type="multipart/form-data")


def count(model) -> int:
    db.session.expire_all()
    return db.session.scalar(select(func.count()).select_from(model))


def avenant(client, scene, cpom, **fields):
    values = {"signed_on": TODAY.isoformat(), "effective_on": date(YEAR + 1, 1, 1).isoformat(),
              "object": "Cible des admissions via les urgences"}
    return post(client, scene, cpom, "avenants", "avenant", {**values, **fields},
                {"file": (PDF, "avenant-1.pdf")})


def test_the_ars_sees_the_forms_the_hospital_reads(client, scene, cpom, login):
    login(scene.ars)
    page = text(client.get(f"/hopitaux/{scene.hdp.finess_et}/cpom"))
    for title in ("Déposer l'exemplaire signé du CPOM", "Enregistrer un avenant", "Changer une cible par avenant",
                  "Lier des conventions à un engagement", "Enregistrer une évaluation"):
        assert title in page
    client.post("/deconnexion")
    login(scene.staff)
    page = text(client.get(f"/hopitaux/{scene.hdp.finess_et}/cpom"))
    assert "Vie du contrat" in page and "Télécharger l'annexe" in page and "Enregistrer un avenant" not in page


def test_the_signed_copy_is_checked_then_downloaded(client, scene, cpom, login):
    login(scene.ars)
    refused = post(client, scene, cpom, "exemplaire-signe", "exemplaire", {}, {"file": (b"MZ\x90", "cpom.pdf")})
    assert refused.status_code == 422 and "seuls un PDF ou un document bureautique" in text(refused)
    assert db.session.get(Cpom, cpom.id).signed_copy_sha256 is None
    stored = post(client, scene, cpom, "exemplaire-signe", "exemplaire", {}, {"file": (PDF, "cpom-signe.pdf")})
    assert stored.status_code == 302
    client.post("/deconnexion")
    login(scene.staff)
    assert client.get(url(scene, cpom, "exemplaire-signe")).get_data() == PDF


def test_an_avenant_then_a_target_changed_by_it(client, scene, cpom, login):
    login(scene.ars)
    future = avenant(client, scene, cpom, signed_on=(TODAY + timedelta(days=3)).isoformat())
    assert future.status_code == 422 and "futur" in text(future) and count(CpomAvenant) == 0
    assert avenant(client, scene, cpom).status_code == 302
    record = db.session.scalars(select(CpomAvenant)).one()
    assert record.number == 1 and record.signed_copy_filename == "avenant-1.pdf"
    target = engagement(cpom, "admissions_urgences")
    change = {"engagement": str(target.id), "comparator": "<=", "target_value": "0,25", "applicable": "y"}
    without = post(client, scene, cpom, "cible", "cible", change)
    assert without.status_code == 422 and "ne change que par un avenant" in text(without)
    assert count(CpomTargetChange) == 0
    done = post(client, scene, cpom, "cible", "cible", {**change, "avenant": str(record.id)})
    assert done.status_code == 302
    db.session.expire_all()
    assert engagement(db.session.get(Cpom, cpom.id), "admissions_urgences").target_value == 0.25
    page = text(client.get(f"/hopitaux/{scene.hdp.finess_et}/cpom?annee={YEAR}"))
    assert "≤ 0,3" in page  # the year before the avenant keeps its target
    assert "avenant n° 1, à partir de " + str(YEAR + 1) in page


def test_conventions_are_linked_to_an_engagement(client, scene, cpom, login):
    convention = make_convention(scene.hdp, scene.partnership, legal_bases=["L6111-3-2"])
    foreign = make_convention(scene.other)
    db.session.commit()
    login(scene.ars)
    target = engagement(cpom, "convention_l6111_3_2")
    refused = post(client, scene, cpom, "conventions", "liens",
                   {"engagement": str(target.id), "conventions": str(foreign.id)})
    assert refused.status_code == 422 and "introuvable" in text(refused)
    done = post(client, scene, cpom, "conventions", "liens",
                {"engagement": str(target.id), "conventions": str(convention.id)})
    assert done.status_code == 302
    assert convention.reference in text(client.get(f"/hopitaux/{scene.hdp.finess_et}/cpom"))
    history = text(client.get(f"/hopitaux/{scene.hdp.finess_et}"))  # its latest changes: the label, not the code
    assert f"conventions liées à « {spec_of(target).label} » : {convention.reference}" in history
    assert "convention_l6111_3_2" not in history


def test_another_site_of_the_legal_entity(client, scene, cpom, login, make_organisation, make_hospital):
    sister = make_hospital(make_organisation(name="CH DE SAULIEU", category_code="106",
                                             finess_ej=scene.hdp.organisation.finess_ej))
    db.session.commit()
    login(scene.ars)
    assert "CH DE SAULIEU" in text(client.get(f"/hopitaux/{scene.hdp.finess_et}/cpom"))
    wrong = post(client, scene, cpom, "sites", "site", {"hospital": scene.other.finess_et})
    assert wrong.status_code == 422 and "autre site" in text(wrong)
    assert post(client, scene, cpom, "sites", "site", {"hospital": sister.finess_et}).status_code == 302
    db.session.expire_all()
    assert sister in db.session.get(Cpom, cpom.id).sites


def test_an_evaluation_gathers_the_years(client, scene, cpom, login):
    login(scene.ars)
    future = post(client, scene, cpom, "evaluations", "evaluation",
                  {"kind": "annuelle", "held_on": (TODAY + timedelta(days=1)).isoformat()})
    assert future.status_code == 422 and count(CpomEvaluation) == 0
    done = post(client, scene, cpom, "evaluations", "evaluation",
                {"kind": "annuelle", "held_on": TODAY.isoformat(), "minutes": "Dialogue de gestion"})
    assert done.status_code == 302
    page = text(client.get(f"/hopitaux/{scene.hdp.finess_et}/cpom"))
    assert "Évaluation annuelle du" in page and f"({YEAR}–{YEAR})" in page and "Non évaluable" in page


def test_the_annex_lists_the_engagements(client, scene, cpom, login):
    login(scene.staff)
    annex = client.get(url(scene, cpom, "annexe.docx"))
    assert annex.status_code == 200
    document = docx.Document(io.BytesIO(annex.get_data()))
    words = "\n".join(p.text for p in document.paragraphs) + "\n".join(
        cell.text for table in document.tables for row in table.rows for cell in row.cells)
    assert "Taux d'admission via les urgences" in words


@pytest.mark.parametrize("role, status", [("staff", 403), ("other_staff", 404), ("ars_other", 404)])
def test_only_the_ars_of_the_region_writes(client, scene, cpom, login, role, status):
    login(getattr(scene, role))
    assert avenant(client, scene, cpom).status_code == status
    assert post(client, scene, cpom, "evaluations", "evaluation",
                {"kind": "annuelle", "held_on": TODAY.isoformat()}).status_code == status
    assert count(CpomAvenant) == 0 and count(CpomEvaluation) == 0
    if status == 404:
        assert client.get(url(scene, cpom, "annexe.docx")).status_code == 404
