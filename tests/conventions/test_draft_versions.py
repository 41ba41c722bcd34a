"""Word round trips: a partner's .docx received as a draft version (checked, stored as sent, numbered with the
generated drafts) and the comparison of two versions in the accepted view of tracked changes."""

import hashlib
import io
import os

import docx
import pytest
from sqlalchemy import func, select

from registry.audit.models import AuditLog
from registry.conventions.draft_versions import compare_drafts, receive_partner_version
from registry.conventions.models import ORIGIN_GENERATED, ORIGIN_RECEIVED, ConventionDocument
from registry.conventions.services import generate_draft
from registry.core.errors import Conflict, DomainError, NotFound
from registry.core.storage import document_store
from registry.documents.comparison import (CHANGE, DELETE, EQUAL, INSERT, MAX_PARAGRAPHS, TooLong,
                                           accepted_paragraphs, compare_paragraphs, summarise)
from registry.documents.package import Limits
from registry.documents.received import DocumentRejected, check_word_document
from registry.extensions import db
from tests.conventions.builders import drafted_convention
from tests.conventions.conftest import EFFECTIVE
from tests.word_files import PDF, bomb_file, corrupt_file, macro_file, with_tracked_changes, word_file

FIELDS = {"specialties": ["Cardiologie"], "administrative_court": "Dijon", "signing_place": "Dijon"}


@pytest.fixture
def convention(shipped_templates, hospital_with_partners, make_user):
    hospital, chu, _ = hospital_with_partners
    return drafted_convention(hospital, chu, template_code="second_recours", fields=FIELDS, effective_date=EFFECTIVE,
                              duration_months=36)


def _stored_files(app) -> int:
    return sum(len(files) for _, _, files in os.walk(app.config["STORAGE_DIR"]))


# --- The content check -------------------------------------------------------------------------------------------

@pytest.mark.parametrize("data, message", [
    (b"", "le fichier est vide"),
    (PDF, "ce n'est pas une archive ZIP valide"),
    (corrupt_file(), "ce n'est pas une archive ZIP valide"),
    (macro_file(), "contient des macros"),
    (bomb_file(), "possible bombe de décompression"),
], ids=["empty", "pdf-renamed", "corrupt-zip", "docm", "zip-bomb"])
def test_what_is_not_a_plain_docx_is_refused_in_french(data, message):
    with pytest.raises(DocumentRejected, match=message) as refused:
        check_word_document(data)
    assert refused.value.message.startswith("Document refusé : ") and refused.value.status == 422


def test_a_file_over_the_size_cap_is_refused():
    with pytest.raises(DocumentRejected, match="le maximum accepté est"):
        check_word_document(word_file("Un paragraphe"), Limits(max_bytes=1024))


def test_a_real_docx_with_tracked_changes_passes():
    check_word_document(with_tracked_changes(["Article 1"], [("keep", "Texte "), ("ins", "ajouté")]))


# --- Reading and comparing ----------------------------------------------------------------------------------------

def test_tracked_changes_are_read_accepted():
    data = with_tracked_changes(["Article 1"], [("keep", "Le CHU assure "), ("del", "deux "), ("ins", "trois "),
                                                ("keep", "consultations.")], ["", "Article 2"])
    assert accepted_paragraphs(data) == ["Article 1", "Le CHU assure trois consultations.", "Article 2"]


def test_paragraphs_are_compared_then_words_inside_a_changed_one():
    old = ["Article 1", "Le CHU assure deux consultations par mois.", "Article 2", "Clause supprimée entièrement."]
    new = ["Article 1", "Le CHU assure trois consultations par mois.", "Article 2", "Article 3 nouveau"]
    blocks = compare_paragraphs(old, new)
    assert [block.kind for block in blocks] == [EQUAL, CHANGE, EQUAL, DELETE, INSERT]
    assert [(s.kind, s.text) for s in blocks[1].segments] == [
        (EQUAL, "Le CHU assure "), (DELETE, "deux "), (INSERT, "trois "), (EQUAL, "consultations par mois.")]
    summary = summarise(blocks)
    with pytest.raises(TooLong):
        compare_paragraphs(["x"] * (MAX_PARAGRAPHS + 1), [])
    assert (summary.unchanged, summary.changed, summary.deleted, summary.added) == (2, 1, 1, 1)
    assert summarise(compare_paragraphs(old, old)).identical


# --- Receiving a version ------------------------------------------------------------------------------------------

