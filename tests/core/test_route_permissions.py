"""Walks every registered route for every role, so that a new route cannot forget its access check.

Hospital B holds secret markers; users who must not read B (hospital A's user, the ARS of another region)
call every route with B's identifiers and plausible payloads: no answer may show a marker, no call may change
B, and nothing may answer 500. Anonymous calls are sent to the login page (pages) or refused with 401 (API).
"""

import io
import json
import zipfile
from datetime import date

import pytest
from sqlalchemy import select

from registry.conventions.models import Convention
from registry.documents.versions import sync_shipped_templates

from registry.core.access import EXTENSION_ENDPOINTS, policy_of
from registry.cpom.avenants import record_avenant
from registry.cpom.campaign import declare
from registry.cpom.models import Cpom
from registry.cpom.services import add_engagement, create_cpom
from registry.extensions import db
from registry.hospitals.models import HospitalProfile, Partnership
from tests.conventions.builders import drafted_convention

SECRET = "SECRET-B-7f3a"
CPOM_YEAR = 2025
WRITE_METHODS = {"POST", "PUT", "PATCH", "DELETE"}


def test_every_endpoint_declares_an_access_policy(app):
    undeclared = [endpoint for endpoint in app.view_functions
                  if endpoint not in EXTENSION_ENDPOINTS and policy_of(endpoint)[0] is None]
    assert undeclared == []


@pytest.fixture
def world(make_organisation, make_hospital, make_partnership, make_user):
    hospital_a = make_hospital(make_organisation(name="HOPITAL A", category_code="106"))
    hospital_b = make_hospital(make_organisation(name="HOPITAL B", category_code="106"),
                               decision_ref=f"DECISION-{SECRET}", territory_communes=["21231"])
    partner = make_organisation(name="EHPAD DE B", category_code="500")
    partnership = make_partnership(hospital_b, partner, notes=f"NOTE-{SECRET}", themes=["continuite_soins"])
    spare = make_organisation(name="EHPAD LIBRE", category_code="500")
    convention = _convention_of_b(hospital_b, partnership)
    cpom, engagement, avenant = _cpom_of_b(hospital_b)
    world = {
        "hospital_b": hospital_b, "partnership_b": partnership, "spare": spare, "convention_b": convention,
        "cpom_b": cpom, "engagement_b": engagement, "avenant_b": avenant,
        "hospital_user": make_user("hospital", organisations=[hospital_a.organisation]),
        "ars_other_region": make_user("ars", region="84"),
        "ars_same_region": make_user("ars", region="27"),
    }
    db.session.commit()
    return world


def _convention_of_b(hospital, partnership):
    """A convention of hospital B with a secret in its fields and one draft."""
    sync_shipped_templates()
    return drafted_convention(hospital, partnership, fields={"administrative_court": "Dijon",
                                                             "signing_place": f"LIEU-{SECRET}"},
                              effective_date=date(2027, 1, 1), duration_months=36)


def _cpom_of_b(hospital):
    """A CPOM of hospital B with a declared value whose comment holds the secret, and an avenant."""
    cpom = create_cpom(hospital, signed_on=date(2025, 1, 1), effective_on=date(2025, 1, 1))
    engagement = add_engagement(cpom, indicator="connaissance_offre", comparator="present", target_value=None)
    declare(engagement, CPOM_YEAR, value=True, comment=f"COMMENTAIRE-{SECRET}")
    avenant = record_avenant(cpom, signed_on=date(2025, 6, 1), effective_on=date(2026, 1, 1), object="Avenant")
    return cpom, engagement, avenant


def _state_of_b(world) -> str:
    db.session.expire_all()
    hospital = db.session.get(HospitalProfile, world["hospital_b"].id)
    partnerships = db.session.scalars(select(Partnership).where(Partnership.hospital_id == hospital.id)
                                      .order_by(Partnership.id))
    conventions = db.session.scalars(select(Convention).where(Convention.hospital_id == hospital.id)
                                     .order_by(Convention.id))
    return json.dumps([hospital.listed_on.isoformat(), hospital.decision_ref, hospital.territory_departements,
                       hospital.territory_communes, hospital.internal_activities,
                       [(p.id, p.partner_id, p.partner_types, p.themes, p.notes) for p in partnerships],
                       [(c.id, c.status, c.fields, c.clauses, len(c.documents)) for c in conventions],
                       _cpom_state(world["cpom_b"].id)])


def _cpom_state(cpom_id: int) -> list:
    cpom = db.session.get(Cpom, cpom_id)
    return [[site.id for site in cpom.sites], cpom.signed_copy_sha256, [a.id for a in cpom.avenants],
            [e.id for e in cpom.evaluations],
            [(e.indicator, e.comparator, e.target_value, e.applicable, [c.id for c in e.conventions],
              [(d.year, d.status, d.value, d.comment, str(d.proof_due), len(d.proofs)) for d in e.declarations])
             for e in cpom.engagements]]


