"""Avenants drafted from the avenant template: the shipped template, prepare_avenant, their drafts and lifecycle."""

import json

import pytest
from sqlalchemy import func, select

from registry.audit.models import AuditLog
from registry.conventions import lifecycle
from registry.conventions.avenants import AmendedArticle, prepare_avenant
from registry.conventions.context import ARTICLES_KEY, AVENANT_TEMPLATE, convention_context
from registry.conventions.models import Convention
from registry.conventions.services import create_convention, generate_draft, rank_templates
from registry.conventions.terms import ConventionTerms, Signatory
from registry.conventions.transitions import transition
from registry.core.errors import DomainError
from registry.core.storage import document_store
from registry.documents.manifest import load_manifest, parse_manifest
from registry.documents.package import limits_for
from registry.documents.text import document_text
from registry.documents.validation import validate_template
from registry.documents.versions import check_upload, latest_versions
from registry.extensions import db
from tests.clock import TODAY
from tests.conventions.builders import drafted_convention
from tests.documents.data import TEMPLATES_DIR
from tests.web.convention_helpers import drafting  # noqa: F401  (fixture)

NEW_TEXT = ("Les consultations avancées de cardiologie ont lieu le mardi matin.\n"
            "Le centre hospitalier universitaire met à disposition un cardiologue.")
ARTICLES = [AmendedArticle("4", NEW_TEXT), AmendedArticle("7 bis", "Le comité de suivi se réunit deux fois par an.")]


@pytest.fixture
def signed(drafting):  # noqa: F811
    return drafted_convention(drafting.hospital, drafting.ehpad, actor=drafting.staff, status=lifecycle.SIGNEE)


def prepare(convention, **overrides) -> Convention:
    values = {"title": "l'ouverture de consultations avancées de cardiologie", "effective_date": TODAY,
              "articles": ARTICLES, "fields": {"signing_place": "Is-sur-Tille"}, "actor": None, **overrides}
    return prepare_avenant(convention, **values)


def count_conventions() -> int:
    return db.session.scalar(select(func.count(Convention.id)))


# --- The shipped template ----------------------------------------------------------------------------------------

def test_the_shipped_avenant_template_passes_the_upload_validation(app):
    manifest = json.loads((TEMPLATES_DIR / "avenant.json").read_text(encoding="utf-8"))
    data = (TEMPLATES_DIR / "avenant.docx").read_bytes()
    assert check_upload(data, manifest) == []
    assert validate_template(data, manifest, limits=limits_for(app.config)) == []
    parsed = load_manifest(TEMPLATES_DIR / "avenant.json")
    assert parsed.code == AVENANT_TEMPLATE and "signing_place" in parsed.field_names and not parsed.clauses
    assert [text.article for text in parsed.legal_texts] == ["1193 du code civil"]


def test_the_avenant_template_is_not_offered_for_a_convention(drafting):  # noqa: F811
    assert AVENANT_TEMPLATE not in [version.code for version, _ in rank_templates(latest_versions(), ["ehpad"])]
    with pytest.raises(DomainError, match="préparez l'avenant depuis la page"):
        create_convention(drafting.hospital, ConventionTerms(partnerships=[drafting.chu], effective_date=TODAY,
            duration_months=12),
            template_code=AVENANT_TEMPLATE, fields={"signing_place": "Dijon"})


# --- prepare_avenant -----------------------------------------------------------------------------------------------

def test_an_avenant_is_prepared_from_the_template_with_its_articles_and_signatories(drafting, signed):  # noqa: F811
    organisation = drafting.hospital.organisation_id
    avenant = prepare(signed, signatories={organisation: Signatory("Jeanne Petit", "Directrice par intérim")},
                      actor=drafting.staff)
    db.session.commit()
    assert avenant.reference == f"{signed.reference}-A1" and avenant.parent_id == signed.id
    assert avenant.status == lifecycle.BROUILLON and avenant.template_version.code == AVENANT_TEMPLATE
    assert avenant.fields[ARTICLES_KEY] == [{"number": "4", "text": NEW_TEXT},
                                            {"number": "7 bis", "text": ARTICLES[1].text}]
    assert avenant.duration_months is None and avenant.notice_months == 0 and not avenant.tacit_renewal
    hospital_party = next(p for p in avenant.parties if p.organisation_id == organisation)
    assert hospital_party.signatory == ("Jeanne Petit", "Directrice par intérim")
    assert len(avenant.parties) == len(signed.parties)
    assert db.session.scalars(select(AuditLog.action).where(
        AuditLog.object_type == "Convention", AuditLog.object_id == avenant.id)).all() == ["convention.avenant"]


