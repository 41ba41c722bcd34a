"""The convention page's lifecycle: only the allowed actions are offered, each works and writes its event,
the others are refused when posted; signed copies are uploaded, checked, reported and downloaded; readers read."""

import hashlib
import io
import re
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from registry.audit.models import AuditLog
from registry.conventions import lifecycle
from registry.conventions.models import Convention, ConventionEvent
from registry.conventions.signed_copies import attach_signed_copy
from registry.conventions.transitions import create_avenant
from registry.core.french import french_date
from registry.extensions import db
from tests.clock import TODAY
from tests.conventions.builders import SIGNED_ON, drafted_convention, registered
from tests.conventions.lifecycle_helpers import SIGNER, reload, signed_copies, signed_pdf, tampered_pdf
from tests.signatures import pdf_factory
from tests.web.conftest import page, text
from tests.web.convention_helpers import drafting  # noqa: F401  (fixture)

UPLOAD = "Déposer la copie signée"


@pytest.fixture
def make(drafting):
    """make(status): a convention of the drafting hospital with the EHPAD, drafted by its user, at ``status``."""
    def build(status: str = lifecycle.BROUILLON) -> Convention:
        return drafted_convention(drafting.hospital, drafting.ehpad, actor=drafting.staff, status=status)
    return build


@pytest.fixture
def staff(client, drafting, login):
    login(drafting.staff)
    return drafting.staff


def url(convention: Convention, action: str = "") -> str:
    return f"/conventions/{convention.id}{action}"


def move(client, convention, to, **fields):
    return client.post(url(convention, f"/statut/{to}"), data={f"{to}-{k}": v for k, v in fields.items()})


def upload(client, convention, data: bytes, name: str = "convention signée.pdf"):
    return client.post(url(convention, "/copies-signees"), data={"file": (io.BytesIO(data), name)},
                       content_type="multipart/form-data")


def events(convention) -> list[tuple]:
    return [(e.from_status, e.to_status, e.actor_label, e.comment, e.date) for e in db.session.scalars(
        select(ConventionEvent).where(ConventionEvent.convention_id == convention.id).order_by(ConventionEvent.id))]


def offered(client, convention) -> set[str]:
    """The action buttons the page shows (by target status)."""
    body = page(client.get(url(convention)))
    return {target for target in lifecycle.STATUSES
            if f'action="{url(convention, "/statut/" + target)}"' in body}


# --- Allowed actions, through the page -------------------------------------------------------------------------

def test_a_draft_offers_negotiation_and_abandon_only(client, staff, make):
    convention = make()
    words = text(client.get(url(convention)))
    assert offered(client, convention) == {"en_negociation"}
    assert "Mettre en négociation" in words and "Abandonner et supprimer" in words
    for label in ("Envoyer à la signature", "Enregistrer la signature", "Résilier", UPLOAD, "Créer un avenant"):
        assert label not in words, label
    assert ("État non signée — l'état (en vigueur, à renouveler, expirée) se déduit des dates après la signature"
            in words)
    assert "Copie signée (" not in words  # nothing to show, nothing to upload yet


