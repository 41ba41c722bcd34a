"""`import-finess` on etalab extracts, through the command line: counts, values, rejects, repairs, idempotence."""

from sqlalchemy import select

from registry.audit.models import AuditLog
from registry.extensions import db
from tests.finess.helpers import (
    ETALAB_SAMPLE, FLEYRIAT_GEOLOCATION, FLEYRIAT_LATITUDE, FLEYRIAT_LONGITUDE, excel_resaved, organisation,
    organisation_count, sample_lines, with_field, write_lines,
)


def _import(runner, path, *options):
    return runner.invoke(args=["import-finess", str(path), *options])


def test_the_real_sample_is_imported(runner):
    result = _import(runner, ETALAB_SAMPLE)
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines() == ["created 14, updated 0, unchanged 0, rejected 0"]
    fleyriat = organisation("010000024")
    assert (fleyriat.name, fleyriat.commune_code, fleyriat.region) == ("CH DE FLEYRIAT", "01451", "84")
    assert fleyriat.siret == "26010004500012" and fleyriat.source == "finess"
    assert fleyriat.created_at is not None and fleyriat.updated_at is not None
    assert fleyriat.latitude is None
    cayenne = organisation("970300026")
    assert (cayenne.departement, cayenne.region, cayenne.commune_code, cayenne.city) == ("9C", "03", "97302", "CAYENNE")
    assert organisation_count() == 14


def test_a_second_run_changes_nothing(runner):
    _import(runner, ETALAB_SAMPLE)
    before = organisation("010000024").updated_at
    result = _import(runner, ETALAB_SAMPLE)
    assert result.stdout.splitlines() == ["created 0, updated 0, unchanged 14, rejected 0"]
    assert organisation("010000024").updated_at == before


def test_a_changed_row_is_updated_and_user_columns_are_kept(runner, tmp_path):
    _import(runner, ETALAB_SAMPLE)
    fleyriat = organisation("010000024")
    fleyriat.notes = "Note de l'ARS"
    db.session.commit()
    lines = sample_lines()
    lines[1] = with_field(lines[1], 3, "CH FLEYRIAT")
    result = _import(runner, write_lines(tmp_path / "changed.csv", lines))
    assert result.stdout.splitlines() == ["created 0, updated 1, unchanged 13, rejected 0"]
    db.session.expire_all()
    fleyriat = organisation("010000024")
    assert (fleyriat.name, fleyriat.notes) == ("CH FLEYRIAT", "Note de l'ARS")


def test_broken_rows_are_reported_by_line_and_the_others_imported(runner, tmp_path):
    lines = sample_lines()
    fleyriat = lines[1]
    lines[2] = ";".join(lines[2].split(";")[:20])                     # truncated
    lines[3] = with_field(lines[3], 1, "970100401")                   # wrong check key
    lines[4] = with_field(lines[4], 18, "22")                         # unknown category
    lines[5] = with_field(lines[5], 3, "")                            # no name
    lines.append(with_field(fleyriat, 3, "CH DE FLEYRIAT BIS"))       # duplicate of line 2
    lines.append("structureej;010780054;CH;")                        # another record type
    result = _import(runner, write_lines(tmp_path / "broken.csv", lines))
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines() == [
        "created 10, updated 0, unchanged 0, rejected 6",
        "ligne 3 : ligne tronquée : 20 champs au lieu de 32",
        "ligne 4 : FINESS ET : la clé de contrôle du numéro FINESS « 970100401 » est fausse",
        "ligne 5 : catégorie « 22 » inconnue (3 chiffres attendus)",
        "ligne 6 : raison sociale manquante",
        "ligne 16 : FINESS ET 010000024 en double, déjà lu ligne 2",
        "ligne 17 : type de ligne « structureej » inconnu (attendu : structureet ou geolocalisation)",
    ]
    assert organisation("010000024").name == "CH DE FLEYRIAT"
    assert organisation_count() == 10


