"""The stock import without HTTP: reading CSV and XLSX, refusing dangerous archives, every row problem, partners
added on the fly, duplicates, and creating a clean stock all or nothing."""

import codecs
import io
import zipfile
from datetime import date, datetime
from pathlib import Path

import pytest
from openpyxl import Workbook, load_workbook
from sqlalchemy import func, select

from registry.conventions import bulk_import, registering
from registry.conventions.bulk_import import (COLUMN_NAMES, ImportRefused, PdfArchive, check_stock, import_stock,
                                              model_csv, model_xlsx, read_spreadsheet)
from registry.conventions.models import Convention, ConventionEvent, ReferenceCounter
from registry.core.errors import DomainError
from registry.core.vocabulary import PARTNER_TYPES, THEMES
from registry.extensions import db
from registry.hospitals.models import Partnership
from tests.signatures.pdf_factory import docx_like_bytes, hand_written_pdf, make_identity, signed_pdf, zip_bytes

MAX_PDF = 25 * 1024 * 1024


def pdf(n: int = 0) -> bytes:
    """A small valid PDF, different for each ``n`` (the import refuses the same PDF twice)."""
    return hand_written_pdf(catalog_extra=f"/Lang (fr-{n}) ")


def values(partnership, **overrides) -> dict:
    """A valid row about ``partnership``'s partner."""
    row = {"titre": "Convention de partenariat", "finess_partenaires": partnership.partner.finess_et,
           "types_partenaires": "second_recours", "themes": "orientation,consultations_avancees",
           "date_effet": "01/01/2019", "duree_mois": "36", "reconduction_tacite": "oui", "preavis_mois": "3",
           "date_signature": "2018-12-15", "fichier_pdf": "chu.pdf", "signataire_hopital": "Marie Durand",
           "qualite_signataire_hopital": "Directrice", "signataires_partenaires": "Paul Martin",
           "qualites_signataires_partenaires": "Directeur général"}
    row.update(overrides)
    return row


def csv_bytes(rows: list[dict], columns=COLUMN_NAMES, encoding: str = "utf-8-sig") -> bytes:
    lines = [";".join(columns)] + [";".join(str(row.get(c, "")) for c in columns) for row in rows]
    return "\r\n".join(lines).encode(encoding)


def plan_of(hospital, rows: list[dict], files: dict[str, bytes], **options):
    archive = PdfArchive(zip_bytes(files), max_entry_bytes=options.pop("max_entry_bytes", MAX_PDF))
    return check_stock(hospital, read_spreadsheet(csv_bytes(rows)), archive, today=date(2026, 1, 1)), archive


def problems_of(hospital, row: dict, files: dict[str, bytes]) -> list[str]:
    plan, archive = plan_of(hospital, [row], files)
    archive.close()
    return plan.rows[0].problems


# --- Reading the spreadsheet ----------------------------------------------------------------------------------

def test_csv_with_bom_reads_every_column_and_ignores_unknown_ones(app):
    data = ("\ufeffTitre;FINESS partenaires;Types_Partenaires;Thèmes;Date effet;duree_mois;reconduction_tacite;"
            "preavis_mois;date_signature;fichier_pdf;Remarque\r\n"
            "Convention été;210001236;ehpad;retour_domicile;01/02/2019;12;non;2;2019-01-20;a.pdf;à revoir\r\n"
            ";;;;;;;;;;\r\n"
            "Seconde;210001236;ehpad;retour_domicile;2020-01-01;12;non;2;2019-12-01;b.pdf;\r\n").encode()
    sheet = read_spreadsheet(data)
    assert [line for line, _ in sheet.rows] == [2, 4]
    line, cells = sheet.rows[0]
    assert cells["titre"] == "Convention été" and cells["themes"] == "retour_domicile"
    assert cells["date_effet"] == "01/02/2019" and cells["fichier_pdf"] == "a.pdf"
    assert sheet.ignored_columns == ["Remarque"]