def _calls(app, world, *, keep_session=True):
    """(method, url, is_api) for every rule and method, with hospital B's identifiers in the URL."""
    for rule in app.url_map.iter_rules():
        if rule.endpoint in EXTENSION_ENDPOINTS:
            continue
        if keep_session and rule.endpoint.startswith("accounts."):
            continue  # logging out half-way would turn the rest of the walk into anonymous calls
        values = {}
        for name in rule.arguments:
            converter = rule._converters[name].__class__.__name__
            if converter != "IntegerConverter":
                values[name] = "ehpad" if name == "code" else world["hospital_b"].organisation.finess_et
            elif "convention" in name:
                values[name] = world["convention_b"].id
            elif name in ("version", "number"):
                values[name] = 1
            elif name == "year":
                values[name] = CPOM_YEAR
            elif name in ("cpom_id", "engagement_id", "avenant_id"):
                values[name] = world[name.replace("_id", "_b")].id
            elif "organisation" in name:
                values[name] = world["spare"].id
            else:
                values[name] = world["partnership_b"].id
        url = rule.build(values, append_unknown=False)[1]
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            yield method, url, rule.rule.startswith("/api/"), rule.endpoint


def _readable(data: bytes) -> str:
    """A response's text, and for a ZIP-based answer (a bundle, a .docx, an .xlsx) the text of every entry."""
    if data.startswith(b"PK"):
        with zipfile.ZipFile(io.BytesIO(data)) as package:
            return "\n".join(package.read(name).decode("utf-8", "replace") for name in package.namelist())
    return data.decode("utf-8", "replace")


def _payload(world) -> dict:
    """Values that a permissive route would accept, so that a missing check shows as a change."""
    spare = world["spare"]
    return {"partner_finess": spare.finess_et, "finess": spare.finess_et, "partner_types": ["ehpad"],
            "themes": ["retour_domicile"], "notes": "MODIFIE", "listed_on": "2021-01-01",
            "decision_ref": "MODIFIE", "territory": {"departements": ["58"], "communes": []},
            "territory_departements": "58", "internal_activities": ["ehpad"], "started_on": "2023-01-01",
            # CPOM calls: a declaration, a proof request, a review, an avenant, a target, an evaluation
            "value": False, "comment": "MODIFIE", "decision": "contestee", "due": "2099-01-01",
            "signed_on": "2025-02-01", "effective_on": "2025-02-01", "object": "MODIFIE", "kind": "mi_parcours",
            "held_on": "2026-06-01", "target": {"comparator": "present", "value": None},
            "avenant": world["avenant_b"].id, "indicator": "outils_communication"}


def _send(client, method, url, is_api, world, headers):
    payload = _payload(world)
    if is_api:
        return client.open(url, method=method, json=payload if method in WRITE_METHODS else None, headers=headers)
    form = {k: (v if isinstance(v, (str, list)) else json.dumps(v)) for k, v in payload.items()}
    return client.open(url, method=method, data=form if method in WRITE_METHODS else None)


@pytest.mark.slow
@pytest.mark.parametrize("role", ["hospital_user", "ars_other_region"])
def test_users_outside_hospital_b_can_neither_read_nor_change_it(app, client, world, role, login, token_headers):
    user = world[role]
    headers = token_headers(user)
    login(user)
    before = _state_of_b(world)
    checked = 0
    for method, url, is_api, endpoint in _calls(app, world):
        response = _send(client, method, url, is_api, world, headers)
        body = _readable(response.get_data())
        where = f"{role} {method} {url} ({endpoint}) answered {response.status_code}"
        assert response.status_code < 500 or response.status_code == 503, where  # 503: no LibreOffice here
        assert SECRET not in body, where + ": hospital B's data leaked"
        assert _state_of_b(world) == before, where + ": hospital B was changed"
        checked += 1
    assert checked >= 35  # every page and API call, at the time of writing
    assert client.get("/").status_code == 200, "the walk must run signed in to the end"


@pytest.mark.slow
def test_ars_of_the_region_reads_but_changes_no_partnership(app, client, world, login, token_headers):
    user = world["ars_same_region"]
    headers = token_headers(user)
    login(user)
    before = _state_of_b(world)
    for method, url, is_api, endpoint in _calls(app, world):
        response = _send(client, method, url, is_api, world, headers)
        where = f"ars {method} {url} ({endpoint}) answered {response.status_code}"
        assert response.status_code < 500 or response.status_code == 503, where
        if method in WRITE_METHODS:
            # Listing decisions are the ARS's own (PUT profile); partnerships and conventions are the hospital's.
            state = json.loads(_state_of_b(world))
            assert state[-3:-1] == json.loads(before)[-3:-1], where + ": hospital B's partnerships or conventions changed"


def test_anonymous_calls_go_to_login_or_401(app, client, world):
    for method, url, is_api, endpoint in _calls(app, world, keep_session=False):
        if policy_of(endpoint)[0] == "public":
            continue
        response = client.open(url, method=method)
        where = f"anonymous {method} {url} ({endpoint})"
        if is_api:
            assert response.status_code == 401, where
            assert response.get_json()["error"]["code"]
        else:
            assert response.status_code == 302 and "/connexion" in response.headers["Location"], where
