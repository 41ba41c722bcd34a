"""Registering existing conventions through the pages: the single form (straight to « signée » with its copy) and
the stock import (upload → preview → confirmation, all or nothing), with their access rules."""

import io
import os
import re
import threading
from datetime import date, timedelta

import pytest
from openpyxl import load_workbook
from pypdf import PdfWriter
from sqlalchemy import func, select

from registry import signatures
from registry.audit.models import AuditLog
from registry.conventions import register_routes, registering, stock_confirmation
from registry.conventions.bulk_import import COLUMN_NAMES
from registry.conventions.lifecycle import TransitionRefused
from registry.conventions.models import KIND_SIGNED, ConventionDocument, ConventionEvent
from registry.extensions import db
from registry.hospitals.models import Partnership
from tests.clock import TODAY
from tests.conventions.test_bulk_import import csv_bytes, pdf, values
from tests.signatures.pdf_factory import docx_like_bytes, make_identity, signed_pdf, zip_bytes
from tests.stores import hold_for_someone_else, waiting_uploads
from tests.web.conftest import page, text
from tests.web.convention_helpers import conventions, drafting, references_used  # noqa: F401


def register_url(scene) -> str:
    return f"/hopitaux/{scene.hospital.finess_et}/conventions/enregistrer"


def import_url(scene, suffix: str = "") -> str:
    return f"/hopitaux/{scene.hospital.finess_et}/conventions/import{suffix}"


def register_values(scene, copy: bytes, **overrides) -> dict:
    data = {"partners": [str(scene.chu.id)], "title": "Convention de télémédecine",
            "effective_date": "2019-01-01", "duration_months": "36", "tacit_renewal": "y", "notice_months": "3",
            "partner_types": ["second_recours"], "themes": ["telemedecine", "consultations_avancees"],
            "signed_on": "2018-12-15", f"signataire_{scene.hospital.organisation_id}_nom": "Marie Durand",
            f"signataire_{scene.chu.partner_id}_nom": "Paul Martin",
            "signed_copy": (io.BytesIO(copy), "convention signée.pdf")}
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


# --- One convention -------------------------------------------------------------------------------------------

def test_the_form_registers_a_convention_signed_with_its_copy_and_an_event(client, drafting, login):
    login(drafting.staff)
    form = page(client.get(register_url(drafting) + f"?partenariat={drafting.chu.id}"))
    assert f'name="partners" value="{drafting.chu.id}" checked' in form
    assert 'name="signed_copy"' in form and 'enctype="multipart/form-data"' in form
    response = client.post(register_url(drafting), data=register_values(drafting, signed_pdf(make_identity())),
                           content_type="multipart/form-data")
    [convention] = conventions()
    assert response.status_code == 302 and response.headers["Location"] == f"/conventions/{convention.id}"
    assert (convention.status, convention.signed_on) == ("signee", date(2018, 12, 15))
    assert convention.reference == f"{drafting.hospital.finess_et}-2019-001"
    assert convention.template_version_id is None and convention.effective_date == date(2019, 1, 1)
    assert set(convention.themes) == {"telemedecine", "consultations_avancees"}
    [copy] = convention.signed_copies
    assert copy.signature_report["label"] == "intègre, certificat non vérifié"
    [event] = db.session.scalars(select(ConventionEvent).where(ConventionEvent.convention_id == convention.id))
    assert (event.from_status, event.to_status, event.actor_id) == ("brouillon", "signee", drafting.staff.id)
    assert {p.organisation_id: p.signatory_name for p in convention.parties} == {
        drafting.hospital.organisation_id: "Marie Durand", drafting.chu.partner_id: "Paul Martin"}
    shown = text(client.get(response.headers["Location"]))
    assert f"La convention {convention.reference} est enregistrée comme signée" in shown


def test_a_bad_pdf_creates_nothing_consumes_no_reference_and_keeps_the_values(client, drafting, login):
    login(drafting.staff)
    response = client.post(register_url(drafting), data=register_values(drafting, docx_like_bytes()),
                           content_type="multipart/form-data")
    body = text(response)
    assert response.status_code == 200
    assert "Le fichier n'est pas un PDF : son contenu ressemble à un document Word (.docx)" in body
    assert register_routes.PICK_AGAIN in body
    assert 'value="Convention de télémédecine"' in page(response)
    assert f'name="partners" value="{drafting.chu.id}" checked' in page(response)
    assert conventions() == [] and references_used() == 0


