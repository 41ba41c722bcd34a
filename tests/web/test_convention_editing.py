"""« Modifier » a negotiated convention and « Corriger » a signed one, through the pages: pre-filled forms, the
same checks as the creation, CSRF, who may do it, and the timeline that shows each change."""

import re
from datetime import date
from html.parser import HTMLParser

import pytest
from sqlalchemy import func, select

from registry.audit.models import AuditLog
from registry.conventions import lifecycle
from registry.conventions.models import Convention
from registry.conventions.transitions import create_avenant
from registry.extensions import db
from tests.conventions.builders import drafted_convention, registered
from tests.conventions.lifecycle_helpers import reload
from tests.web.conftest import page, text
from tests.web.convention_helpers import drafting  # noqa: F401  (fixture)


class FormValues(HTMLParser):
    """What a browser would send for the page's form as it is shown (first form with method post and no action)."""

    def __init__(self):
        super().__init__()
        self.values: list[tuple[str, str]] = []
        self._inside = False
        self._textarea: str | None = None
        self._select: str | None = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form" and attrs.get("method") == "post" and "action" not in attrs:
            self._inside = True
        if not self._inside or "name" not in attrs and tag != "option":
            return
        if tag == "input" and attrs.get("type") not in ("checkbox", "submit") or (
                tag == "input" and attrs.get("type") == "checkbox" and "checked" in attrs):
            self.values.append((attrs["name"], attrs.get("value", "")))
        elif tag == "textarea":
            self._textarea = attrs["name"]
            self.values.append((attrs["name"], ""))
        elif tag == "select":
            self._select = attrs["name"]
        elif tag == "option" and self._select and "selected" in attrs:
            self.values.append((self._select, attrs.get("value", "")))

    def handle_data(self, data):
        if self._textarea:
            name, value = self.values[-1]
            self.values[-1] = (name, value + data)

    def handle_endtag(self, tag):
        if tag == "textarea":
            if self._textarea:
                name, value = self.values[-1]
                self.values[-1] = (name, value.removeprefix("\r\n").removeprefix("\n"))
            self._textarea = None
        elif tag == "select":
            self._select = None
        elif tag == "form":
            self._inside = False


def shown_values(client, address: str) -> dict:
    parser = FormValues()
    parser.feed(page(client.get(address)))
    values: dict = {}
    for name, value in parser.values:
        values.setdefault(name, []).append(value)
    return values


@pytest.fixture
def make(drafting):
    def build(status: str = lifecycle.BROUILLON) -> Convention:
        return drafted_convention(drafting.hospital, drafting.ehpad, actor=drafting.staff, status=status)
    return build


def _edits(convention, action="convention.edit") -> int:
    return db.session.scalar(select(func.count(AuditLog.id)).where(
        AuditLog.object_id == convention.id, AuditLog.object_type == "Convention", AuditLog.action == action))


def test_the_edit_form_is_pre_filled_and_saves_one_change(client, drafting, login, make):
    convention = make(lifecycle.EN_NEGOCIATION)
    login(drafting.staff)
    assert 'href="/conventions/%d/modifier">Modifier</a>' % convention.id in page(client.get(
        f"/conventions/{convention.id}"))
    values = shown_values(client, f"/conventions/{convention.id}/modifier")
    assert values["champ_administrative_court"] == ["Dijon"] and values["partners"] == [str(drafting.ehpad.id)]
    assert values["effective_date"] == [convention.effective_date.isoformat()]
    values["champ_administrative_court"] = ["Besançon"]
    values[f"signataire_{drafting.ehpad.partner_id}_nom"] = ["Paul Martin"]
    response = client.post(f"/conventions/{convention.id}/modifier", data=values)
    assert response.status_code == 302, text(response)
    convention = reload(convention)
    assert convention.fields["administrative_court"] == "Besançon" and convention.status == lifecycle.EN_NEGOCIATION
    assert convention.parties[1].signatory_name == "Paul Martin"
    words = text(client.get(f"/conventions/{convention.id}"))
    assert "Modification" in words and "Besançon (auparavant : Dijon)" in words
    assert "Signataire pour EHPAD LE CHAMP DE MARS : Paul Martin (ajout)" in words
    assert _edits(convention) == 1
    # the next draft renders the new value
    assert client.post(f"/conventions/{convention.id}/projets").status_code == 302
    assert "Besançon" in text(client.get(f"/conventions/{convention.id}/projets/2/apercu"))


def test_a_refused_edit_comes_back_with_its_message_and_changes_nothing(client, drafting, login, make):
    convention = make()
    login(drafting.staff)
    values = shown_values(client, f"/conventions/{convention.id}/modifier")
    values["duration_months"] = ["0"]
    values["partners"] = []
    response = client.post(f"/conventions/{convention.id}/modifier", data=values)
    words = text(response)
    assert response.status_code == 422 and "Entre 1 et 240 mois." in words
    assert "Choisissez au moins un partenaire." in words
    assert reload(convention).duration_months == 60 and _edits(convention) == 0


@pytest.mark.parametrize("status", [lifecycle.A_SIGNER, lifecycle.SIGNEE])
def test_editing_a_frozen_convention_is_a_409_in_french(client, drafting, login, make, status):
    convention = make(status)
    login(drafting.staff)
    assert f"/conventions/{convention.id}/modifier" not in page(client.get(f"/conventions/{convention.id}"))
    for response in (client.get(f"/conventions/{convention.id}/modifier"),
                     client.post(f"/conventions/{convention.id}/modifier", data={"title": "Autre"})):
        assert response.status_code == 409 and "figés" in text(response)
    assert _edits(convention) == 0


