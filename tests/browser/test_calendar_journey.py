"""The calendar feed in a real browser: a hospital user opens « Calendrier » from the account menu, creates the
secret address, a calendar client reads it without a session, and regenerating it revokes the old one."""

import re
from datetime import date

import pytest
from icalendar import Calendar
from playwright.sync_api import expect

from registry.extensions import db
from tests.conventions.builders import signed_convention
from tests.factories import PASSWORD

pytestmark = pytest.mark.browser


def test_subscribe_to_the_deadlines_calendar(live_server, browser_page, screenshot, make_organisation, make_hospital,
                                             make_partnership, make_user):
    hospital = make_hospital(make_organisation(name="CH DE SEMUR", category_code="106", departement="21"))
    partner = make_partnership(hospital, make_organisation(name="EHPAD DU PARC", category_code="500"))
    convention = signed_convention(hospital, [partner], effective_date=date(2026, 4, 1), duration_months=12,
                                   notice_months=3, title="Filière gériatrique")
    user = make_user("hospital", organisations=[hospital.organisation])
    db.session.commit()
    reference = convention.reference

    page = browser_page
    page.goto(f"{live_server}/connexion")
    page.get_by_label("Adresse électronique").fill(user.email)
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("CH DE SEMUR")  # their one hospital

    page.get_by_role("button", name=re.compile("^Compte")).click()  # the account menu
    page.get_by_role("link", name="Calendrier", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Calendrier des échéances")
    page.get_by_role("button", name="Créer mon adresse de calendrier").click()
    first = page.get_by_label("Adresse de calendrier").input_value()
    assert first.startswith(f"{live_server}/calendrier/") and first.endswith(".ics")
    screenshot(page, "calendrier")

    client = page.context.request  # as a calendar client would: no form, just the address
    feed = client.get(first)
    assert feed.status == 200 and feed.headers["content-type"].startswith("text/calendar")
    summaries = [str(event["SUMMARY"]) for event in Calendar.from_ical(feed.body()).walk("VEVENT")]
    assert summaries == [f"Préavis à donner : {reference} « Filière gériatrique »",
                         f"Fin de la convention : {reference} « Filière gériatrique »"]

    page.get_by_role("button", name="Régénérer l'adresse (l'ancienne est révoquée)").click()
    second = page.get_by_label("Adresse de calendrier").input_value()
    assert second != first
    assert client.get(first).status == 404 and client.get(second).status == 200

    page.get_by_role("button", name="Supprimer l'adresse").click()
    expect(page.get_by_role("status").filter(has_text="Adresse de calendrier supprimée")).to_be_visible()
    assert client.get(second).status == 404