def test_a_refusal_after_the_convention_is_numbered_rolls_everything_back(client, drafting, login, monkeypatch):
    def refuse(convention, *args, **kwargs):
        raise TransitionRefused("Passage à « Signée » refusé : refus simulé.")
    monkeypatch.setattr(registering, "transition", refuse)
    login(drafting.staff)
    response = client.post(register_url(drafting), data=register_values(drafting, pdf()),
                           content_type="multipart/form-data")
    assert "Passage à « Signée » refusé : refus simulé." in text(response)
    assert conventions() == [] and references_used() == 0
    assert db.session.scalar(select(func.count(ConventionDocument.id))) == 0
    assert db.session.scalar(select(func.count(AuditLog.id)).where(AuditLog.action.like("convention.%"))) == 0


def test_the_form_verifies_the_signed_copy_once(client, drafting, login, monkeypatch):
    calls, real = [], signatures.verify_signatures
    monkeypatch.setattr(signatures, "verify_signatures", lambda data, **kw: calls.append(data) or real(data, **kw))
    login(drafting.staff)
    response = client.post(register_url(drafting), data=register_values(drafting, signed_pdf(make_identity())),
                           content_type="multipart/form-data")
    assert response.status_code == 302 and len(conventions()) == 1
    assert len(calls) == 1  # in the form's validation; the copy attached reuses that report


@pytest.mark.parametrize("overrides, message", [
    ({"signed_copy": None}, "Déposez la copie signée de la convention (PDF)."),
    ({"signed_on": (TODAY + timedelta(days=1)).isoformat()}, "ne peut pas être dans le futur"),
    ({"partner_types": None}, "Choisissez au moins un type de partenariat."),
    ({"themes": None}, "Choisissez au moins un thème."),
    ({"partners": None}, "Choisissez au moins un partenaire."),
])
def test_missing_or_wrong_values_are_said_in_french(client, drafting, login, overrides, message):
    login(drafting.staff)
    response = client.post(register_url(drafting), data=register_values(drafting, pdf(), **overrides),
                           content_type="multipart/form-data")
    assert message in text(response)
    assert conventions() == []


# --- The stock ------------------------------------------------------------------------------------------------

def stock(scene, *, bad: bool = False) -> tuple[bytes, bytes]:
    """A spreadsheet of two conventions (three with a refused one) and the ZIP of their PDFs."""
    rows = [values(scene.chu, fichier_pdf="chu.pdf"),
            values(scene.ehpad, titre="Convention EHPAD", types_partenaires="ehpad", themes="retour_domicile",
                   date_effet="2020-03-01", fichier_pdf="ehpad.pdf", signataires_partenaires="")]
    if bad:
        rows.append(values(scene.chu, titre="Sans PDF", fichier_pdf="manquant.pdf"))
    return csv_bytes(rows), zip_bytes({"chu.pdf": pdf(1), "ehpad.pdf": signed_pdf(make_identity())})


def upload(client, scene, spreadsheet: bytes, archive: bytes, name: str = "stock.csv"):
    return client.post(import_url(scene), content_type="multipart/form-data", data={
        "spreadsheet": (io.BytesIO(spreadsheet), name), "archive": (io.BytesIO(archive), "pdf.zip")})


def held_folders(app) -> list[str]:
    return waiting_uploads(app)


def token_of(client, scene) -> str:
    return re.search(r'name="token" value="([^"]+)"', page(client.get(import_url(scene, "/apercu")))).group(1)


def test_the_preview_lists_every_row_and_its_problem_and_creates_nothing(client, drafting, login, app):
    login(drafting.staff)
    response = upload(client, drafting, *stock(drafting, bad=True))
    assert response.status_code == 302 and response.headers["Location"].endswith("/conventions/import/apercu")
    preview = client.get(import_url(drafting, "/apercu"))
    body = text(preview)
    assert "1 ligne sur 3 à corriger" in body
    assert "le fichier « manquant.pdf » est absent de l'archive ZIP" in body
    assert body.count("Prête") == 2 and "À corriger" in body
    assert "CHU DIJON BOURGOGNE" in body and "Convention EHPAD" in body
    assert "intègre, certificat non vérifié" in body and "signature manuscrite (copie numérisée)" in body
    assert re.search(r'<button type="submit" class="btn btn-primary" disabled[^>]*>Confirmer l\'import',
                     page(preview))
    assert conventions() == [] and references_used() == 0
    assert len(held_folders(app)) == 1


