"""A partner outside FINESS in a draft: its head office, SIRET/RNA and legal representative in the parties block."""

import io
import re

from docx import Document

from registry.conventions.services import create_convention, generate_draft, last_signatories
from registry.conventions.terms import ConventionTerms, Signatory
from registry.core.storage import document_store
from registry.extensions import db
from registry.organisations.services import create_external_partner
from tests.conventions.conftest import EFFECTIVE

FIELDS = {"specialties": ["Gériatrie"], "administrative_court": "Dijon", "signing_place": "Dijon"}


def _cpts(make_partnership, hospital, **overrides):
    values = {"name": "CPTS du Haut Auxois", "siret": "81234567800013", "rna": "W212001234",
              "commune": "Is-sur-Tille", "address": "3 rue de la Gare", "representative_name": "Mme Claire Martin",
              "representative_title": "présidente", **overrides}
    partner = create_external_partner(partner_types=["cpts"], **values)
    partnership = make_partnership(hospital, partner, partner_types=["cpts"])
    db.session.commit()
    return partnership


def _draft_text(convention) -> str:
    data = document_store().read(generate_draft(convention).sha256)
    return " ".join(" ".join(p.text for p in Document(io.BytesIO(data)).paragraphs).split())


def _partner_block(text: str) -> str:
    return re.search(r"CPTS du Haut Auxois.*?\),", text).group(0)


def test_draft_names_the_head_office_identifiers_and_representative(shipped_templates, hospital_with_partners,
                                                                    make_partnership):
    hospital, _, _ = hospital_with_partners
    cpts = _cpts(make_partnership, hospital)
    convention = create_convention(hospital, ConventionTerms(partnerships=[cpts], effective_date=EFFECTIVE,
        duration_months=36),
        template_code="second_recours", fields=dict(FIELDS))
    block = _partner_block(_draft_text(convention))
    assert block.startswith("CPTS du Haut Auxois, SIRET n° 81234567800013, RNA n° W212001234, "
                            "dont le siège est situé 3 rue de la Gare, 21120 Is-sur-Tille, "
                            "ayant pour signataire Mme Claire Martin, présidente")
    assert "………, ………" not in block


def test_signatory_given_for_the_convention_wins(shipped_templates, hospital_with_partners, make_partnership):
    hospital, _, _ = hospital_with_partners
    cpts = _cpts(make_partnership, hospital)
    convention = create_convention(hospital, ConventionTerms(partnerships=[cpts], effective_date=EFFECTIVE,
        duration_months=36, signatories={cpts.partner_id: Signatory("Dr Luc Petit", "vice-président")}),
        template_code="second_recours", fields=dict(FIELDS))
    assert "ayant pour signataire Dr Luc Petit, vice-président" in _partner_block(_draft_text(convention))


def test_unknown_details_stay_to_complete(shipped_templates, hospital_with_partners, make_partnership):
    hospital, _, _ = hospital_with_partners
    cpts = _cpts(make_partnership, hospital, commune=None, address=None, departement="21", rna=None,
                 representative_name=None, representative_title=None)
    convention = create_convention(hospital, ConventionTerms(partnerships=[cpts], effective_date=EFFECTIVE,
        duration_months=36),
        template_code="second_recours", fields=dict(FIELDS))
    block = _partner_block(_draft_text(convention))
    assert "siège" not in block and "ayant pour signataire ………, ………" in block


def test_new_convention_form_suggests_the_recorded_representative(app, hospital_with_partners, make_partnership):
    hospital, chu, _ = hospital_with_partners
    cpts = _cpts(make_partnership, hospital)
    suggested = last_signatories(hospital)
    assert suggested[cpts.partner_id] == Signatory("Mme Claire Martin", "présidente")
    assert chu.partner_id not in suggested
