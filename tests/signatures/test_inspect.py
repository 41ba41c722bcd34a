"""Upload probes: a signed copy is judged by its bytes, never by its name."""

import hashlib

import pytest

from registry.core.errors import DomainError
from registry.signatures import SignedCopyRejected, inspect_pdf, labels
from tests.signatures import pdf_factory

MIB = 1024 * 1024
CAP = 25 * MIB


def rejected(data: bytes, max_bytes: int = CAP) -> SignedCopyRejected:
    with pytest.raises(SignedCopyRejected) as caught:
        inspect_pdf(data, max_bytes=max_bytes)
    return caught.value


def test_a_blank_pdf_is_described():
    data = pdf_factory.blank_pdf(pages=3)
    inspection = inspect_pdf(data, max_bytes=CAP)
    assert inspection.page_count == 3
    assert inspection.size == len(data)
    assert inspection.sha256 == hashlib.sha256(data).hexdigest()
    assert inspection.pdf_version == "1.3"
    assert inspection.active_content == () and inspection.warnings == []
    assert inspection.as_dict()["page_count"] == 3


def test_a_signed_pdf_is_accepted_with_the_version_its_catalog_declares(signed):
    inspection = inspect_pdf(signed, max_bytes=CAP)
    assert inspection.page_count == 1
    assert inspection.pdf_version == "2.0"  # pyHanko's PAdES signature raises the catalog's /Version
    assert not inspection.has_javascript


def test_the_refusal_is_a_domain_error_with_a_french_message():
    error = rejected(b"")
    assert isinstance(error, DomainError) and error.status == 422
    assert error.message == "Le fichier est vide (0 octet). Renvoyez le fichier d'origine."


def test_plain_text_is_not_a_pdf():
    assert "ressemble à un fichier texte" in rejected(pdf_factory.PLAIN_TEXT).message


def test_a_zip_renamed_pdf_is_recognised():
    message = rejected(pdf_factory.zip_bytes()).message
    assert message.startswith("Le fichier n'est pas un PDF : son contenu ressemble à une archive ZIP.")


def test_a_word_document_renamed_pdf_is_recognised():
    assert "ressemble à un document Word (.docx)" in rejected(pdf_factory.docx_like_bytes()).message


def test_html_renamed_pdf_is_recognised():
    assert "ressemble à une page web (HTML)" in rejected(pdf_factory.HTML_PAGE).message
    assert "ressemble à une page web (HTML)" in rejected(b"\xef\xbb\xbf  <html><body>x</body></html>").message


@pytest.mark.parametrize("head, kind", [
    (b"\xff\xd8\xff\xe0\x00\x10JFIF", "une image JPEG"),
    (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "une image PNG"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(50), "un ancien document Office"),
])
def test_images_and_old_office_files_are_recognised(head, kind):
    assert f"ressemble à {kind}" in rejected(head + bytes(range(256))).message


def test_unknown_binary_content_is_just_not_a_pdf():
    message = rejected(bytes(range(256)) * 4).message
    assert message.startswith("Le fichier n'est pas un PDF. ")


def test_data_before_the_header_is_refused():
    assert "données avant l'en-tête PDF" in rejected(b"\r\n" + pdf_factory.blank_pdf()).message


def test_a_pdf_cut_in_half_is_truncated():
    data = pdf_factory.blank_pdf()
    assert "Le PDF est incomplet" in rejected(data[: len(data) // 2]).message


def test_a_truncated_pdf_with_an_end_marker_pasted_on_is_unreadable(signed):
    error = rejected(signed[: len(signed) // 2] + b"\n%%EOF\n")
    assert error.message.startswith("Le PDF est endommagé ou tronqué")
    assert error.details["reason"]


def test_an_oversized_file_gives_its_size_and_the_cap_in_mo():
    data = pdf_factory.blank_pdf() + b"%" + b" " * int(1.5 * MIB) + b"\n%%EOF\n"
    error = rejected(data, max_bytes=1 * MIB)
    assert error.message == "Le fichier fait 1,6 Mo, au-delà de la limite de 1 Mo."
    assert error.details == {"size": len(data), "max_bytes": MIB}


def test_a_file_just_over_the_cap_never_reads_as_the_cap():
    assert rejected(b"%PDF-" + b" " * (2 * MIB), max_bytes=2 * MIB).message.startswith("Le fichier fait 2,1 Mo,")
    assert rejected(b" " * 2049, max_bytes=2048).message == "Le fichier fait 3 Ko, au-delà de la limite de 2 Ko."


def test_a_pdf_that_needs_a_password_is_refused():
    message = rejected(pdf_factory.encrypted_pdf(user_password="secret")).message
    assert message.startswith("Le PDF est protégé par un mot de passe d'ouverture.")


def test_a_pdf_with_only_an_owner_password_opens_and_is_flagged():
    inspection = inspect_pdf(pdf_factory.encrypted_pdf(user_password=""), max_bytes=CAP)
    assert inspection.page_count == 1
    assert inspection.owner_password_only
    assert inspection.warnings == [labels.WARNINGS[labels.OWNER_PASSWORD]]


def test_a_pdf_without_pages_is_refused():
    assert rejected(pdf_factory.hand_written_pdf(pages=0)).message == "Le PDF ne contient aucune page."


def test_javascript_run_on_opening_is_accepted_and_flagged():
    inspection = inspect_pdf(pdf_factory.pdf_with_open_action_javascript(), max_bytes=CAP)
    assert inspection.has_javascript and inspection.has_auto_actions
    assert inspection.active_content == (labels.AUTO_ACTION, labels.JAVASCRIPT)
    assert "contient du JavaScript : à ne pas ouvrir dans un lecteur qui l'exécute" in inspection.warnings


def test_javascript_hidden_behind_a_name_escape_is_found():
    data = pdf_factory.hand_written_pdf("/OpenAction << /S /JavaScript /J#53 (app.alert(1)) >> ")
    assert inspect_pdf(data, max_bytes=CAP).has_javascript


def test_a_launch_action_on_a_page_event_is_flagged():
    data = pdf_factory.hand_written_pdf(page_extra="/AA << /O << /S /Launch /F (calc.exe) >> >> ")
    assert inspect_pdf(data, max_bytes=CAP).active_content == (labels.AUTO_ACTION, labels.LAUNCH)


def test_an_open_action_that_only_shows_the_first_page_is_not_flagged():
    plain_destination = pdf_factory.hand_written_pdf("/OpenAction [3 0 R /Fit] ")
    go_to = pdf_factory.hand_written_pdf("/OpenAction << /S /GoTo /D [3 0 R /Fit] >> ")
    assert inspect_pdf(plain_destination, max_bytes=CAP).active_content == ()
    assert inspect_pdf(go_to, max_bytes=CAP).active_content == ()


def test_attached_files_are_flagged():
    inspection = inspect_pdf(pdf_factory.pdf_with_attachment(), max_bytes=CAP)
    assert inspection.active_content == (labels.EMBEDDED_FILE,)
    assert not inspection.has_javascript


def test_a_structure_the_strict_rules_refuse_is_read_leniently_and_said(signed):
    from tests.signatures.test_verify import _misplaced_xref

    inspection = inspect_pdf(_misplaced_xref(pdf_factory.append_page(signed)), max_bytes=CAP)
    assert inspection.lenient and inspection.page_count == 2
    assert any("mode tolérant" in warning for warning in inspection.warnings)
    assert inspect_pdf(signed, max_bytes=CAP).lenient is False