def test_confirming_a_clean_stock_creates_every_convention_signed(client, drafting, login, app):
    login(drafting.staff)
    upload(client, drafting, *stock(drafting, bad=True))
    upload(client, drafting, *stock(drafting))  # the corrected upload replaces the first
    assert len(held_folders(app)) == 1
    token = token_of(client, drafting)
    response = client.post(import_url(drafting, "/confirmer"), data={"token": token})
    assert response.status_code == 302
    assert response.headers["Location"] == f"/hopitaux/{drafting.hospital.finess_et}#conventions"
    created = conventions()
    assert [(c.title, c.status) for c in created] == [("Convention de partenariat", "signee"),
                                                      ("Convention EHPAD", "signee")]
    assert all(len(c.signed_copies) == 1 and c.events[0].actor_id == drafting.staff.id for c in created)
    assert "2 conventions enregistrées comme signées" in text(client.get(response.headers["Location"]))
    assert held_folders(app) == []
    assert [c.signed_copies[0].signature_report["label"] for c in created] == [
        "signature manuscrite (copie numérisée)", "intègre, certificat non vérifié"]
    again = client.post(import_url(drafting, "/confirmer"), data={"token": token})  # a second click
    assert again.status_code == 302 and len(conventions()) == 2
    assert register_routes.NOT_WAITING in text(client.get(again.headers["Location"]))


def test_the_confirmation_verifies_each_pdf_once_after_the_hold(client, drafting, login, monkeypatch):
    login(drafting.staff)
    upload(client, drafting, *stock(drafting))
    token = token_of(client, drafting)  # the preview verified both PDFs
    calls, real = [], signatures.verify_signatures
    monkeypatch.setattr(signatures, "verify_signatures", lambda data, **kw: calls.append(data) or real(data, **kw))
    assert client.post(import_url(drafting, "/confirmer"), data={"token": token}).status_code == 302
    assert len(conventions()) == 2
    assert len(calls) == 2  # checked again after the hold, once each; the import reuses those reports


def test_confirming_when_one_row_is_bad_is_refused_and_creates_nothing(client, drafting, login, app):
    login(drafting.staff)
    upload(client, drafting, *stock(drafting, bad=True))
    response = client.post(import_url(drafting, "/confirmer"), data={"token": token_of(client, drafting)})
    assert response.status_code == 422
    assert "Import refusé : 1 ligne(s) à corriger. Rien n'a été enregistré." in text(response)
    assert conventions() == [] and references_used() == 0
    assert db.session.scalar(select(func.count(ConventionDocument.id)).where(
        ConventionDocument.kind == KIND_SIGNED)) == 0
    assert len(held_folders(app)) == 1 and not held_folders(app)[0].endswith(".confirmation")


def test_the_confirmation_checks_again_what_changed_since_the_preview(client, drafting, login, make_user):
    login(drafting.staff)
    spreadsheet, archive = stock(drafting)
    upload(client, drafting, spreadsheet, archive)
    token = token_of(client, drafting)
    other = client.application.test_client()  # the same stock registered meanwhile by a colleague
    colleague = make_user("hospital", organisations=[drafting.hospital.organisation])
    db.session.commit()
    with client.application.app_context():  # the colleague's requests do not share this test's context
        login_as(other, colleague)
        upload(other, drafting, spreadsheet, archive)
        other.post(import_url(drafting, "/confirmer"), data={"token": token_of(other, drafting)})
    assert len(conventions()) == 2
    response = client.post(import_url(drafting, "/confirmer"), data={"token": token})
    assert response.status_code == 422 and "déjà enregistrée" in text(response)
    assert len(conventions()) == 2


def login_as(client, user):
    from tests.factories import PASSWORD

    db.session.commit()
    assert client.post("/connexion", data={"email": user.email, "password": PASSWORD}).status_code == 302


def test_partners_found_in_the_registry_are_added_on_confirmation(client, drafting, login, make_organisation):
    newcomer = make_organisation(name="SMR DE BEAUNE", category_code="109")
    db.session.commit()
    login(drafting.staff)
    spreadsheet = csv_bytes([values(drafting.chu, finess_partenaires=newcomer.finess_et, types_partenaires="ssr",
                                    fichier_pdf="smr.pdf")])
    upload(client, drafting, spreadsheet, zip_bytes({"smr.pdf": pdf()}))
    body = text(client.get(import_url(drafting, "/apercu")))
    assert "Partenaires ajoutés à l'hôpital par l'import" in body and "nouveau partenaire" in body
    assert db.session.scalar(select(func.count(Partnership.id)).where(Partnership.partner_id == newcomer.id)) == 0
    client.post(import_url(drafting, "/confirmer"), data={"token": token_of(client, drafting)})
    assert db.session.scalar(select(func.count(Partnership.id)).where(Partnership.partner_id == newcomer.id)) == 1