def test_the_whole_walk_through_the_page(client, drafting, staff, make):
    convention = make()
    response = move(client, convention, "en_negociation", comment="Envoyée à l'EHPAD")
    assert response.status_code == 302 and response.headers["Location"].endswith(url(convention) + "#cycle")
    words = text(client.get(url(convention)))
    assert f"La convention {convention.reference} est maintenant « En négociation »." in words
    assert offered(client, convention) == {"a_signer"}

    assert move(client, convention, "a_signer").status_code == 302
    assert offered(client, convention) == {"en_negociation", "signee"}
    words = text(client.get(url(convention)))
    assert UPLOAD in words and "Copie signée : à déposer d'abord" in words
    assert "Produire un nouveau projet" not in words

    data = signed_pdf()
    response = upload(client, convention, data)
    assert response.status_code == 302 and response.headers["Location"].endswith("#copie-signee")
    words = text(client.get(url(convention)))
    assert "Copie signée v1 déposée : intègre, certificat non vérifié." in words
    assert "Copie signée : déposée (v1, intègre, certificat non vérifié)" in words

    assert move(client, convention, "signee", date=SIGNED_ON.isoformat()).status_code == 302
    convention = reload(convention)
    assert (convention.status, convention.signed_on, convention.state_on()) == ("signee", SIGNED_ON, "en_vigueur")
    words = text(client.get(url(convention)))
    assert f"Convention n° {convention.reference} · Signée · En vigueur" in words
    assert f"Signée le {french_date(SIGNED_ON)}" in words
    assert offered(client, convention) == {"resiliee"} and "Créer un avenant" in words
    assert events(convention) == [
        ("brouillon", "en_negociation", drafting.staff.email, "Envoyée à l'EHPAD", None),
        ("en_negociation", "a_signer", drafting.staff.email, None, None),
        ("a_signer", "signee", drafting.staff.email, None, SIGNED_ON)]
    assert hashlib.sha256(data).hexdigest() == signed_copies(convention)[0].sha256


def test_going_back_to_negotiation_keeps_the_reason(client, staff, make):
    convention = make(lifecycle.A_SIGNER)
    response = move(client, convention, "en_negociation", comment="L'EHPAD demande un article sur l'HT-SH")
    assert response.status_code == 302
    assert reload(convention).status == "en_negociation"
    assert events(convention)[-1][:2] + events(convention)[-1][3:4] == (
        "a_signer", "en_negociation", "L'EHPAD demande un article sur l'HT-SH")
    words = text(client.get(url(convention)))
    assert ("Changement de statut : « À signer » → vers « En négociation » L'EHPAD demande un article sur l'HT-SH"
            in words)


def test_terminating_needs_a_date_and_a_reason_and_shows_them(client, staff, make):
    convention = make(lifecycle.SIGNEE)
    response = move(client, convention, "resiliee", date=TODAY.isoformat(), comment="Fermeture de l'EHPAD")
    assert response.status_code == 302
    convention = reload(convention)
    assert (convention.status, convention.terminated_on, convention.termination_reason) == (
        "resiliee", TODAY, "Fermeture de l'EHPAD")
    words = text(client.get(url(convention)))
    assert f"Résiliation à compter du {french_date(TODAY)} — motif : Fermeture de l'EHPAD" in words
    assert f"résiliation à compter du {french_date(TODAY)} Fermeture de l'EHPAD" in words  # the timeline
    assert "Aucun changement de statut n'est possible depuis « Résiliée »." in words
    assert offered(client, convention) == set() and UPLOAD not in words


def test_a_registered_convention_is_signed_from_draft(client, drafting, staff):
    convention = registered(drafting.hospital, drafting.ehpad, actor=drafting.staff)
    db.session.commit()
    assert offered(client, convention) == {"en_negociation", "signee"}
    assert "Enregistrer comme signée" in text(client.get(url(convention)))
    assert upload(client, convention, pdf_factory.blank_pdf()).status_code == 302
    assert move(client, convention, "signee", date=SIGNED_ON.isoformat()).status_code == 302
    assert reload(convention).status == "signee"
    words = text(client.get(url(convention)))
    assert "signature manuscrite (copie numérisée)" in words
    assert "Aucune signature électronique dans ce PDF" in words