def test_a_received_version_is_stored_byte_for_byte_and_numbered_after_the_drafts(app, convention, make_user):
    juriste = make_user("hospital", organisations=[convention.hospital.organisation])
    data = with_tracked_changes(["Article 1"], [("keep", "Texte "), ("ins", "du partenaire")])
    received = receive_partner_version(convention, data, comment="  Retour du CHU  ", actor=juriste)
    db.session.commit()
    assert received.version == 2 and received.origin == ORIGIN_RECEIVED and received.comment == "Retour du CHU"
    assert received.sha256 == hashlib.sha256(data).hexdigest() and received.size == len(data)
    assert document_store().read(received.sha256) == data  # tracked changes kept: never re-rendered
    assert received.filename == f"{convention.reference} projet v2 partenaire.docx"
    assert received.created_by_id == juriste.id and received.template_version_id is None
    assert generate_draft(convention).version == 3  # one sequence for generated and received versions
    assert [d.origin for d in convention.drafts] == [ORIGIN_GENERATED, ORIGIN_RECEIVED, ORIGIN_GENERATED]
    entry = db.session.scalar(select(AuditLog).where(AuditLog.action == "convention.draft_received"))
    assert entry.object_id == received.id and entry.hospital_id == convention.hospital_id
    assert "version reçue du partenaire" in entry.summary and "Retour du CHU" in entry.summary


@pytest.mark.parametrize("data", [b"", PDF, corrupt_file(), macro_file()], ids=["empty", "pdf", "corrupt", "docm"])
def test_a_refused_file_stores_nothing(app, convention, data):
    files = _stored_files(app)
    with pytest.raises(DocumentRejected):
        receive_partner_version(convention, data)
    db.session.rollback()
    assert _stored_files(app) == files
    assert db.session.scalar(select(func.count(ConventionDocument.id))) == 1


def test_no_version_is_received_once_the_convention_is_to_be_signed(convention):
    convention.status = "en_negociation"
    assert receive_partner_version(convention, word_file("Texte")).version == 2
    convention.status = "a_signer"
    with pytest.raises(Conflict, match="« brouillon » ou « en négociation »"):
        receive_partner_version(convention, word_file("Texte"))


def test_a_comment_too_long_is_refused(convention):
    with pytest.raises(DomainError, match="1000 caractères"):
        receive_partner_version(convention, word_file("Texte"), comment="x" * 1001)


# --- Comparing versions of a convention -------------------------------------------------------------------------

def test_a_generated_draft_is_compared_with_the_partners_marked_up_version(convention):
    generated = accepted_paragraphs(document_store().read(convention.drafts[0].sha256))
    marked_up = with_tracked_changes(generated, [("keep", "Les parties se réunissent "), ("ins", "chaque trimestre"),
                                                 ("del", "chaque année")])
    receive_partner_version(convention, marked_up)
    comparison = compare_drafts(convention, 1, 2)
    assert comparison.summary.added == 1 and comparison.summary.deleted == 0 and comparison.summary.changed == 0
    assert comparison.blocks[-1].kind == INSERT
    assert comparison.blocks[-1].paragraphs == ["Les parties se réunissent chaque trimestre"]
    assert comparison.summary.unchanged == len(generated)
    with pytest.raises(NotFound, match="pas de projet en version 9"):
        compare_drafts(convention, 1, 9)


def test_the_comparison_document_names_both_versions_and_marks_the_changes(convention):
    receive_partner_version(convention, word_file("Article unique", "Le CHU assure trois consultations."))
    receive_partner_version(convention, word_file("Article unique", "Le CHU assure quatre consultations."))
    document = docx.Document(io.BytesIO(compare_drafts(convention, 2, 3).as_docx()))
    paragraphs = document.paragraphs
    assert paragraphs[0].text == "Comparaison du projet v2 et du projet v3"
    texts = "\n".join(p.text for p in paragraphs)
    assert "Version de départ : v2, version reçue du partenaire, 2 décembre 2026" in texts
    assert "Comparaison faite le 2 décembre 2026." in texts and "acceptées" in texts
    changed = next(p for p in paragraphs if p.text.startswith("Le CHU assure"))
    runs = {run.text: run for run in changed.runs}
    assert runs["trois "].font.strike and not runs["trois "].font.underline
    assert runs["quatre "].font.underline and not runs["quatre "].font.strike
    assert not runs["Le CHU assure "].font.strike and not runs["Le CHU assure "].font.underline