def test_csv_in_windows_or_utf16_encoding_is_read_and_other_separators_are_recognised(app):
    rows = [{"titre": "Convention élaborée à Dijon", "finess_partenaires": "210001236", "fichier_pdf": "é.pdf"}]
    for data in (csv_bytes(rows, encoding="cp1252"), csv_bytes(rows).replace(b";", b"\t"),
                 csv_bytes(rows, encoding="utf-16")):
        sheet = read_spreadsheet(data)
        assert sheet.rows[0][1]["titre"] == "Convention élaborée à Dijon"
        assert sheet.rows[0][1]["fichier_pdf"] == "é.pdf"


def test_xlsx_reads_typed_cells_and_restores_a_dropped_leading_zero(app):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(COLUMN_NAMES)
    sheet.append(["Convention", 10004562, "ehpad", "retour_domicile", datetime(2019, 1, 1), 36, "OUI", 3,
                  datetime(2018, 12, 15, 10, 30), "a.pdf"])
    sheet.append([])
    sheet.append(["Autre", "210001236", "ehpad", "retour_domicile", "01/01/2020", 12.0, False, 0,
                  "2019-12-01", "b.pdf"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    parsed = read_spreadsheet(buffer.getvalue())
    assert [line for line, _ in parsed.rows] == [2, 4]
    first = bulk_import.parse_row(*parsed.rows[0], today=date(2026, 1, 1))
    assert first.problems == []
    assert first.finess == ["010004562"]  # the number lost its leading zero as a figure in Excel
    assert (first.effective_date, first.signed_on, first.duration_months) == (date(2019, 1, 1), date(2018, 12, 15), 36)
    assert first.tacit_renewal is True
    second = bulk_import.parse_row(*parsed.rows[1], today=date(2026, 1, 1))
    assert (second.problems, second.duration_months, second.tacit_renewal, second.notice_months) == ([], 12, False, 0)


#: A DTD whose entities expand to a billion « lol » (« billion laughs »); Excel never writes a DTD.
LAUGHS = ('<!DOCTYPE lolz [<!ENTITY lol "lol">'
          + "".join(f'<!ENTITY lol{n} "{("&lol" + ("" if n == 1 else str(n - 1)) + ";") * 10}">' for n in range(1, 10))
          + "]>")


def _xlsx_edited(entry: str, old: str, new: str, doctype: str = "") -> bytes:
    """A workbook made by openpyxl, with ``old`` replaced by ``new`` in one of its XML parts, after ``doctype``."""
    workbook = Workbook()
    workbook.active.append(COLUMN_NAMES)
    workbook.active.append(["x"] * len(COLUMN_NAMES))
    buffer = io.BytesIO()
    workbook.save(buffer)
    source, output = zipfile.ZipFile(io.BytesIO(buffer.getvalue())), io.BytesIO()
    with zipfile.ZipFile(output, "w") as target:
        for info in source.infolist():
            data = source.read(info.filename)
            if info.filename == entry:
                text = data.decode("utf-8").split("?>", 1)[-1]
                assert old in text
                data = (doctype + text.replace(old, new, 1)).encode("utf-8")
            target.writestr(info, data)
    return output.getvalue()


@pytest.mark.parametrize("entry, old, new, message", [
    # the rows are parsed by defusedxml (openpyxl uses it when installed): the entity itself is named
    ("xl/worksheets/sheet1.xml", "<t>titre</t>", "<t>titre&lol9;</t>", "déclarations XML qu'Excel n'écrit pas"),
    # the workbook part by lxml, which stops the expansion
    ("xl/workbook.xml", 'name="Sheet"', 'name="Sheet&lol9;"', "ne peut pas être lu (XMLSyntaxError)"),
])
def test_a_workbook_with_xml_entities_is_refused(entry, old, new, message):
    with pytest.raises(ImportRefused) as refusal:
        read_spreadsheet(_xlsx_edited(entry, old, new, doctype=LAUGHS))
    assert message in refusal.value.message


def test_a_workbook_whose_rows_are_not_well_formed_xml_is_refused():
    """Read-only openpyxl parses a sheet while its rows are read: a damaged row fails there, not when opening."""
    data = _xlsx_edited("xl/worksheets/sheet1.xml", "</row><row", "</row><row><c><v>1</v></c><<<")
    with pytest.raises(ImportRefused) as refusal:
        read_spreadsheet(data)
    assert "Le classeur Excel ne peut pas être lu (ParseError)" in refusal.value.message


def test_the_model_files_hold_the_header_and_an_example_about_a_partner(app, hospital_with_partners):
    hospital, chu, _ = hospital_with_partners
    csv_model = model_csv(hospital)
    assert csv_model.startswith(codecs.BOM_UTF8)
    header, example = csv_model.decode("utf-8-sig").splitlines()
    assert header.split(";") == list(COLUMN_NAMES)
    assert chu.partner.finess_et in example and "CHU DIJON BOURGOGNE" in example
    for data in (csv_model, model_xlsx(hospital)):
        sheet = read_spreadsheet(data)
        assert len(sheet.rows) == 1 and sheet.ignored_columns == []
        assert sheet.rows[0][1]["finess_partenaires"] == chu.partner.finess_et
    workbook = load_workbook(io.BytesIO(model_xlsx(hospital)))
    assert workbook.sheetnames == ["Conventions", "Colonnes", "Codes"]
    assert [cell.value for cell in workbook["Colonnes"]["A"]][1:] == list(COLUMN_NAMES)


def test_the_model_example_tells_one_consistent_convention(app, hospital_with_partners):
    hospital, chu, _ = hospital_with_partners
    (_, example), = read_spreadsheet(model_csv(hospital)).rows
    # the hospital's first partner is a second-recours establishment: its kinds, themes and file say so
    assert (example["types_partenaires"], example["themes"], example["fichier_pdf"]) == (
        "second_recours", "orientation,consultations_avancees", "convention-second-recours-2019.pdf")
    chu.themes = ["telemedecine", "orientation"]  # themes the hospital declared for that partner come first
    (_, example), = read_spreadsheet(model_csv(hospital)).rows
    assert example["themes"] == "telemedecine,orientation"
    hospital.partnerships.clear()  # no partner yet: an EHPAD convention, told consistently too
    (_, example), = read_spreadsheet(model_csv(hospital)).rows
    assert (example["titre"], example["types_partenaires"], example["themes"], example["fichier_pdf"]) == (
        "Convention de partenariat avec l'EHPAD", "ehpad", "coordination,retour_domicile", "convention-ehpad-2019.pdf")
    assert not example.get("fondements")


def test_the_model_workbook_offers_drop_down_lists_for_kinds_themes_and_yes_no(app, hospital_with_partners):
    hospital, _, _ = hospital_with_partners
    workbook = load_workbook(io.BytesIO(model_xlsx(hospital)))
    codes = workbook["Codes"]
    labels = {}
    for column, code, label in codes.iter_rows(min_row=2, values_only=True):
        labels.setdefault(column, []).append(label)
    validations = {}
    for validation in workbook["Conventions"].data_validations.dataValidation:
        validations[str(validation.sqref)] = validation
    header = [cell.value for cell in workbook["Conventions"][1]]

    def validation_of(column):
        letter = chr(ord("A") + header.index(column))
        return validations[f"{letter}2:{letter}{bulk_import.limits.MAX_ROWS + 1}"]

    for column, vocabulary in (("types_partenaires", PARTNER_TYPES), ("themes", THEMES)):
        validation = validation_of(column)
        first, last = validation.formula1.replace("$", "").split("!")[1].split(":")
        listed = [codes[cell].value for cell in (f"C{n}" for n in range(int(first[1:]), int(last[1:]) + 1))]
        assert validation.formula1.startswith("Codes!") and listed == labels[column] == list(vocabulary.values())
        assert validation.type == "list" and not validation.showErrorMessage  # several values may be typed
    yes_no = validation_of("reconduction_tacite")
    assert (yes_no.type, yes_no.formula1, yes_no.showErrorMessage) == ("list", '"oui,non"', True)


@pytest.mark.parametrize("data, message", [
    (b"", "vide"),
    (b"titre;date_effet\r\nA;01/01/2020\r\n", "Colonnes obligatoires absentes de la première ligne : "
                                               "finess_partenaires, types_partenaires"),
    (";".join(COLUMN_NAMES).encode() + b"\r\n", "aucune ligne de données"),
    (b"%PDF-1.4\n%%EOF\n", "ressemble à un PDF"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100, "ancien document Office"),
    (docx_like_bytes(), "document Word"),
    (zip_bytes({"mimetype": b"application/vnd.oasis.opendocument.spreadsheet"}), "document OpenDocument"),
    (zip_bytes({"xl/workbook.xml": b"not xml at all"}), "ne peut pas être lu"),
    (";".join([*COLUMN_NAMES, "titre"]).encode() + b"\r\n", "« titre » apparaît deux fois"),
])
def test_unusable_spreadsheets_are_refused_whole(app, data, message):
    with pytest.raises(ImportRefused, match=message):
        read_spreadsheet(data)


def test_too_many_rows_are_refused(app, monkeypatch, hospital_with_partners):
    monkeypatch.setattr(bulk_import.limits, "MAX_ROWS", 2)
    _, chu, _ = hospital_with_partners
    with pytest.raises(ImportRefused, match="plus de 2 conventions"):
        read_spreadsheet(csv_bytes([values(chu)] * 3))


# --- Row problems ---------------------------------------------------------------------------------------------

@pytest.mark.parametrize("overrides, expected", [
    ({"finess_partenaires": "210987657"}, "FINESS « 210987657 » inconnu du registre"),
    ({"finess_partenaires": "12345"}, "doit compter 9 caractères"),
    ({"finess_partenaires": ""}, "« finess_partenaires » est vide"),
    ({"date_effet": "31/02/2019"}, "« date_effet » : « 31/02/2019 » n'est pas une date valide"),
    ({"date_effet": ""}, "« date_effet » est vide"),
    ({"date_signature": "2026-03-01"}, "« date_signature » est dans le futur"),
    ({"types_partenaires": "clinique"}, "type de partenariat inconnu « clinique »"),
    ({"types_partenaires": ""}, "« types_partenaires » est vide"),
    ({"themes": "orientation,cantine"}, "thème inconnu « cantine »"),
    ({"duree_mois": "trois"}, "« duree_mois » : « trois » n'est pas un nombre entier de mois"),
    ({"duree_mois": "0"}, "hors des bornes (1 à 240)"),
    ({"preavis_mois": "25"}, "hors des bornes (0 à 24)"),
    ({"reconduction_tacite": "peut-être"}, "n'est ni oui ni non"),
    ({"fichier_pdf": ""}, "« fichier_pdf » est vide"),
    ({"fichier_pdf": "absent.pdf"}, "le fichier « absent.pdf » est absent de l'archive ZIP"),
    ({"fichier_pdf": "notes.docx"}, "« notes.docx » : Le fichier n'est pas un PDF"),
    ({"fichier_pdf": "vide.pdf"}, "Le fichier est vide"),
    ({"signataires_partenaires": "Paul Martin|Anne Roy"}, "2 valeur(s) pour 1 partenaire(s)"),
    ({"titre": "x" * 301}, "« titre » dépasse 300 caractères"),
    ({"fondements": "L6111-3-2, L9999-9"}, "« fondements » : fondement juridique inconnu « L9999-9 »"),
    ({"date_transmission_ars": "2018-12-01"}, "« date_transmission_ars » ne peut être ni dans le futur ni avant"),
    ({"date_transmission_ars": "demain"}, "« date_transmission_ars » : « demain » n'est pas une date valide"),
])
def test_each_row_problem_is_named_with_its_column(app, hospital_with_partners, overrides, expected):
    hospital, chu, _ = hospital_with_partners
    files = {"chu.pdf": pdf(), "notes.docx": docx_like_bytes(), "vide.pdf": b""}
    problems = problems_of(hospital, values(chu, **overrides), files)
    assert any(expected in problem for problem in problems), problems


@pytest.mark.parametrize("kinds, themes", [
    ("Établissement de second recours", "Orientation des patients, consultations avancées"),
    ("ETABLISSEMENT DE SECOND RECOURS", "orientation des patients, Consultations Avancees"),
    ("second recours", "Orientation des patients,consultations_avancees"),
])
def test_french_labels_are_read_as_their_codes(app, hospital_with_partners, kinds, themes):
    hospital, chu, _ = hospital_with_partners
    by_codes, archive = plan_of(hospital, [values(chu)], {"chu.pdf": pdf()})
    archive.close()
    by_labels, archive = plan_of(hospital, [values(chu, types_partenaires=kinds, themes=themes)], {"chu.pdf": pdf()})
    archive.close()
    assert by_labels.ready and by_labels.rows[0].problems == []
    assert (by_labels.rows[0].partner_types, by_labels.rows[0].themes) == (
        by_codes.rows[0].partner_types, by_codes.rows[0].themes) == (["second_recours"],
                                                                     ["orientation", "consultations_avancees"])


def test_a_label_holding_a_comma_and_acronyms_are_read(app, hospital_with_partners):
    hospital, chu, _ = hospital_with_partners
    row = values(chu, types_partenaires="EHPAD, Hospitalisation à domicile (HAD), SMR",
                 themes="Télémédecine (téléconsultation, téléexpertise), Partage d’information, pdsa")
    plan, archive = plan_of(hospital, [row], {"chu.pdf": pdf()})
    archive.close()
    assert plan.rows[0].partner_types == ["ehpad", "had", "ssr"]
    assert plan.rows[0].themes == ["telemedecine", "information_partagee", "pdsa"]


def test_an_unknown_label_lists_the_accepted_values(app, hospital_with_partners):
    hospital, chu, _ = hospital_with_partners
    problems = problems_of(hospital, values(chu, themes="Orientation des patients, Cantine scolaire"),
                           {"chu.pdf": pdf()})
    assert problems == ["« themes » : thème inconnu « Cantine scolaire » (codes admis : " + ", ".join(THEMES)
                        + ", ou leurs libellés de la feuille « Codes » du modèle)"]


def test_a_clean_row_has_no_problem_and_reads_its_signature(app, hospital_with_partners):
    hospital, chu, _ = hospital_with_partners
    plan, archive = plan_of(hospital, [values(chu)], {"chu.pdf": signed_pdf(make_identity())})
    archive.close()
    row = plan.rows[0]
    assert plan.ready and row.problems == []
    assert row.partners[0].partnership.id == chu.id and plan.new_partners == []
    assert row.signature_label == "intègre, certificat non vérifié"
    assert (row.effective_date, row.signed_on, row.tacit_renewal) == (date(2019, 1, 1), date(2018, 12, 15), True)


def test_a_legal_entity_number_or_the_hospital_itself_is_not_a_partner(app, hospital_with_partners):
    hospital, chu, _ = hospital_with_partners
    files = {"chu.pdf": pdf()}
    assert any("FINESS juridique (EJ) de CHU DIJON BOURGOGNE" in p for p in problems_of(
        hospital, values(chu, finess_partenaires=chu.partner.finess_ej), files))
    assert any("est l'hôpital lui-même" in p for p in problems_of(
        hospital, values(chu, finess_partenaires=hospital.finess_et), files))


def test_registry_establishments_not_yet_partners_are_added_on_the_fly(app, hospital_with_partners,
                                                                       make_organisation):
    hospital, chu, _ = hospital_with_partners
    ssr = make_organisation(name="SMR DE BEAUNE", category_code="109", category_label="SSR")
    rows = [values(chu, finess_partenaires=f"{chu.partner.finess_et},{ssr.finess_et}",
                   types_partenaires="second_recours,ssr,ehpad", signataires_partenaires="Paul Martin|Anne Roy",
                   qualites_signataires_partenaires="Directeur général|Directrice"),
            values(chu, titre="Autre", finess_partenaires=ssr.finess_et, types_partenaires="ssr",
                   themes="retour_domicile", fichier_pdf="ssr.pdf", signataires_partenaires="")]
    plan, archive = plan_of(hospital, rows, {"chu.pdf": pdf(1), "ssr.pdf": pdf(2)})
    assert plan.ready, [row.problems for row in plan.rows]
    [new] = plan.new_partners
    assert new.organisation.id == ssr.id and new.lines == [2, 3]
    assert "ssr" in new.partner_types and "ehpad" not in new.partner_types  # only what it can be
    assert set(new.themes) == {"orientation", "consultations_avancees", "retour_domicile"}
    with archive:
        created = import_stock(hospital, plan, archive)
    db.session.commit()
    partnership = db.session.scalar(select(Partnership).where(Partnership.partner_id == ssr.id))
    assert partnership.hospital_id == hospital.id and partnership.notes == bulk_import.ADDED_PARTNER_NOTE
    signatories = {p.organisation.name: p.signatory_name for p in created[0].parties}
    assert signatories == {"CH D'IS-SUR-TILLE": "Marie Durand", "CHU DIJON BOURGOGNE": "Paul Martin",
                           "SMR DE BEAUNE": "Anne Roy"}


def test_duplicates_in_the_file_are_refused(app, hospital_with_partners):
    hospital, chu, ehpad = hospital_with_partners
    same_pdf = pdf(7)
    rows = [values(chu), values(chu, fichier_pdf="copie.pdf"),
            values(ehpad, titre="EHPAD", types_partenaires="ehpad", fichier_pdf="chu.pdf"),
            values(ehpad, titre="EHPAD 2", types_partenaires="ehpad", fichier_pdf="ehpad.pdf"),
            values(ehpad, titre="EHPAD 3", types_partenaires="ehpad", fichier_pdf="ehpad-bis.pdf")]
    plan, archive = plan_of(hospital, rows, {"chu.pdf": pdf(1), "copie.pdf": pdf(2), "ehpad.pdf": same_pdf,
                                             "ehpad-bis.pdf": same_pdf})
    archive.close()
    problems = {row.line: row.problems for row in plan.rows}
    assert problems[2] == []
    assert problems[3] == ["en double : mêmes partenaires, date d'effet et intitulé qu'à la ligne 2"]
    assert problems[4] == ["le fichier « chu.pdf » est déjà celui de la ligne 2"]
    assert problems[5] == []
    assert problems[6] == ["ce PDF a le même contenu que celui de la ligne 5"]
    assert not plan.ready and len(plan.rows_with_problems) == 3


def test_a_stock_imported_twice_is_refused_the_second_time(app, hospital_with_partners):
    hospital, chu, _ = hospital_with_partners
    files = {"chu.pdf": pdf()}
    plan, archive = plan_of(hospital, [values(chu)], files)
    with archive:
        import_stock(hospital, plan, archive)
    db.session.commit()
    problems = problems_of(hospital, values(chu), files)
    assert problems[0].startswith("déjà enregistrée : la convention ")
    assert problems[1].startswith("ce PDF est déjà la copie signée de la convention ")


# --- The archive ----------------------------------------------------------------------------------------------

@pytest.mark.parametrize("name, reason", [
    ("../../etc/cron.d/evil.pdf", "remonte hors du dossier"),
    ("stock/../../evil.pdf", "remonte hors du dossier"),
    ("/etc/passwd", "est un chemin absolu"),
    ("C:\\Windows\\evil.pdf", "est un chemin absolu"),
    ("\\\\serveur\\partage\\evil.pdf", "est un chemin absolu"),
])
def test_zip_slip_entries_refuse_the_whole_archive(app, name, reason):
    with pytest.raises(ImportRefused, match=f"L'archive ZIP est refusée : le fichier « .* » {reason}"):
        PdfArchive(zip_bytes({"ok.pdf": pdf(), name: pdf(1)}), max_entry_bytes=MAX_PDF)


def test_too_many_entries_are_refused_before_the_directory_is_read(app, monkeypatch):
    monkeypatch.setattr(bulk_import.limits, "MAX_ENTRIES", 3)
    with pytest.raises(ImportRefused, match="plus de 3 fichiers"):
        PdfArchive(zip_bytes({f"{n}.pdf": pdf(n) for n in range(4)}), max_entry_bytes=MAX_PDF)


def test_a_decompression_bomb_is_refused_without_inflating_it(app):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("bombe.pdf", b"\0" * (20 * 1024 * 1024))
    assert len(buffer.getvalue()) < 100 * 1024
    with pytest.raises(ImportRefused, match="« bombe.pdf » se décompresserait de"):
        PdfArchive(buffer.getvalue(), max_entry_bytes=MAX_PDF)


@pytest.mark.parametrize("data, message", [
    (pdf(), "n'est pas une archive ZIP \\(il ressemble à un PDF\\)"),
    (b"", "n'est pas une archive ZIP"),
    (zip_bytes({"__MACOSX/._a.pdf": b"x", "dossier/.DS_Store": b"x"}), "elle ne contient aucun fichier"),
])
def test_unusable_archives_are_refused(app, data, message):
    with pytest.raises(ImportRefused, match=message):
        PdfArchive(data, max_entry_bytes=MAX_PDF)


def test_files_are_found_in_folders_by_name_and_ambiguity_is_reported(app):
    archive = PdfArchive(zip_bytes({"stock/2019/EHPAD.pdf": pdf(1), "stock/a/double.pdf": pdf(2),
                                    "stock/b/double.pdf": pdf(3), "__MACOSX/stock/._EHPAD.pdf": b"x"}),
                         max_entry_bytes=MAX_PDF)
    with archive:
        assert archive.find("ehpad.pdf")[0].name == "stock/2019/EHPAD.pdf"
        assert archive.find("EHPAD")[0].name == "stock/2019/EHPAD.pdf"  # the extension may be left out
        assert archive.find("stock/a/double.pdf")[0].name == "stock/a/double.pdf"
        entry, problem = archive.find("double.pdf")
        assert entry is None and "plusieurs fichiers « double.pdf » dans l'archive" in problem


def test_an_entry_over_the_size_cap_is_a_row_problem(app):
    with PdfArchive(zip_bytes({"gros.pdf": pdf()}), max_entry_bytes=100) as archive:
        data, problem = archive.read(archive.find("gros.pdf")[0])
    assert data is None and "la taille maximale d'une copie signée" in problem


def test_names_written_by_windows_without_the_utf8_flag_are_read_as_cp850(app):
    data = zip_bytes({"Convention X.pdf": pdf()}).replace(b"Convention X.pdf", "Convention é.pdf".encode("cp850"))
    with PdfArchive(data, max_entry_bytes=MAX_PDF) as archive:
        assert [entry.name for entry in archive.entries] == ["Convention é.pdf"]
        assert archive.read(archive.find("Convention é.pdf")[0])[0] == pdf()


# --- Creating the stock ---------------------------------------------------------------------------------------

def test_a_clean_stock_is_created_signed_with_references_in_date_order(app, hospital_with_partners):
    hospital, chu, ehpad = hospital_with_partners
    rows = [values(chu, titre="Plus récente", date_effet="2019-06-01", fichier_pdf="b.pdf"),
            values(ehpad, titre="Plus ancienne", types_partenaires="ehpad", date_effet="2019-01-01",
                   fichier_pdf="a.pdf", reconduction_tacite="non")]
    plan, archive = plan_of(hospital, rows, {"a.pdf": pdf(1), "b.pdf": pdf(2)})
    with archive:
        created = import_stock(hospital, plan, archive)
    db.session.commit()
    assert [c.title for c in created] == ["Plus ancienne", "Plus récente"]
    assert [c.reference for c in created] == [f"{hospital.finess_et}-2019-001", f"{hospital.finess_et}-2019-002"]
    for convention in created:
        assert convention.status == "signee" and convention.signed_on == date(2018, 12, 15)
        assert convention.template_version_id is None and len(convention.signed_copies) == 1
        assert [(e.from_status, e.to_status) for e in convention.events] == [("brouillon", "signee")]
    assert created[0].tacit_renewal is False and created[1].tacit_renewal is True


def test_a_stock_row_carries_its_legal_bases_and_its_transmission_to_the_ars(app, hospital_with_partners):
    hospital, chu, _ = hospital_with_partners
    row = values(chu, fondements="l6111-3-3", date_transmission_ars="10/01/2019")
    plan, archive = plan_of(hospital, [row], {"chu.pdf": pdf()})
    with archive:
        (created,) = import_stock(hospital, plan, archive)
    db.session.commit()
    assert (created.legal_bases, created.transmitted_to_ars_on) == (["L6111-3-3"], date(2019, 1, 10))


def test_a_failure_on_any_row_leaves_nothing_once_rolled_back(app, hospital_with_partners, make_organisation,
                                                              monkeypatch):
    hospital, chu, ehpad = hospital_with_partners
    newcomer = make_organisation(name="EHPAD NOUVEAU", category_code="500")
    db.session.commit()
    rows = [values(chu, fichier_pdf="a.pdf"),
            values(ehpad, finess_partenaires=newcomer.finess_et, types_partenaires="ehpad", fichier_pdf="b.pdf")]
    plan, archive = plan_of(hospital, rows, {"a.pdf": pdf(1), "b.pdf": pdf(2)})
    real_transition, calls = registering.transition, []

    def failing_second(convention, *args, **kwargs):
        calls.append(convention.reference)
        if len(calls) == 2:
            raise DomainError("refus simulé")
        return real_transition(convention, *args, **kwargs)
    monkeypatch.setattr(registering, "transition", failing_second)
    with archive, pytest.raises(DomainError, match="Ligne 3 : refus simulé"):
        import_stock(hospital, plan, archive)
    db.session.rollback()
    assert len(calls) == 2
    assert db.session.scalar(select(func.count(Convention.id))) == 0
    assert db.session.scalar(select(func.count(ConventionEvent.id))) == 0
    assert db.session.scalar(select(func.count(Partnership.id))) == 2  # the newcomer was not kept
    assert db.session.scalar(select(func.coalesce(func.sum(ReferenceCounter.last_number), 0))) == 0


def test_a_plan_with_problems_is_never_imported(app, hospital_with_partners):
    hospital, chu, _ = hospital_with_partners
    plan, archive = plan_of(hospital, [values(chu), values(chu, titre="B", fichier_pdf="absent.pdf")],
                            {"chu.pdf": pdf()})
    with archive, pytest.raises(DomainError, match="1 ligne\\(s\\) à corriger"):
        import_stock(hospital, plan, archive)
    assert db.session.scalar(select(func.count(Convention.id))) == 0


def test_the_documentation_names_every_column_and_code():
    documentation = (Path(__file__).resolve().parents[2] / "docs" / "registering-conventions.md").read_text()
    for name in (*COLUMN_NAMES, *PARTNER_TYPES, *THEMES):
        assert f"`{name}`" in documentation, name


def test_an_oversized_spreadsheet_is_refused(app, monkeypatch):
    monkeypatch.setattr(bulk_import.limits, "SPREADSHEET_MAX_BYTES", 100)
    with pytest.raises(ImportRefused, match="Le tableur dépasse la limite"):
        read_spreadsheet(";".join(COLUMN_NAMES).encode() * 2)