def test_an_avenant_is_created_from_a_signed_convention_and_listed(client, staff, make):
    convention = make(lifecycle.SIGNEE)
    refused = client.post(url(convention, "/avenants"), data={"title": "  "})
    assert refused.status_code == 422 and "Avenant refusé : indiquez l'objet de l'avenant." in text(refused)
    response = client.post(url(convention, "/avenants"), data={"title": "Hébergement temporaire",
                                                                "effective_date": "2027-03-01"})
    assert response.status_code == 302
    avenant = db.session.scalar(select(Convention).where(Convention.parent_id == convention.id))
    assert response.headers["Location"].endswith(url(avenant) + "#cycle")
    assert (avenant.reference, avenant.status) == (f"{convention.reference}-A1", "brouillon")
    body = page(client.get(url(convention)))
    assert f'<a href="{url(avenant)}">{avenant.reference}</a>' in body
    assert "Avenants (1)" in text(client.get(url(convention)))
    words = text(client.get(url(avenant)))
    assert f"Avenant n° {avenant.reference}" in words and f"Avenant à la convention {convention.reference}" in words
    assert "Créer un avenant" not in words and UPLOAD in words  # drafted elsewhere: its copy can come at once


def test_an_unsigned_convention_is_abandoned(client, drafting, staff, make):
    convention = make(lifecycle.EN_NEGOCIATION)
    reference = convention.reference
    response = client.post(url(convention, "/abandon"), data={"reason": "Projet abandonné par l'EHPAD"})
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/hopitaux/{drafting.hospital.finess_et}#conventions")
    db.session.expire_all()
    assert db.session.get(Convention, convention.id) is None
    assert db.session.scalar(select(AuditLog.summary).where(AuditLog.action == "convention.delete")).endswith(
        "Projet abandonné par l'EHPAD")
    assert f"La convention {reference} est abandonnée et supprimée" in text(client.get(response.headers["Location"]))


def test_a_new_convention_records_the_one_it_replaces(client, staff, make):
    old, new = make(lifecycle.SIGNEE), make()
    words = text(client.get(url(new)))
    assert "Enregistrer le remplacement" in words and old.reference in words
    response = client.post(url(new, "/remplacement"), data={"replaced": str(old.id)})
    assert response.status_code == 302
    assert reload(old).superseded_by_id == new.id
    assert f"Remplace la convention {old.reference} · {old.title}" in text(client.get(url(new)))
    assert f'<a href="{url(old)}">la convention {old.reference}</a>' in page(client.get(url(new)))
    assert f"Remplacée par la convention {new.reference} · {new.title} (Brouillon)" in text(client.get(url(old)))
    assert f'<a href="{url(new)}">la convention {new.reference}</a>' in page(client.get(url(old)))


# --- Forbidden actions: absent from the page, refused when posted ----------------------------------------------

@pytest.mark.parametrize("status, to, fields, reason", [
    ("brouillon", "a_signer", {}, "passage de « Brouillon » à « À signer » impossible"),
    ("brouillon", "signee", {"date": SIGNED_ON.isoformat()}, "seule une convention rédigée hors de l'application"),
    ("brouillon", "resiliee", {"date": TODAY.isoformat(), "comment": "x"}, "jamais signée ne se résilie pas"),
    ("en_negociation", "signee", {"date": SIGNED_ON.isoformat()}, "passage de « En négociation » à « Signée »"),
    ("a_signer", "signee", {"date": SIGNED_ON.isoformat()}, "déposez la copie signée"),
    ("a_signer", "en_negociation", {}, "indiquez le motif du retour en négociation"),
    ("signee", "resiliee", {"comment": "Fin"}, "indiquez la date d'effet de la résiliation"),
    ("signee", "a_signer", {}, "passage de « Signée » à « À signer » impossible"),
    ("resiliee", "signee", {"date": SIGNED_ON.isoformat()}, "aucun changement de statut n'est possible"),
    ("signee", "archivee", {}, "statut inconnu : « archivee »"),
])
def test_a_forbidden_transition_is_refused_and_changes_nothing(client, staff, make, status, to, fields, reason):
    convention = make(status)
    before = events(convention)
    if to not in {rule.target for rule in reload(convention).possible_transitions()}:
        assert to not in offered(client, convention)
    response = move(client, convention, to, **fields)
    assert response.status_code == 422
    words = text(response)
    assert "Rien n'a été modifié." in words or "Le formulaire n'a pas été enregistré" in words
    assert reason in words
    assert reload(convention).status == status and events(convention) == before


