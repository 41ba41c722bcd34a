"""Whether a partner is covered by a convention (conventions/coverage.py), seen on a fixed day."""

from datetime import date

import pytest

from registry.conventions import coverage as cov
from registry.conventions import lifecycle
from registry.conventions.services import hospital_conventions
from registry.conventions.transitions import create_avenant, terminate, transition
from registry.extensions import db
from tests.conventions.builders import attach_signed_copy, registered_convention, signed_convention

AT = date(2029, 10, 1)


@pytest.fixture
def partners(hospital_with_partners, make_organisation, make_partnership):
    hospital, chu, ehpad = hospital_with_partners
    had = make_partnership(hospital, make_organisation(name="HAD NORD", category_code="127"), partner_types=["had"])
    return hospital, chu, ehpad, had


def _signed(hospital, partnerships, effective, months, **values):
    return signed_convention(hospital, partnerships, signed_on=date(2020, 1, 1), effective_date=effective,
                             duration_months=months, **values)


def _coverage(hospital, partnership):
    """The partner's coverage on AT, from the hospital's conventions as its page loads them."""
    db.session.flush()
    conventions = [convention for convention, _ in hospital_conventions(hospital)]
    return cov.partner_coverage(conventions, at=AT).get(partnership.partner_id, cov.NONE)


@pytest.mark.parametrize("effective, months, tacit, notice, state, text", [
    (date(2028, 1, 1), 48, False, 3, lifecycle.EN_VIGUEUR, "Convention en vigueur jusqu'au 31 décembre 2031"),
    (date(2029, 1, 1), 36, True, 3, lifecycle.EN_VIGUEUR,
     "Convention en vigueur jusqu'au 31 décembre 2031 (reconduction tacite)"),
    (date(2027, 1, 1), 36, False, 3, lifecycle.A_RENOUVELER, "À renouveler fin le 31 décembre 2029"),
    (date(2026, 12, 1), 12, True, 1, lifecycle.A_RENOUVELER,
     "À renouveler reconduite le 1er décembre 2029 sauf dénonciation au plus tard le 31 octobre 2029"),
    (date(2026, 11, 1), 12, True, 3, lifecycle.A_RENOUVELER,
     "À renouveler reconduite le 1er novembre 2029 (délai de dénonciation passé depuis le 31 juillet 2029)"),
    (date(2026, 7, 1), 36, False, 3, lifecycle.EXPIREE, "Expirée le 30 juin 2029"),
    (date(2030, 1, 1), 12, False, 3, lifecycle.PAS_ENCORE_EN_VIGUEUR,
     "Convention signée en vigueur à partir du 1er janvier 2030"),
])
def test_a_signed_convention_gives_its_derived_state_and_end(partners, effective, months, tacit, notice, state,
                                                             text):
    hospital, chu, *_ = partners
    convention = _signed(hospital, [chu], effective, months, tacit_renewal=tacit, notice_months=notice)
    coverage = _coverage(hospital, chu)
    assert (coverage.state, coverage.text, coverage.convention) == (state, text, convention)
    assert coverage.uncovered == (state == lifecycle.EXPIREE)


def test_terminated_unsigned_and_absent(partners):
    hospital, chu, ehpad, had = partners
    terminated = _signed(hospital, [chu], date(2025, 1, 1), 120)
    terminate(terminated, on=date(2029, 1, 1), reason="Fusion")
    terminating = _signed(hospital, [had], date(2028, 1, 1), 60)
    terminate(terminating, on=date(2029, 12, 1), reason="Fin du partenariat")
    registered_convention(hospital, [ehpad])
    assert _coverage(hospital, chu).text == "Résiliée depuis le 1er janvier 2029"
    assert _coverage(hospital, chu).uncovered
    assert _coverage(hospital, had).text == "Convention en vigueur jusqu'au 30 novembre 2029 (résiliée)"
    assert _coverage(hospital, ehpad).text == "Convention en préparation (brouillon)"
    assert not _coverage(hospital, ehpad).uncovered
    assert cov.partner_coverage([], at=AT) == {}
    assert cov.NONE.text == "Aucune convention" and cov.NONE.uncovered


def test_the_best_convention_stands_for_the_partner(partners):
    hospital, chu, ehpad, _ = partners
    _signed(hospital, [chu, ehpad], date(2026, 7, 1), 36)                      # expired 30/06/2029
    registered_convention(hospital, [chu])                                       # being drafted
    renewal = _signed(hospital, [chu], date(2029, 7, 1), 36)                     # in force until 30/06/2032
    longer = _signed(hospital, [ehpad], date(2029, 1, 1), 24)                    # in force until 31/12/2030 ...
    _signed(hospital, [ehpad], date(2029, 1, 1), 12)                             # ... ends sooner: à renouveler
    assert _coverage(hospital, chu).convention == renewal
    assert _coverage(hospital, ehpad).convention == longer


def test_an_avenant_is_not_a_convention_of_its_own(partners):
    hospital, chu, *_ = partners
    expired = _signed(hospital, [chu], date(2026, 7, 1), 36)
    avenant = create_avenant(expired, "Avenant n° 1")
    attach_signed_copy(avenant)
    transition(avenant, lifecycle.SIGNEE, date=date(2027, 1, 1), today=AT)
    coverage = _coverage(hospital, chu)
    assert coverage.state == lifecycle.EXPIREE and coverage.convention == expired