@pytest.mark.parametrize("who, status", [("other_staff", 404), ("ars", 403), ("ars_other", 404)])
def test_others_cannot_edit_or_correct(client, drafting, login, make, who, status):
    draft, signed = make(), make(lifecycle.SIGNEE)
    login(getattr(drafting, who))
    assert client.get(f"/conventions/{draft.id}/modifier").status_code == status
    assert client.post(f"/conventions/{draft.id}/modifier", data={"title": "X"}).status_code == status
    assert client.post(f"/conventions/{signed.id}/corriger", data={"reason": "X"}).status_code == status
    if who == "ars":
        words = text(client.get(f"/conventions/{signed.id}"))
        assert "Corriger une erreur de saisie" not in words and "Modifier" not in words
    assert _edits(draft) == 0 and _edits(signed, "convention.correct") == 0


def test_an_admin_corrects_a_signed_convention_with_a_reason(client, drafting, login, make):
    convention = make(lifecycle.SIGNEE)
    login(drafting.admin)
    assert f'href="/conventions/{convention.id}/corriger"' in page(client.get(f"/conventions/{convention.id}"))
    values = shown_values(client, f"/conventions/{convention.id}/corriger")
    assert values["signed_on"] == [convention.signed_on.isoformat()]
    values["effective_date"] = ["2025-02-01"]
    response = client.post(f"/conventions/{convention.id}/corriger", data=values)  # no reason
    assert response.status_code == 422 and "Indiquez le motif de la correction." in text(response)
    assert reload(convention).effective_date != date(2025, 2, 1)
    values["reason"] = ["Date d'effet mal recopiée"]
    values["signed_on"] = ["2031-01-01"]
    response = client.post(f"/conventions/{convention.id}/corriger", data=values)
    assert response.status_code == 422 and "futur" in text(response)
    values["signed_on"] = [convention.signed_on.isoformat()]
    assert client.post(f"/conventions/{convention.id}/corriger", data=values).status_code == 302
    convention = reload(convention)
    assert convention.effective_date == date(2025, 2, 1) and convention.status == lifecycle.SIGNEE
    words = text(client.get(f"/conventions/{convention.id}"))
    assert "Correction" in words and "Motif : Date d'effet mal recopiée" in words
    assert re.search(r"Date d'effet : 1er février 2025 \(auparavant : 1er janvier \d{4}\)", words)
    history = text(client.get(f"/hopitaux/{drafting.hospital.finess_et}/historique"))
    assert "corrigée (Date d'effet mal recopiée)" in history and "Date d'effet : 1er février 2025" in history


def test_a_terminated_convention_corrects_its_termination(client, drafting, login, make):
    convention = make(lifecycle.RESILIEE)
    login(drafting.staff)
    values = shown_values(client, f"/conventions/{convention.id}/corriger")
    assert values["termination_reason"] == ["Fin de la coopération"]
    values.update(terminated_on=["2026-12-31"], reason=["Date de la lettre de résiliation"])
    assert client.post(f"/conventions/{convention.id}/corriger", data=values).status_code == 302
    assert reload(convention).terminated_on == date(2026, 12, 31)


def test_correcting_a_negotiated_convention_points_to_modifier(client, drafting, login, make):
    convention = make()
    login(drafting.staff)
    response = client.get(f"/conventions/{convention.id}/corriger")
    assert response.status_code == 409 and "Modifier" in text(response)


def test_an_avenant_is_not_edited_through_the_pages(client, drafting, login, make):
    avenant = create_avenant(make(lifecycle.SIGNEE), "Avenant n° 1")
    db.session.commit()
    login(drafting.staff)
    assert client.get(f"/conventions/{avenant.id}/modifier").status_code == 409


@pytest.mark.parametrize("app_config", [{"WTF_CSRF_ENABLED": True}])
def test_posts_without_csrf_token_are_refused(client, drafting, make):
    from tests.factories import PASSWORD
    from tests.web.test_partner_forms import _login_with_token

    convention = make()
    _login_with_token(client, drafting.staff, PASSWORD)
    values = shown_values(client, f"/conventions/{convention.id}/modifier")
    assert values["csrf_token"]
    forged = {**values, "title": ["Intitulé forgé"]}
    forged.pop("csrf_token")
    response = client.post(f"/conventions/{convention.id}/modifier", data=forged)
    assert response.status_code in (400, 422) and reload(convention).title != "Intitulé forgé"
    values["title"] = ["Intitulé corrigé"]
    assert client.post(f"/conventions/{convention.id}/modifier", data=values).status_code == 302
    assert reload(convention).title == "Intitulé corrigé"


def test_a_registered_convention_still_in_brouillon_edits_its_declared_themes(client, drafting, login):

    convention = registered(drafting.hospital, drafting.ehpad, actor=drafting.staff)
    db.session.commit()
    login(drafting.staff)
    values = shown_values(client, f"/conventions/{convention.id}/modifier")
    assert values["themes"] == ["retour_domicile"] and "signed_on" not in values
    values["themes"] = ["retour_domicile", "coordination"]
    assert client.post(f"/conventions/{convention.id}/modifier", data=values).status_code == 302
    assert reload(convention).themes == ["retour_domicile", "coordination"]
    assert "ajout de « " in text(client.get(f"/conventions/{convention.id}"))