def test_its_draft_names_the_parent_and_prints_the_new_articles(drafting, signed):  # noqa: F811
    avenant = prepare(signed, fields={"signing_place": "Is-sur-Tille", "additions": ["Une stipulation ajoutée."]})
    draft = generate_draft(avenant)
    db.session.commit()
    text = document_text(document_store().read(draft.sha256))
    assert draft.version == 1 and draft.filename == f"{avenant.reference} projet v1.docx"
    assert "AVENANT N° 1" in text and f"convention n° {signed.reference}" in text and signed.title in text
    assert f"Avenant n° {avenant.reference}" in text
    assert "L'article 4 de la convention est remplacé par les stipulations suivantes :" in text
    assert "« Les consultations avancées de cardiologie ont lieu le mardi matin." in text
    assert "met à disposition un cardiologue. »" in text
    assert "Modification de l'article 7 bis de la convention" in text
    assert "« Une stipulation ajoutée. »" in text
    assert "article 1193" in text and "Les autres stipulations de la convention demeurent inchangées." in text
    assert "reconduite tacitement" not in text and "préavis" not in text.lower()
    assert draft.context["parent"]["reference"] == signed.reference  # the snapshot keeps what was rendered


def test_without_effective_date_it_applies_from_its_signature(signed):
    text = document_text(document_store().read(generate_draft(prepare(signed, effective_date=None)).sha256))
    assert "prend effet à la date de sa signature par la dernière des parties" in text


def test_the_second_avenant_is_numbered_two(signed):
    prepare(signed)
    second = prepare(signed, title="la modification du comité de suivi")
    assert second.reference.endswith("-A2") and convention_context(second, generated_on=TODAY)["avenant"]["number"] == 2


@pytest.mark.parametrize("articles, fields, message", [
    ([], {"signing_place": "Dijon"}, "indiquez au moins un article modifié"),
    ([AmendedArticle("", "Texte")], {"signing_place": "Dijon"}, "indiquez le numéro de l'article"),
    ([AmendedArticle("4", "")], {"signing_place": "Dijon"}, "indiquez la nouvelle rédaction de l'article 4"),
    ([AmendedArticle("4", "a"), AmendedArticle("4", "b")], {"signing_place": "Dijon"}, "modifié deux fois"),
    ([AmendedArticle("4", "x" * 10_001)], {"signing_place": "Dijon"}, "dépasse 10 000 caractères"),
    (ARTICLES, {}, "Lieu de signature"),
])
def test_a_refused_avenant_says_why_in_french_and_creates_nothing(signed, articles, fields, message):
    before = count_conventions()
    with pytest.raises(DomainError, match=message) as refused:
        prepare(signed, articles=articles, fields=fields)
    db.session.rollback()
    assert refused.value.message.startswith("Avenant refusé")
    assert count_conventions() == before


def test_only_a_signed_main_convention_gets_an_avenant(drafting, signed):  # noqa: F811
    negotiated = drafted_convention(drafting.hospital, drafting.chu, status=lifecycle.EN_NEGOCIATION)
    with pytest.raises(DomainError, match="seule une convention signée"):
        prepare(negotiated)
    avenant = prepare(signed)
    with pytest.raises(DomainError, match="pas à un autre avenant"):
        prepare(avenant)


def test_it_is_negotiated_and_signed_through_the_same_lifecycle(signed):
    avenant = prepare(signed)
    assert [rule.target for rule in avenant.possible_transitions()] == [lifecycle.EN_NEGOCIATION]  # no shortcut
    transition(avenant, lifecycle.EN_NEGOCIATION)
    with pytest.raises(DomainError, match="produisez d'abord un projet"):
        transition(avenant, lifecycle.A_SIGNER)
    generate_draft(avenant)
    transition(avenant, lifecycle.A_SIGNER)
    assert avenant.status == lifecycle.A_SIGNER
    with pytest.raises(DomainError, match="figés"):
        generate_draft(avenant)


def test_the_context_of_a_convention_is_unchanged(signed):
    context = convention_context(signed, generated_on=TODAY)
    assert "avenant" not in context and "parent" not in context and context["convention"]["duration_months"] == 60
    assert parse_manifest(signed.template_version.manifest).code == "ehpad"


@pytest.mark.parametrize("articles, message", [
    ("l'article 4", "doit être une liste d'articles"),
    ([{"number": "4"}], "doit être une liste d'articles"),
    ([{"number": "4", "text": ""}], "indiquez la nouvelle rédaction de l'article 4"),
])
def test_an_edit_through_the_api_keeps_the_articles_well_formed(signed, articles, message):
    from registry.conventions.editing import edit_convention

    avenant = prepare(signed)
    db.session.commit()
    with pytest.raises(DomainError, match=message):
        edit_convention(avenant, {"fields": {ARTICLES_KEY: articles}})
    db.session.rollback()
    assert db.session.get(Convention, avenant.id).fields[ARTICLES_KEY][0]["number"] == "4"


def test_an_edit_changes_the_next_draft(signed):
    from registry.conventions.avenants import edit_avenant

    avenant = prepare(signed)
    changes = edit_avenant(avenant, title="la modification du comité de suivi", effective_date=None,
                           articles=[AmendedArticle("9", "Le comité se réunit chaque trimestre.")],
                           fields={"signing_place": "Dijon"})
    assert "title" in changes and "champ : articles modifiés" in changes
    text = document_text(document_store().read(generate_draft(avenant).sha256))
    assert "Le comité se réunit chaque trimestre." in text and "l'article 4 " not in text.lower()
