"""Fixtures shared by the compliance tests."""

import pytest

from registry.extensions import db
from tests.conventions.builders import make_convention


@pytest.fixture
def hospitals(make_organisation, make_hospital, make_partnership):
    """Semur (Côte-d'Or, an EHPAD convention in force, a draft with the CHU) and Givors (Rhône, nothing)."""
    semur = make_hospital(make_organisation(name="CH SEMUR", category_code="106", departement="21"))
    givors = make_hospital(make_organisation(name="HOPITAL DE GIVORS", category_code="106", departement="69"))
    ehpad = make_partnership(semur, make_organisation(name="EHPAD LES TILLEULS", category_code="500"))
    chu = make_partnership(semur, make_organisation(name="CHU DIJON", category_code="101"),
                           partner_types=["second_recours"])
    in_force = make_convention(semur, ehpad)
    draft = make_convention(semur, chu, status="a_signer", themes=["orientation", "consultations_avancees"])
    db.session.commit()
    return {"semur": semur, "givors": givors, "in_force": in_force, "draft": draft}
