"""Word round trips on the convention page: a partner's version received as a new draft version, listed with its
origin and downloadable, two versions compared (page and .docx), and who may do what."""

import io
import re

import docx
import pytest
from sqlalchemy import func, select

from registry.audit.models import AuditLog
from registry.conventions.models import ConventionDocument
from registry.extensions import db
from tests.web.conftest import page, text
from tests.web.convention_helpers import create_through_the_form, drafting  # noqa: F401
from tests.word_files import PDF, bomb_file, corrupt_file, macro_file, with_tracked_changes, word_file

UPLOAD = "Déposer la version du partenaire"


@pytest.fixture
def convention(client, drafting, login):  # noqa: F811
    login(drafting.staff)
    return create_through_the_form(client, drafting, "second_recours")


def receive(client, convention, data, comment=""):
    return client.post(f"/conventions/{convention.id}/projets/recus", content_type="multipart/form-data",
                       data={"partenaire-file": (io.BytesIO(data), "retour.docx"), "partenaire-comment": comment})


def documents() -> int:
    db.session.expire_all()
    return db.session.scalar(select(func.count(ConventionDocument.id)))


def test_a_partner_version_is_received_listed_with_its_origin_and_downloaded_as_sent(client, drafting, convention):
    data = with_tracked_changes(["Article 1"], [("keep", "Texte "), ("ins", "du partenaire")])
    response = receive(client, convention, data, comment="Retour du CHU du 1er décembre")
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/conventions/{convention.id}#projets")
    words = text(client.get(f"/conventions/{convention.id}"))
    assert "La version reçue du partenaire est enregistrée : projet v2." in words
    assert f"v2 " in words and "Version reçue du partenaire « Retour du CHU du 1er décembre »" in words
    assert "Produite par l'application" in words and "Projets (2)" in words
    download = client.get(f"/conventions/{convention.id}/projets/2.docx")
    assert download.status_code == 200 and download.data == data
    assert f"{convention.reference} projet v2 partenaire.docx" in download.headers["Content-Disposition"]
    actions = list(db.session.scalars(select(AuditLog.action).order_by(AuditLog.id)))
    assert actions[-2:] == ["convention.draft_received", "document.download"]
    preview = client.get(f"/conventions/{convention.id}/projets/2/apercu")
    assert preview.status_code == 200 and "du partenaire" in text(preview)


@pytest.mark.parametrize("data, message", [
    (b"", "le fichier est vide"), (PDF, "ce n'est pas une archive ZIP valide"),
    (corrupt_file(), "ce n'est pas une archive ZIP valide"), (macro_file(), "contient des macros"),
    (bomb_file(), "bombe de décompression")], ids=["empty", "pdf-renamed", "corrupt-zip", "docm", "zip-bomb"])
def test_a_bad_file_gets_a_french_reason_and_stores_nothing(client, convention, data, message):
    response = receive(client, convention, data)
    assert response.status_code == 422
    words = text(response)
    assert "La version n'a pas été enregistrée" in words and message in words
    assert documents() == 1


def test_no_file_chosen_is_named(client, convention):
    response = client.post(f"/conventions/{convention.id}/projets/recus", data={},
                           content_type="multipart/form-data")
    assert response.status_code == 422 and "Choisissez le document Word reçu du partenaire." in text(response)


@pytest.mark.parametrize("app_config", [{"MAX_UPLOAD_MB": 1}])
def test_a_huge_file_gets_the_french_413_page(client, convention):
    response = receive(client, convention, b"PK" + b"\x00" * (2 * 1024 * 1024))
    assert response.status_code == 413
    assert "dépasse la limite de 1 Mo : rien n'a été enregistré" in text(response)
    assert f'href="/conventions/{convention.id}#projets"' in page(response)
    assert documents() == 1


def test_an_upload_without_csrf_token_is_refused(app, client, convention):
    app.config["WTF_CSRF_ENABLED"] = True
    assert receive(client, convention, word_file("Texte")).status_code == 400
    assert documents() == 1
    body = page(client.get(f"/conventions/{convention.id}"))
    token = re.search(r'name="partenaire-csrf_token" type="hidden" value="([^"]+)"', body).group(1)
    response = client.post(f"/conventions/{convention.id}/projets/recus", content_type="multipart/form-data",
                           data={"partenaire-csrf_token": token,
                                 "partenaire-file": (io.BytesIO(word_file("Texte")), "retour.docx")})
    assert response.status_code == 302 and documents() == 2