@pytest.mark.parametrize("files, field_message", [
    ({"../evil.pdf": b"%PDF-"}, "remonte hors du dossier de l'archive"),
    ({"/etc/evil.pdf": b"%PDF-"}, "est un chemin absolu"),
])
def test_a_dangerous_archive_is_refused_at_upload_and_nothing_is_held(client, drafting, login, app, files,
                                                                      field_message):
    login(drafting.staff)
    spreadsheet, _ = stock(drafting)
    response = upload(client, drafting, spreadsheet, zip_bytes(files))
    assert response.status_code == 200
    assert field_message in text(response) and "L'archive ZIP est refusée" in text(response)
    assert held_folders(app) == []
    assert client.get(import_url(drafting, "/apercu")).status_code == 302


def test_too_many_entries_are_refused_at_upload(client, drafting, login, app, monkeypatch):
    monkeypatch.setattr("registry.conventions.bulk_import.limits.MAX_ENTRIES", 2)
    login(drafting.staff)
    spreadsheet, archive = stock(drafting)
    response = upload(client, drafting, spreadsheet, zip_bytes({f"{n}.pdf": pdf(n) for n in range(3)}))
    assert "elle contient plus de 2 fichiers" in text(response)
    assert held_folders(app) == []


def test_an_unusable_spreadsheet_is_refused_at_upload(client, drafting, login, app):
    login(drafting.staff)
    _, archive = stock(drafting)
    response = upload(client, drafting, b"titre;date_effet\r\nA;2020-01-01\r\n", archive)
    assert "Colonnes obligatoires absentes" in text(response)
    assert held_folders(app) == []


def test_a_confirmation_with_another_token_or_after_abandon_does_nothing(client, drafting, login, app):
    login(drafting.staff)
    upload(client, drafting, *stock(drafting))
    token = token_of(client, drafting)
    response = client.post(import_url(drafting, "/confirmer"), data={"token": "x" * 32})
    assert response.status_code == 302 and conventions() == []
    client.post(import_url(drafting, "/abandonner"), data={"token": token})
    assert held_folders(app) == []
    client.post(import_url(drafting, "/confirmer"), data={"token": token})
    assert conventions() == []


def test_the_import_page_documents_the_columns_and_offers_the_models(client, drafting, login):
    login(drafting.staff)
    body = text(client.get(import_url(drafting)))
    for name in COLUMN_NAMES:
        assert name in body
    csv_model = client.get(import_url(drafting, "/modele.csv"))
    assert csv_model.status_code == 200 and csv_model.mimetype == "text/csv"
    assert csv_model.data.decode("utf-8-sig").splitlines()[0] == ";".join(COLUMN_NAMES)
    xlsx_model = client.get(import_url(drafting, "/modele.xlsx"))
    assert "attachment" in xlsx_model.headers["Content-Disposition"]
    first = load_workbook(io.BytesIO(xlsx_model.data)).worksheets[0]
    assert [cell.value for cell in first[1]] == list(COLUMN_NAMES)
    assert first["B2"].value == drafting.chu.partner.finess_et


@pytest.mark.parametrize("who, offered", [("staff", True), ("admin", True), ("ars", False)])
def test_the_hospital_page_offers_both_ways_to_its_editors_only(client, drafting, login, who, offered):
    login(getattr(drafting, who))
    body = page(client.get(f"/hopitaux/{drafting.hospital.finess_et}"))
    assert (f'href="{register_url(drafting)}">Enregistrer une convention existante</a>' in body) is offered
    assert (f'href="{import_url(drafting)}">Importer un lot de conventions</a>' in body) is offered


PAGES = [("GET", "/enregistrer"), ("POST", "/enregistrer"), ("GET", "/import"), ("POST", "/import"),
         ("GET", "/import/apercu"), ("POST", "/import/confirmer"), ("POST", "/import/abandonner"),
         ("GET", "/import/modele.csv"), ("GET", "/import/modele.xlsx")]


@pytest.mark.parametrize("method, suffix", PAGES)
@pytest.mark.parametrize("who, status", [("other_staff", 404), ("ars_other", 404), ("ars", 403)])
def test_only_the_hospital_editors_reach_these_pages(client, drafting, login, method, suffix, who, status):
    login(getattr(drafting, who))
    response = client.open(f"/hopitaux/{drafting.hospital.finess_et}/conventions{suffix}", method=method)
    assert response.status_code == status
    assert conventions() == []


@pytest.mark.parametrize("who", ["staff", "admin"])
def test_the_hospital_users_and_administrators_reach_them(client, drafting, login, who):
    login(getattr(drafting, who))
    for suffix in ("/enregistrer", "/import", "/import/modele.csv"):
        assert client.get(f"/hopitaux/{drafting.hospital.finess_et}/conventions{suffix}").status_code == 200


