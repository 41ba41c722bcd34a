import hashlib
import io
import threading

import pytest
from docx import Document
from sqlalchemy import func, select

from registry.audit.models import AuditLog
from registry.conventions.models import Convention, ConventionDocument, ReferenceCounter
from registry.conventions.references import next_number
from registry.conventions.services import create_convention, generate_draft
from registry.conventions.terms import ConventionTerms, Signatory
from registry.core.errors import Conflict, DomainError
from registry.core.storage import document_store
from registry.extensions import db
from tests.conventions.conftest import EFFECTIVE

FIELDS = {"specialties": ["Cardiologie", "Gériatrie"], "administrative_court": "Dijon", "signing_place": "Dijon"}


def _create(hospital, partnerships=None, **overrides):
    """create_convention with this file's defaults; ``overrides`` names terms or the call's own arguments."""
    values = {"partnerships": partnerships, "template_code": "second_recours", "effective_date": EFFECTIVE,
              "duration_months": 36, "fields": dict(FIELDS)}
    values.update(overrides)
    terms = {key: values.pop(key) for key in list(values) if key in ConventionTerms.__dataclass_fields__}
    return create_convention(hospital, ConventionTerms(**terms), **values)


def _text(data: bytes) -> str:
    document = Document(io.BytesIO(data))
    parts = [p.text for p in document.paragraphs]
    parts += [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    parts += [p.text for section in document.sections for p in section.header.paragraphs]
    return "\n".join(parts)


def test_convention_gets_a_reference_per_hospital_and_year(shipped_templates, hospital_with_partners):
    hospital, chu, _ = hospital_with_partners
    first = _create(hospital, [chu])
    second = _create(hospital, [chu])
    assert first.reference == f"{hospital.finess_et}-2027-001"
    assert second.reference == f"{hospital.finess_et}-2027-002"
    assert first.status == "brouillon" and first.template_version.code == "second_recours"
    assert first.partner_types == ["second_recours"]  # from the template's manifest when not given
    assert first.notice_months == 3 and "notice_months" not in first.fields
    assert [p.organisation.name for p in first.parties] == ["CH D'IS-SUR-TILLE", "CHU DIJON BOURGOGNE"]
    assert db.session.scalar(select(func.count(AuditLog.id)).where(AuditLog.action == "convention.create")) == 2


@pytest.mark.parametrize("overrides, message", [
    ({"partnerships": []}, "au moins un partenaire"),
    ({"duration_months": 0}, "durée"),
    ({"effective_date": None}, "date d'effet"),
    ({"themes": ["chirurgie"]}, "thème inconnu"),
    ({"partner_types": ["clinique"]}, "type de partenaire inconnu"),
    ({"clauses": ["clause_inexistante"]}, "clause_inexistante"),
    ({"fields": {**FIELDS, "champ_inconnu": "x"}}, "champ_inconnu"),
    ({"fields": {"administrative_court": "Dijon", "signing_place": "Dijon"}}, "Spécialités"),
    ({"notice_months": 36}, "préavis"),
])
def test_bad_values_are_refused_and_consume_no_reference(shipped_templates, hospital_with_partners, overrides,
                                                         message):
    hospital, chu, _ = hospital_with_partners
    with pytest.raises(DomainError, match=message):
        _create(hospital, **{"partnerships": [chu], **overrides})
    db.session.rollback()
    assert db.session.scalar(select(func.count(Convention.id))) == 0
    assert _create(hospital, [chu]).number == 1


def test_unknown_template_is_refused(shipped_templates, hospital_with_partners):
    hospital, chu, _ = hospital_with_partners
    with pytest.raises(DomainError, match="Modèle de convention inconnu"):
        _create(hospital, [chu], template_code="nope")


def test_partner_of_another_hospital_is_refused(shipped_templates, hospital_with_partners, make_hospital,
                                                make_partnership):
    hospital, _, _ = hospital_with_partners
    other = make_partnership(make_hospital())
    with pytest.raises(DomainError, match="n'est pas partenaire de cet hôpital"):
        _create(hospital, [other])


def test_draft_is_stored_with_its_snapshot_and_hash(shipped_templates, hospital_with_partners):
    hospital, chu, ehpad = hospital_with_partners
    convention = _create(hospital, [chu, ehpad], signatories={
        hospital.organisation_id: Signatory("Marie Durand", "Directrice"),
        chu.partner_id: Signatory("Paul Martin", "Directeur général")})
    draft = generate_draft(convention)
    data = document_store().read(draft.sha256)
    assert hashlib.sha256(data).hexdigest() == draft.sha256 and draft.size == len(data)
    assert draft.version == 1 and draft.filename == f"{convention.reference} projet v1.docx"
    assert draft.context["reference"] == convention.reference
    assert draft.template_version_id == shipped_templates["second_recours"].id
    text = _text(data)
    for expected in ("CH d'Is-sur-Tille", "CHU Dijon Bourgogne", "EHPAD Le Champ de Mars", hospital.finess_et,
                     chu.partner.finess_et, "Marie Durand", "Directrice", "1er janvier 2027", convention.reference,
                     "Cardiologie"):
        assert expected in text, expected
    again = generate_draft(convention)
    assert again.version == 2
    assert db.session.scalar(select(func.count(ConventionDocument.id))) == 2


def test_a_draft_failing_while_it_renders_writes_nothing_and_the_next_one_is_its_own(shipped_templates,
                                                                                   hospital_with_partners,
                                                                                   monkeypatch):
    from registry.conventions import services

    hospital, chu, _ = hospital_with_partners
    convention = _create(hospital, [chu])
    first = generate_draft(convention)

    def fails(_convention):
        raise RuntimeError("database gone")
    monkeypatch.setattr(services, "next_draft_version", fails)  # read while the render runs in its child
    with pytest.raises(RuntimeError, match="database gone"):
        generate_draft(convention)
    monkeypatch.undo()
    convention.fields = {**convention.fields, "ght_name": "GHT Côte-d'Or Haute-Marne"}
    second = generate_draft(convention)  # its own render, not the one given up
    assert second.version == 2 and second.sha256 != first.sha256
    assert "GHT Côte-d'Or Haute-Marne" in _text(document_store().read(second.sha256))
    assert db.session.scalar(select(func.count(ConventionDocument.id))) == 2


def test_no_draft_once_frozen_or_without_template(shipped_templates, hospital_with_partners):
    hospital, chu, _ = hospital_with_partners
    convention = _create(hospital, [chu])
    convention.status = "a_signer"
    with pytest.raises(Conflict, match="figés"):
        generate_draft(convention)
    convention.status, convention.template_version = "brouillon", None
    with pytest.raises(Conflict, match="hors de l'application"):
        generate_draft(convention)


def test_concurrent_numbering_gives_distinct_numbers(app, make_hospital):
    hospital = make_hospital()
    db.session.commit()
    hospital_id = hospital.id  # read here: the threads must not load attributes through this test's session
    numbers, errors = [], []
    barrier = threading.Barrier(4)

    def worker():
        try:
            with app.app_context():
                barrier.wait()
                numbers.append(next_number(hospital_id, 2027))
                db.session.commit()
        except Exception as error:  # reported below
            errors.append(error)

    threads = [threading.Thread(target=worker) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert sorted(numbers) == [1, 2, 3, 4]
    db.session.expire_all()
    assert db.session.get(ReferenceCounter, (hospital_id, 2027)).last_number == 4


def test_conventions_are_read_through_the_hospital_scope(app, shipped_templates, hospital_with_partners, make_user,
                                                         client, login):
    from registry.core.scope import visible_conventions

    hospital, chu, _ = hospital_with_partners
    convention = _create(hospital, [chu])
    own = make_user("hospital", organisations=[hospital.organisation])
    other = make_user("ars", region="84")
    same_region = make_user("ars", region="27")
    assert [c.id for c in db.session.scalars(visible_conventions(own))] == [convention.id]
    assert list(db.session.scalars(visible_conventions(other))) == []
    assert [c.id for c in db.session.scalars(visible_conventions(same_region))] == [convention.id]


def test_default_title_from_many_long_partner_names_fits_its_column(shipped_templates, hospital_with_partners,
                                                                    make_organisation, make_partnership):
    hospital, chu, _ = hospital_with_partners
    partners = [make_partnership(hospital, make_organisation(name=("CENTRE HOSPITALIER " + "X" * 150)[:190],
                                                             category_code="355"), partner_types=["second_recours"])
                for _ in range(6)]
    convention = _create(hospital, partners)
    assert len(convention.title) == 300
    db.session.commit()


def test_shipped_sync_follows_manifest_edits_but_keeps_uploads(app, shipped_templates, tmp_path, make_user):
    import json
    import shutil

    from registry.documents.versions import current_version, register_upload, sync_shipped_templates

    folder = tmp_path / "templates"
    shutil.copytree(app.config["CONVENTION_TEMPLATES_DIR"], folder)
    app.config["CONVENTION_TEMPLATES_DIR"] = str(folder)
    assert sync_shipped_templates() == []  # unchanged release: nothing new
    manifest = json.loads((folder / "dac.json").read_text())
    (folder / "dac.json").write_text(json.dumps({**manifest, "name": "DAC (nouveau libellé)"}))
    added = sync_shipped_templates()
    assert [(v.code, v.version, v.name) for v in added] == [("dac", 2, "DAC (nouveau libellé)")]
    admin = make_user("admin")
    uploaded, created = register_upload((folder / "dac.docx").read_bytes(), {**manifest, "name": "DAC local"}, admin)
    assert created and uploaded.version == 3
    assert sync_shipped_templates() == []  # the administrator's upload stays current until the next release
    assert current_version("dac").name == "DAC local"