def test_an_excel_resaved_extract_is_repaired(runner, tmp_path):
    lines = ["finess;etalab;93;07/01/2026" + ";" * 31] + [excel_resaved(line) for line in sample_lines()[1:]]
    result = _import(runner, write_lines(tmp_path / "finess_light.csv", lines, encoding="cp1252"))
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines() == ["created 14, updated 0, unchanged 0, rejected 0"]
    assert "avertissement, ligne 2 : SIRET « 2,601E+13 » en notation scientifique (chiffres perdus par un " \
           "tableur), valeur ignorée" in result.stderr.splitlines()
    fleyriat = organisation("010000024")
    assert (fleyriat.finess_ej, fleyriat.departement, fleyriat.commune_code) == ("010780054", "01", "01451")
    assert (fleyriat.phone, fleyriat.siret, fleyriat.opened_on.isoformat()) == ("0474454647", None, "1979-02-13")
    assert organisation("970210126").category_label == "Centre Médico-Psycho-Pédagogique (C.M.P.P.)"


def test_the_clean_file_after_the_excel_one_restores_the_siret(runner, tmp_path):
    lines = [sample_lines()[0], excel_resaved(sample_lines()[1])]
    _import(runner, write_lines(tmp_path / "excel.csv", lines))
    result = _import(runner, ETALAB_SAMPLE)
    assert result.stdout.splitlines()[0] == "created 13, updated 1, unchanged 0, rejected 0"
    assert organisation("010000024").siret == "26010004500012"


def test_geolocation_lines_give_coordinates_and_count_on_the_next_run(runner, tmp_path):
    _import(runner, ETALAB_SAMPLE)
    lines = sample_lines() + [FLEYRIAT_GEOLOCATION,
                              "geolocalisation;970300026;353000.1;543000.2;1,ATLASANTE,100,IGN,UTM_N22;2021-01-08;"]
    path = write_lines(tmp_path / "cs1100507.csv.gz", lines, compress=True)
    result = _import(runner, path)
    assert result.stdout.splitlines() == ["created 0, updated 1, unchanged 13, rejected 0"]
    assert result.stderr.splitlines() == ["1 coordonnée(s) dans une projection autre que Lambert 93, ignorée(s)"]
    fleyriat = organisation("010000024")
    assert round(fleyriat.latitude, 5) == FLEYRIAT_LATITUDE and round(fleyriat.longitude, 5) == FLEYRIAT_LONGITUDE
    assert _import(runner, path).stdout.splitlines()[0] == "created 0, updated 0, unchanged 14, rejected 0"
    assert _import(runner, ETALAB_SAMPLE).stdout.splitlines()[0] == "created 0, updated 0, unchanged 14, rejected 0"
    assert organisation("010000024").latitude is not None  # a file without coordinates keeps them


def test_a_latin1_geolocation_line_with_a_damaged_finess_is_left_aside(runner, tmp_path):
    """Its FINESS is no number of the file (nor UTF-8): no coordinates for it, and the others imported."""
    damaged = FLEYRIAT_GEOLOCATION.replace("010000024", "01000002é")
    path = write_lines(tmp_path / "latin1.csv", [*sample_lines(), damaged], encoding="cp1252")
    result = _import(runner, path)
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines() == ["created 14, updated 0, unchanged 0, rejected 0"]
    assert organisation("010000024").latitude is None


def test_departement_filter_skips_the_others_silently(runner, tmp_path):
    lines = sample_lines()
    lines[3] = with_field(lines[3], 1, "970100401")  # a broken row outside the filter is not reported
    result = _import(runner, write_lines(tmp_path / "extract.csv", lines), "--departement", "1",
                     "--departement", "9d")
    assert result.stdout.splitlines() == ["created 4, updated 0, unchanged 0, rejected 0"]
    assert result.stderr.splitlines() == ["10 établissement(s) hors des départements demandés, ignoré(s)"]
    assert organisation("010000024") is not None and organisation("970300026") is None


def test_an_unknown_departement_is_refused_before_reading(runner):
    result = _import(runner, ETALAB_SAMPLE, "--departement", "20")
    assert result.exit_code != 0
    assert "département inconnu : « 20 »" in result.output
    assert organisation_count() == 0


def test_one_audit_entry_per_import(runner):
    _import(runner, ETALAB_SAMPLE)
    entries = list(db.session.scalars(select(AuditLog)))
    assert [(entry.action, entry.actor_label) for entry in entries] == [("finess.import", "système")]
    assert entries[0].summary == ("Import FINESS « etalab-cs1100502-20260512-sample-lines.csv » : 14 créé(s), "
                                  "0 mis à jour, 0 inchangé(s), 0 rejeté(s)")