def pdf_with_payload(payload: bytes) -> bytes:
    """A PDF made heavy by an attached file of incompressible bytes."""
    writer = PdfWriter()
    writer.add_blank_page(595, 842)
    writer.add_attachment("annexe.bin", payload)
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def test_the_stock_upload_may_exceed_the_single_upload_cap(client, drafting, login, app):
    app.config.update(MAX_UPLOAD_MB=1, MAX_CONTENT_LENGTH=1024 * 1024)
    copies = {f"{n}.pdf": pdf_with_payload(os.urandom(600_000)) for n in range(2)}
    archive = zip_bytes(copies)
    assert len(archive) > app.config["MAX_CONTENT_LENGTH"]
    rows = [values(drafting.chu, fichier_pdf="0.pdf"),
            values(drafting.ehpad, titre="EHPAD", types_partenaires="ehpad", fichier_pdf="1.pdf")]
    login(drafting.staff)
    response = upload(client, drafting, csv_bytes(rows), archive)
    assert response.status_code == 302
    assert "2 conventions prêtes" in text(client.get(import_url(drafting, "/apercu")))
    too_big = client.post(register_url(drafting), content_type="multipart/form-data",
                          data=register_values(drafting, archive))  # the single form keeps the usual cap
    assert too_big.status_code == 413


def test_two_concurrent_confirmations_of_the_same_stock_create_it_once(client, drafting, login, app, monkeypatch,
                                                                        make_user):
    """Two colleagues confirm the same stock at once: the hospital's row lock makes the second re-check wait for
    the first's commit, and see its conventions (PostgreSQL; SQLite has a single writer)."""
    if db.engine.dialect.name != "postgresql":
        pytest.skip("concurrent writers need PostgreSQL's row locks")
    spreadsheet, archive = stock(drafting)
    clients = [client, client.application.test_client()]
    users = [drafting.staff, make_user("hospital", organisations=[drafting.hospital.organisation])]
    tokens = []
    for each, user in zip(clients, users):
        login_as(each, user)
        upload(each, drafting, spreadsheet, archive)
        tokens.append(token_of(each, drafting))
    checked = threading.Barrier(2, timeout=3)
    real_check = stock_confirmation.check_stock

    def check_then_wait_for_the_other(*args, **kwargs):
        plan = real_check(*args, **kwargs)
        try:  # without the lock both checks would pass here before either import is committed
            checked.wait()
        except threading.BrokenBarrierError:
            pass
        return plan

    monkeypatch.setattr(stock_confirmation, "check_stock", check_then_wait_for_the_other)
    db.session.commit()
    url, responses = import_url(drafting, "/confirmer"), {}

    def confirm(number):
        responses[number] = clients[number].post(url, data={"token": tokens[number]})

    threads = [threading.Thread(target=confirm, args=(number,)) for number in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(response.status_code for response in responses.values()) == [302, 422]
    assert "déjà enregistrée" in text(next(r for r in responses.values() if r.status_code == 422))
    db.session.expire_all()
    assert len(conventions()) == 2


def test_a_replayed_session_cookie_does_not_pile_imports_up(client, drafting, login, app):
    login(drafting.staff)
    cookie = client.get_cookie("session").value
    for _ in range(3):
        client.set_cookie("session", cookie)  # the session as it was before any upload
        assert upload(client, drafting, *stock(drafting)).status_code == 302
    assert len(held_folders(app)) == 1


@pytest.mark.parametrize("app_config", [{"HELD_IMPORTS_MAX_MB": 0}])
def test_uploads_stop_when_the_held_imports_are_too_heavy(client, drafting, login, app):
    login(drafting.staff)
    hold_for_someone_else(app, "someone-else", 10)
    response = upload(client, drafting, *stock(drafting))
    assert response.status_code == 200 and "Trop d'imports attendent une confirmation" in text(response)
    assert held_folders(app) == ["someone-else"]


@pytest.mark.parametrize("app_config", [{"WTF_CSRF_ENABLED": True}])
def test_an_anonymous_upload_is_read_no_further_than_the_usual_limit(client, drafting, app):
    """The CSRF check reads the body before the access check: for an anonymous user, within the usual limit."""
    limit = app.config["MAX_CONTENT_LENGTH"]
    response = client.post(import_url(drafting), content_type="multipart/form-data",
                           data={"archive": (io.BytesIO(b"x" * (limit + 1)), "pdf.zip")})
    assert response.status_code == 413
