"""The compliance evidence of a convention whose signed copy raised an alert: set aside (its signature not proven)
or confirmed despite the alert, said in the facts, the evidence, the reason and the hospital's page."""

import pytest

from registry.conventions.models import COPY_CONFIRMED, COPY_DISCARDED, COPY_SET_ASIDE, KIND_SIGNED, ConventionDocument
from registry.extensions import db
from tests.compliance.test_adapter import facts, semur, verdicts  # noqa: F401  (fixture)
from tests.conventions.builders import make_convention
from tests.web.conftest import text


def with_copies(convention, *reviews):
    for version, review in enumerate(reviews, 1):
        db.session.add(ConventionDocument(convention=convention, kind=KIND_SIGNED, version=version, sha256="0" * 64,
                                          size=1, filename="x.pdf", media_type="application/pdf", review=review,
                                          review_reason="Original vérifié" if review == COPY_CONFIRMED else None))
    db.session.commit()
    return convention


@pytest.mark.parametrize("reviews, alert", [
    ((), None), ((None,), None), ((COPY_SET_ASIDE,), COPY_SET_ASIDE), ((None, COPY_SET_ASIDE), None),
    ((COPY_CONFIRMED,), COPY_CONFIRMED), ((COPY_SET_ASIDE, COPY_CONFIRMED), COPY_CONFIRMED),
    ((COPY_DISCARDED,), None), ((COPY_CONFIRMED, None), None)],
    ids=["no-copy", "sound", "set-aside", "newer-set-aside-older-sound", "confirmed", "confirmed-after-set-aside",
         "discarded", "sound-after-confirmed"])
def test_the_facts_say_which_copy_alert_counts(semur, reviews, alert):
    convention = with_copies(make_convention(semur.hospital, semur.ehpad), *reviews)
    assert facts(semur.hospital)[1][convention.reference].copy_alert == alert


def test_the_evidence_and_its_reason_flag_a_set_aside_copy(semur):
    convention = with_copies(make_convention(semur.hospital, semur.ehpad), COPY_SET_ASIDE)
    verdict = verdicts(semur.hospital)["2b_ehpad"]
    [evidence] = [item for item in verdict.evidence if item.reference == convention.reference]
    assert evidence.copy_alert == COPY_SET_ASIDE
    assert "Sa copie signée est mise à l'écart" in verdict.reason and "sa signature n'est pas prouvée" in verdict.reason


def test_the_hospital_page_shows_the_flags_to_the_ars(semur, client, login, make_user):
    set_aside = with_copies(make_convention(semur.hospital, semur.ehpad), COPY_SET_ASIDE)
    confirmed = with_copies(make_convention(semur.hospital, semur.ehpad), COPY_CONFIRMED)
    login(make_user("ars", region=semur.hospital.organisation.region))
    words = text(client.get(f"/hopitaux/{semur.hospital.finess_et}/conformite"))
    after_set_aside = words.split(set_aside.reference, 1)[1]
    assert "copie signée mise à l'écart : signature non prouvée" in after_set_aside
    assert "copie signée confirmée malgré l'alerte de signature" in words.split(confirmed.reference, 1)[1]