def test_a_bad_date_is_named_and_the_typed_values_are_kept(client, staff, make):
    convention = make(lifecycle.SIGNEE)
    response = move(client, convention, "resiliee", date="31/02/2027", comment="Motif gardé")
    assert response.status_code == 422
    assert "Date invalide : utilisez le format JJ/MM/AAAA." in text(response)
    assert "Motif gardé</textarea>" in page(response)
    assert reload(convention).status == "signee"


def test_a_future_signature_date_is_refused(client, staff, make):
    convention = make(lifecycle.A_SIGNER)
    upload(client, convention, signed_pdf())
    response = move(client, convention, "signee", date=(TODAY + timedelta(days=2)).isoformat())
    assert response.status_code == 422 and "la date de signature ne peut pas être dans le futur" in text(response)
    assert reload(convention).status == "a_signer"


def test_no_avenant_on_an_unsigned_convention_and_no_abandon_once_signed(client, staff, make):
    convention = make(lifecycle.A_SIGNER)
    response = client.post(url(convention, "/avenants"), data={"title": "Essai"})
    assert response.status_code == 422
    assert "seule une convention signée (et non résiliée) peut recevoir un avenant" in text(response)
    response = client.post(url(convention, "/abandon"), data={"reason": "Essai"})
    assert response.status_code == 422 and "repassez-la en négociation d'abord" in text(response)
    assert db.session.scalar(select(func.count(Convention.id))) == 1


# --- Signed copies ----------------------------------------------------------------------------------------------

def test_a_signed_copy_is_reported_on_the_page(client, staff, make):
    convention = make(lifecycle.A_SIGNER)
    assert upload(client, convention, signed_pdf()).status_code == 302
    response = client.get(url(convention))
    words = text(response)
    assert "Vérification de la copie v1 Résultat : intègre, certificat non vérifié" in words
    row = words.split("Signataire Signé le Intègre Modifiée après signature Certificat Verdict", 1)[1].strip()
    assert re.match(rf"{SIGNER} \d+(er)? \w+ \d{{4}} à \d\d:\d\d Oui Non certificat non vérifié "
                    "intègre, certificat non vérifié", row), row[:200]
    assert 'accept="application/pdf"' in page(response) and "Le PDF signé, 25 Mo au plus." in words


def test_a_tampered_copy_is_set_aside_not_current(client, staff, make):
    convention = make(lifecycle.A_SIGNER)
    assert upload(client, convention, tampered_pdf()).status_code == 302
    words = text(client.get(url(convention)))
    assert "Copie v1 mise à l'écart : altérée" in words
    assert "La signature de Marie Durand est altérée" in words
    assert "Résultat : altérée" not in words  # not the current copy (tests/web/test_set_aside_copies.py)


def test_a_pdf_with_javascript_is_flagged(client, staff, make):
    convention = make(lifecycle.A_SIGNER)
    assert upload(client, convention, pdf_factory.pdf_with_open_action_javascript()).status_code == 302
    words = text(client.get(url(convention)))
    warnings = words.split("Attention : ce PDF", 1)[1].split("Aucune signature électronique", 1)[0]
    assert "contient du JavaScript : à ne pas ouvrir dans un lecteur qui l'exécute" in warnings
    assert "contient des actions déclenchées automatiquement" in warnings


