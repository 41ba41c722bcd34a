"""POST /conventions/{id}/ars-transmission and legal bases on POST /conventions: the day a convention was sent to
the ARS (L6111-3-2 III, L6111-3-3), checked and audited; what the compliance check then reads."""

from datetime import timedelta
from types import SimpleNamespace

import pytest

from registry.conventions import lifecycle
from registry.conventions.models import Convention
from registry.conventions.transmission import set_legal_bases
from registry.core.errors import DomainError
from registry.extensions import db
from tests.api.helpers import assert_error, audit_actions
from tests.clock import TODAY
from tests.conventions.builders import SIGNED_ON, drafted_convention, walk
from tests.conventions.conftest import shipped_templates  # noqa: F401  (fixture)
from tests.conventions.lifecycle_helpers import reload

URL = "/api/v1/conventions"


@pytest.fixture
def scene(world, make_organisation, make_partnership, shipped_templates):  # noqa: F811
    cpts = make_partnership(world.own, make_organisation(name="CPTS DU PAYS BEAUNOIS", category_code="604"),
                            partner_types=["cpts"])
    db.session.commit()
    return SimpleNamespace(world=world, cpts=cpts, staff=world.users["hospital"])


def send(client, scene, convention, day, role="hospital"):
    return client.post(f"{URL}/{convention.id}/ars-transmission", json={"date": day},
                       headers=scene.world.headers[role])


def signed(scene):
    return drafted_convention(scene.world.own, scene.cpts, actor=scene.staff, status=lifecycle.SIGNEE)


def test_the_hospital_records_the_day_it_sent_the_convention(client, scene):
    convention = signed(scene)
    day = (TODAY - timedelta(days=3)).isoformat()

    response = send(client, scene, convention, day)

    assert response.status_code == 200, response.get_json()
    assert response.get_json()["transmitted_to_ars_on"] == day
    assert reload(convention).transmitted_to_ars_on.isoformat() == day
    assert audit_actions(scene.staff)[-1] == "convention.transmit"
    corrected = send(client, scene, convention, TODAY.isoformat())
    assert corrected.get_json()["transmitted_to_ars_on"] == TODAY.isoformat()


@pytest.mark.parametrize("status, day, problem", [
    (lifecycle.A_SIGNER, TODAY, "seule une convention signée se transmet à l'ARS"),
    (lifecycle.SIGNEE, TODAY + timedelta(days=1), "la date de transmission ne peut pas être dans le futur"),
    (lifecycle.SIGNEE, SIGNED_ON - timedelta(days=1), "la transmission ne peut précéder la signature"),
])
def test_a_day_that_cannot_be_right_is_refused_and_changes_nothing(client, scene, status, day, problem):
    convention = drafted_convention(scene.world.own, scene.cpts, actor=scene.staff, status=status)

    error = assert_error(send(client, scene, convention, day.isoformat()), 422, "invalid")

    assert any(problem in detail for detail in error["details"]), error
    assert reload(convention).transmitted_to_ars_on is None


@pytest.mark.parametrize("role, status", [("ars", 403), ("hospital_other", 404)])
def test_only_the_hospital_or_an_admin_records_it(client, scene, role, status):
    convention = signed(scene)
    assert_error(send(client, scene, convention, TODAY.isoformat(), role=role), status)
    assert send(client, scene, convention, TODAY.isoformat(), role="admin").status_code == 200


def test_a_missing_or_bad_date_is_422(client, scene):
    convention = signed(scene)
    response = client.post(f"{URL}/{convention.id}/ars-transmission", json={}, headers=scene.world.headers["hospital"])
    assert_error(response, 422, "invalid")
    assert_error(send(client, scene, convention, "2026-02-30"), 422, "invalid")


def test_a_registered_convention_takes_its_legal_bases_and_counts_once_sent(client, scene):
    payload = {"hospital": scene.world.own.finess_et, "partners": [scene.cpts.id], "partner_types": ["cpts"],
               "themes": ["continuite_soins", "pdsa"], "legal_bases": ["L6111-3-2"],
               "effective_date": SIGNED_ON.isoformat(), "duration_months": 60}
    created = client.post(URL, json=payload, headers=scene.world.headers["hospital"]).get_json()
    assert created["legal_bases"] == ["L6111-3-2"] and created["themes_declared"] is True
    convention = walk(db.session.get(Convention, created["id"]), lifecycle.SIGNEE)

    def verdict():
        document = client.get(f"/api/v1/compliance?at={TODAY.isoformat()}",
                              headers=scene.world.headers["admin"]).get_json()
        own = next(h for h in document["hospitals"] if h["finess_et"] == scene.world.own.finess_et)
        return next(r for r in own["requirements"] if r["code"] == "l6111_3_2")

    assert (verdict()["verdict"], verdict()["flags"]) == ("a_risque", ["non_transmise"])
    send(client, scene, convention, TODAY.isoformat())
    assert (verdict()["verdict"], verdict()["evidence"]) == ("satisfait", [convention.reference])


def test_an_unknown_legal_basis_is_refused(client, scene):
    payload = {"hospital": scene.world.own.finess_et, "partners": [scene.cpts.id], "partner_types": ["cpts"],
               "themes": ["pdsa"], "legal_bases": ["L9999-1"], "effective_date": "2025-01-01",
               "duration_months": 60}
    error = assert_error(client.post(URL, json=payload, headers=scene.world.headers["hospital"]), 422, "invalid")
    assert "legal_bases" in str(error["details"])


def test_a_drafted_convention_keeps_its_template_s_legal_bases(scene):
    convention = signed(scene)
    with pytest.raises(DomainError, match="celui de son modèle"):
        set_legal_bases(convention, ["L6111-3-2"])
    assert reload(convention).legal_bases == []  # the shipped « ehpad » template names no article of the list
