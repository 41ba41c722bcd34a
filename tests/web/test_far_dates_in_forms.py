"""Every form that records a day refuses one outside 1900-2199 (core.dates) in French beside the field, saves
nothing, and offers the same bounds to the date picker: a year 9999 typed as a convention's effective day no longer
answers a 500, a year 1 is no longer saved as a partnership's start."""

import re

import pytest

from registry.extensions import db
from registry.hospitals.models import Partnership
from tests.conventions.test_bulk_import import pdf
from tests.web.conftest import page
from tests.web.convention_helpers import conventions, drafting, form_url, form_values  # noqa: F401
from tests.web.test_register_conventions import register_url, register_values

FAR_DAYS = ["9999-06-01", "0001-01-01", "2200-01-01", "1899-12-31"]
REFUSED = "Indiquez une date entre 1900 et 2199."


def _refused_beside(response, field: str) -> bool:
    feedback = re.search(rf'id="{field}-erreur"[^>]*>([^<]*)<', page(response))
    return response.status_code in (200, 422) and feedback is not None and REFUSED in feedback.group(1)


@pytest.mark.parametrize("day", FAR_DAYS)
def test_a_convention_is_neither_drafted_nor_registered_on_a_far_day(client, drafting, login, day):
    login(drafting.staff)
    drafted = client.post(form_url(drafting, "second_recours"),
                          data=form_values(drafting, "second_recours", effective_date=day))
    with_field = client.post(form_url(drafting, "l6111_3_3"), data=form_values(
        drafting, "l6111_3_3", partnerships=[drafting.chu], champ_consultations_start=day))
    registered = client.post(register_url(drafting), data=register_values(drafting, pdf(), effective_date=day))
    signed = client.post(register_url(drafting), data=register_values(drafting, pdf(1), signed_on=day))

    assert _refused_beside(drafted, "effective_date") and _refused_beside(registered, "effective_date")
    assert _refused_beside(with_field, "champ_consultations_start") and _refused_beside(signed, "signed_on")
    assert conventions() == []


@pytest.mark.parametrize("day", FAR_DAYS)
def test_a_partnership_and_a_listing_keep_their_days(client, drafting, login, day):
    login(drafting.staff)
    partnership = f"/hopitaux/{drafting.hospital.finess_et}/partenaires/{drafting.ehpad.id}"
    started = client.post(partnership, data={"partner_types": ["ehpad"], "started_on": day})
    ended = client.post(partnership, data={"partner_types": ["ehpad"], "ended_on": day})
    login(drafting.admin)
    listed = client.post(f"/hopitaux/{drafting.hospital.finess_et}/profil",
                         data={"listed_on": day, "decision_ref": "ARS-BFC-2022-118", "departements": "21"})

    assert _refused_beside(started, "started_on") and _refused_beside(ended, "ended_on")
    assert _refused_beside(listed, "listed_on")
    db.session.expire_all()
    kept = db.session.get(Partnership, drafting.ehpad.id)
    assert kept.started_on is None and kept.ended_on is None and str(drafting.hospital.listed_on) == "2022-05-01"


def test_the_date_pickers_offer_the_same_bounds(client, drafting, login):
    login(drafting.staff)
    body = page(client.get(form_url(drafting, "second_recours")))
    assert re.search(r'<input[^>]*id="effective_date"[^>]*max="2199-12-31"[^>]*min="1900-01-01"', body) or \
        re.search(r'<input[^>]*id="effective_date"[^>]*min="1900-01-01"[^>]*max="2199-12-31"', body)