@pytest.mark.parametrize("data, name, message", [
    (pdf_factory.zip_bytes(), "convention.pdf",
     "Le fichier n'est pas un PDF : son contenu ressemble à une archive ZIP."),
    (pdf_factory.HTML_PAGE, "convention.pdf", "ressemble à une page web (HTML)"),
    (b"", "convention.pdf", "Le fichier est vide (0 octet)."),
    (pdf_factory.blank_pdf()[:200], "convention.pdf", "Le PDF est incomplet"),
])
def test_bad_files_are_refused_on_the_page(client, staff, make, data, name, message):
    convention = make(lifecycle.A_SIGNER)
    response = upload(client, convention, data, name)
    assert response.status_code == 422
    words = text(response)
    assert message in words and "Le formulaire n'a pas été enregistré" in words
    assert signed_copies(convention) == []


def test_no_file_chosen_is_named(client, staff, make):
    convention = make(lifecycle.A_SIGNER)
    response = client.post(url(convention, "/copies-signees"), data={}, content_type="multipart/form-data")
    assert response.status_code == 422 and "Choisissez le fichier PDF signé." in text(response)


@pytest.mark.parametrize("app_config", [{"MAX_UPLOAD_MB": 1}])
@pytest.mark.parametrize("csrf", [False, True], ids=["in-the-view", "before-the-view"])
def test_an_oversized_file_gets_a_french_413_page(app, client, staff, make, csrf):
    convention = make(lifecycle.A_SIGNER)
    app.config["WTF_CSRF_ENABLED"] = csrf  # CSRF protection reads the form before the view does
    response = upload(client, convention, pdf_factory.blank_pdf() + b"%" * (2 * 1024 * 1024))
    assert response.status_code == 413
    words = text(response)
    assert "Fichier trop volumineux" in words and "dépasse la limite de 1 Mo : rien n'a été enregistré" in words
    assert f'href="{url(convention)}#copie-signee"' in page(response)
    assert signed_copies(convention) == []


@pytest.mark.parametrize("app_config", [{"MAX_UPLOAD_MB": 1}])
def test_the_other_forms_of_the_blueprint_keep_the_plain_413_page(client, drafting, staff):
    response = client.post(f"/hopitaux/{drafting.hospital.finess_et}/conventions/nouvelle/ehpad",
                           data={"title": "x" * (2 * 1024 * 1024)})
    assert response.status_code == 413
    words = text(response)
    assert "Erreur 413 Fichier trop volumineux" in words and "Retour à la convention" not in words


def test_no_copy_while_negotiating(client, staff, make):
    convention = make(lifecycle.EN_NEGOCIATION)
    assert UPLOAD not in text(client.get(url(convention)))
    response = upload(client, convention, signed_pdf())
    assert response.status_code == 422 and "La copie signée se dépose quand la convention est" in text(response)
    assert signed_copies(convention) == []


def test_every_version_is_downloadable(client, drafting, staff, make):
    convention = make(lifecycle.A_SIGNER)
    first, second = pdf_factory.blank_pdf(), signed_pdf()
    upload(client, convention, first)
    upload(client, convention, second)
    words = text(client.get(url(convention)))
    assert "Copie signée (2)" in words and "Vérification de la copie v2" in words
    versions = words.split("Version Déposée le Par Vérification Taille Actions", 1)[1]
    assert versions.index("v2 (actuelle)") < versions.index("v1 ")
    for version, data in ((1, first), (2, second)):
        response = client.get(url(convention, f"/copies-signees/{version}.pdf"))
        assert response.status_code == 200 and response.mimetype == "application/pdf"
        assert response.data == data
        assert response.headers["Content-Disposition"].startswith("attachment")
    assert client.get(url(convention, "/copies-signees/3.pdf")).status_code == 404


def test_the_timeline_starts_with_the_creation(client, drafting, staff, make):
    convention = make(lifecycle.A_SIGNER)
    upload(client, convention, signed_pdf())
    words = text(client.get(url(convention)))
    timeline = words.split("Date Par Événement Précisions", 1)[1]
    steps = [timeline.index(step) for step in (
        "Création : « Brouillon »", "Changement de statut : « Brouillon » → vers « En négociation »",
        "Changement de statut : « En négociation » → vers « À signer »", "Copie signée v1 déposée")]
    assert steps == sorted(steps)
    assert timeline.count(drafting.staff.email) == 4