def test_once_to_be_signed_no_upload_is_offered_nor_accepted(client, convention):
    convention.status = "a_signer"
    db.session.commit()
    assert UPLOAD not in text(client.get(f"/conventions/{convention.id}"))
    response = receive(client, convention, word_file("Texte"))
    assert response.status_code == 422 and "« brouillon » ou « en négociation »" in text(response)
    assert documents() == 1


def _two_versions(client, convention):
    receive(client, convention, word_file("Article 1", "Le CHU assure deux consultations.", "Clause ancienne."))
    receive(client, convention, with_tracked_changes(
        ["Article 1"], [("keep", "Le CHU assure "), ("del", "deux "), ("ins", "trois "), ("keep", "consultations.")],
        ["Article 2 ajouté par le partenaire"]))


def test_two_versions_are_compared_with_additions_and_deletions_marked_in_words(client, convention):
    _two_versions(client, convention)
    assert 'action="/conventions/%d/projets/comparaison"' % convention.id in page(
        client.get(f"/conventions/{convention.id}"))
    response = client.get(f"/conventions/{convention.id}/projets/comparaison?de=2&a=3")
    assert response.status_code == 200
    body, words = page(response), text(response)
    assert "Comparaison du projet v2 et du projet v3" in words
    assert "modifications suivies d'une version sont lues acceptées" in words
    assert "1 paragraphe ajouté, 1 supprimé, 1 modifié, 1 inchangé." in words
    assert ('<ins><span class="visually-hidden">[Ajout : </span>trois <span class="visually-hidden">]</span></ins>'
            in body)
    assert '<del><span class="visually-hidden">[Suppression : </span>deux <span class="visually-hidden">]' in body
    assert "Paragraphe ajouté [Ajout : Article 2 ajouté par le partenaire ]" in words
    assert "Paragraphe supprimé [Suppression : Clause ancienne. ]" in words


def test_long_unchanged_runs_are_folded(client, convention):
    same = [f"Article {n}" for n in range(1, 6)]
    receive(client, convention, word_file(*same, "Fin"))
    receive(client, convention, word_file(*same, "Fin modifiée"))
    body = page(client.get(f"/conventions/{convention.id}/projets/comparaison?de=2&a=3"))
    assert "<summary>5 paragraphes inchangés</summary>" in body


def test_the_comparison_downloads_as_an_audited_word_file(client, convention):
    _two_versions(client, convention)
    response = client.get(f"/conventions/{convention.id}/projets/comparaison/v2-v3.docx")
    assert response.status_code == 200
    assert f"{convention.reference} comparaison v2-v3.docx" in response.headers["Content-Disposition"]
    document = docx.Document(io.BytesIO(response.data))
    assert document.paragraphs[0].text == "Comparaison du projet v2 et du projet v3"
    entry = db.session.scalar(select(AuditLog).order_by(AuditLog.id.desc()).limit(1))
    assert entry.action == "document.download" and "comparaison v2-v3.docx" in entry.summary
    assert entry.hospital_id == convention.hospital_id


def test_unknown_versions_and_missing_choices_are_refused(client, convention):
    assert client.get(f"/conventions/{convention.id}/projets/comparaison?de=1&a=7").status_code == 404
    response = client.get(f"/conventions/{convention.id}/projets/comparaison?de=1")
    assert response.status_code == 422 and "Choisissez les deux versions" in text(response)
    assert client.get(f"/conventions/{convention.id}/projets/comparaison/v1-v7.docx").status_code == 404


def test_the_ars_reads_and_compares_but_does_not_upload(client, drafting, convention, login):
    _two_versions(client, convention)
    client.post("/deconnexion")
    login(drafting.ars)
    words = text(client.get(f"/conventions/{convention.id}"))
    assert UPLOAD not in words and "Comparer" in words
    assert client.get(f"/conventions/{convention.id}/projets/comparaison?de=1&a=3").status_code == 200
    assert client.get(f"/conventions/{convention.id}/projets/comparaison/v1-v3.docx").status_code == 200
    assert client.get(f"/conventions/{convention.id}/projets/3.docx").status_code == 200
    assert receive(client, convention, word_file("Texte")).status_code == 403
    assert documents() == 3


@pytest.mark.parametrize("who", ["other_staff", "ars_other"])
def test_another_hospitals_user_gets_404_everywhere(client, drafting, convention, login, who):
    _two_versions(client, convention)
    client.post("/deconnexion")
    login(getattr(drafting, who))
    base = f"/conventions/{convention.id}/projets"
    for url in (f"{base}/comparaison?de=1&a=2", f"{base}/comparaison/v1-v2.docx", f"{base}/2.docx"):
        assert client.get(url).status_code == 404, url
    assert receive(client, convention, word_file("Texte")).status_code == 404
    assert documents() == 3