def test_the_page_runs_the_same_queries_whatever_the_number_of_copies_and_events(client, drafting, staff, make,
                                                                                count_queries):
    convention = make(lifecycle.A_SIGNER)
    attach_signed_copy(convention, pdf_factory.blank_pdf(), actor=drafting.staff)
    db.session.commit()
    with count_queries() as few:
        client.get(url(convention))
    for _ in range(3):
        attach_signed_copy(convention, signed_pdf(), actor=drafting.admin)
    move(client, convention, "en_negociation", comment="Relecture")
    move(client, convention, "a_signer")
    db.session.commit()
    with count_queries() as many:
        words = text(client.get(url(convention)))
    assert "Copie signée (4)" in words
    assert len(many) == len(few), many


# --- Who may do what --------------------------------------------------------------------------------------------

def test_the_ars_reads_everything_and_changes_nothing(client, drafting, login, make):
    convention = make(lifecycle.SIGNEE)
    create_avenant(convention, "Hébergement temporaire", actor=drafting.staff)
    db.session.commit()
    login(drafting.ars)
    words = text(client.get(url(convention)))
    assert "Signée · En vigueur" in words and "intègre, certificat non vérifié" in words
    assert "Hébergement temporaire" in words and "Création : « Brouillon »" in words
    assert offered(client, convention) == set()
    for label in ("Résilier", UPLOAD, "Créer un avenant", "Enregistrer le remplacement", "Aucun changement"):
        assert label not in words, label
    assert move(client, convention, "resiliee", date=TODAY.isoformat(), comment="x").status_code == 403
    assert upload(client, convention, signed_pdf()).status_code == 403
    assert client.post(url(convention, "/avenants"), data={"title": "x"}).status_code == 403
    assert client.get(url(convention, "/copies-signees/1.pdf")).status_code == 200
    assert reload(convention).status == "signee" and len(signed_copies(convention)) == 1


@pytest.mark.parametrize("who", ["other_staff", "ars_other"])
def test_another_hospital_sees_nothing(client, drafting, login, make, who):
    convention = make(lifecycle.A_SIGNER)
    login(getattr(drafting, who))
    assert client.get(url(convention)).status_code == 404
    assert move(client, convention, "en_negociation", comment="x").status_code == 404
    assert upload(client, convention, signed_pdf()).status_code == 404
    assert client.post(url(convention, "/abandon"), data={"reason": "x"}).status_code == 404
    assert client.get(url(convention, "/copies-signees/1.pdf")).status_code == 404
    assert reload(convention).status == "a_signer" and signed_copies(convention) == []



@pytest.mark.parametrize("signed_on, warned", [("2026-11-25", True), ("2026-11-30", False)])
def test_a_signature_date_unlike_the_pdf_s_last_signature_is_pointed_out(client, staff, make, signed_on, warned):
    """The PDF's own signing time is read from the stored report (set here: the real one is the machine's day)."""
    from datetime import date as day

    convention = make(lifecycle.A_SIGNER)
    assert upload(client, convention, signed_pdf()).status_code == 302
    document = signed_copies(convention)[0]
    report = dict(document.signature_report)
    report["signatures"] = [{**report["signatures"][0], "signing_time": "2026-11-30T22:30:00+00:00"}]
    document.signature_report = report  # 23:30 in Paris: still 30 November there
    db.session.commit()
    assert move(client, convention, "signee", date=signed_on).status_code == 302
    words = text(client.get(url(convention)))
    warning = ("La date de signature saisie (25 novembre 2026) n'est pas celle de la dernière signature "
               "électronique du PDF (30 novembre 2026) : vérifiez-la.")
    assert (warning in words) is warned
    assert day.fromisoformat(signed_on) == reload(convention).signed_on
