"""Convention operations: create a convention from a template, render its drafts. They flush; callers commit."""

from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import joinedload, selectinload

from registry.audit.services import record_audit
from registry.conventions.context import AVENANT_TEMPLATE, convention_context
from registry.conventions.models import (KIND_DRAFT, PARTY_HOSPITAL, PARTY_PARTNER, Convention,
                                         ConventionDocument, ConventionParty)
from registry.conventions.references import format_reference, next_number
from registry.conventions.statuses import Status
from registry.conventions.terms import ConventionTerms, Signatory
from registry.core import clock
from registry.core.errors import Conflict, DomainError
from registry.core.french import french_join
from registry.core.storage import document_store
from registry.core.transaction import lock_row
from registry.core.vocabulary import LEGAL_BASES, PARTNER_TYPES, THEMES, unknown_codes
from registry.documents.context import ContextError
from registry.documents.manifest import parse_manifest
from registry.documents.problems import RenderError
from registry.documents.versions import current_version, template_bytes
from registry.extensions import db
from registry.hospitals.models import HospitalProfile, Partnership
from registry.organisations.models import Organisation

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
#: Longest title the column holds; a default title built from many partners' names is cut there.
TITLE_LENGTH = 300


def _problems(hospital, *, partnerships, partner_types, themes, duration_months, effective_date,
              notice_months, legal_bases=()) -> list[str]:
    """What a new convention's common values get wrong, in French (empty when all is right)."""
    return (terms_problems(partner_types=partner_types, themes=themes, duration_months=duration_months,
                           effective_date=effective_date, notice_months=notice_months, legal_bases=legal_bases)
            + partnership_problems(hospital, partnerships))


def terms_problems(*, partner_types, themes, duration_months, effective_date, notice_months,
                   legal_bases=()) -> list[str]:
    """What a convention's codes, dates, duration and notice get wrong (creation, edit and correction alike)."""
    problems = [f"type de partenaire inconnu : « {c} »" for c in unknown_codes(partner_types, PARTNER_TYPES)]
    problems += [f"fondement juridique inconnu : « {c} » (connus : {', '.join(LEGAL_BASES)})"
                 for c in unknown_codes(legal_bases, LEGAL_BASES)]
    problems += [f"thème inconnu : « {c} »" for c in unknown_codes(themes, THEMES)]
    if not isinstance(duration_months, int) or isinstance(duration_months, bool) or not 1 <= duration_months <= 240:
        problems.append("la durée doit être un nombre de mois entre 1 et 240")
    if effective_date is None:
        problems.append("indiquez la date d'effet")
    if notice_months is None:
        problems.append("le préavis de résiliation doit être un nombre de mois entre 0 et 24")
    return problems


def partnership_problems(hospital, partnerships) -> list[str]:
    """At least one partner, each a partner of the convention's hospital."""
    problems = [] if partnerships else ["choisissez au moins un partenaire"]
    return problems + [f"{p.partner.display_name} n'est pas partenaire de cet hôpital"
                       for p in partnerships if p.hospital_id != hospital.id]


def _refuse_if(problems: list[str]) -> None:
    if problems:
        raise DomainError("Convention refusée : " + " ; ".join(problems) + ".", details=problems)


def _title(title: str | None, default_prefix: str, partnerships) -> str:
    names = french_join([p.partner.display_name for p in partnerships])
    return ((title or "").strip() or f"{default_prefix} – {names}")[:TITLE_LENGTH]


def _attach_parties(convention: Convention, hospital: HospitalProfile, partnerships, signatories) -> None:
    signatories = signatories or {}
    for position, organisation in enumerate([hospital.organisation, *(p.partner for p in partnerships)]):
        signatory = signatories.get(organisation.id, Signatory())
        convention.parties.append(ConventionParty(
            organisation=organisation, role=PARTY_HOSPITAL if position == 0 else PARTY_PARTNER, position=position,
            signatory_name=signatory.name.strip() or None, signatory_title=signatory.title.strip() or None))


def _number_and_add(convention: Convention, hospital: HospitalProfile) -> None:
    """Take the next reference of the hospital and year (last step, so a refusal consumes none) and flush."""
    convention.year = convention.effective_date.year
    convention.number = next_number(hospital.id, convention.year)
    convention.reference = format_reference(hospital.finess_et, convention.year, convention.number)
    db.session.add(convention)
    db.session.flush()


def _notice(value) -> int | None:
    try:
        months = int(value)
    except (TypeError, ValueError):
        return None
    return months if 0 <= months <= 24 and not isinstance(value, bool) else None


def create_convention(hospital: HospitalProfile, terms: ConventionTerms, *, template_code: str,
                      clauses: list[str] = (), fields: dict | None = None, actor=None) -> Convention:
    """A convention in « brouillon » drafted from the current version of a template, on ``terms``.

    ``terms.signatories`` maps an organisation id to who signs for it. Values are checked against the template's
    manifest here, so that every later draft can be rendered. Its legal bases are the template's, and its themes
    those of the articles it contains (the template's own, and those of the optional clauses ticked): they follow
    the document, never a declaration.
    """
    if template_code == AVENANT_TEMPLATE:
        raise DomainError("Le modèle d'avenant ne rédige que des avenants : préparez l'avenant depuis la page de "
                          "la convention signée qu'il modifie.")
    version = current_version(template_code)
    manifest = parse_manifest(version.manifest)
    partnerships, themes, effective_date = terms.partnerships, terms.themes, terms.effective_date
    duration_months, legal_bases = terms.duration_months, terms.legal_bases
    clauses = list(dict.fromkeys(clauses or ()))
    partner_types = list(dict.fromkeys(terms.partner_types or manifest.partner_types))
    document_themes = list(manifest.themes_for(set(clauses)))
    document_bases = list(manifest.legal_bases)
    fields = dict(fields or {})
    notice_months = _notice(fields.pop("notice_months", terms.notice_months))
    problems = _problems(hospital, partnerships=partnerships, partner_types=partner_types, themes=themes,
                         duration_months=duration_months, effective_date=effective_date,
                         notice_months=notice_months)
    problems += [f"clause inconnue du modèle : « {code} »" for code in clauses if code not in manifest.clause_codes]
    beyond = [code for code in themes or () if code not in document_themes]
    if beyond:
        problems.append("les thèmes d'une convention rédigée d'après un modèle sont ceux de ses articles ("
                        + (", ".join(document_themes) or "aucun") + ") ; aucun article ne couvre : "
                        + ", ".join(beyond) + " (cochez la clause qui le traite)")
    if legal_bases and set(legal_bases) != set(document_bases):
        problems.append("le fondement juridique d'une convention rédigée d'après un modèle est celui du modèle ("
                        + (", ".join(document_bases) or "aucun") + ")")
    _refuse_if(problems)
    convention = Convention(
        reference="", hospital=hospital, title=_title(terms.title, version.name, partnerships),
        status=Status.BROUILLON, template_version=version, clauses=clauses,
        fields=fields, partner_types=partner_types, themes=document_themes, legal_bases=document_bases,
        effective_date=effective_date, duration_months=duration_months, tacit_renewal=terms.tacit_renewal,
        notice_months=notice_months, created_by_id=actor.id if actor is not None else None)
    _attach_parties(convention, hospital, partnerships, terms.signatories)
    try:  # checked before numbering, so that a refused convention consumes no reference
        convention_context(convention, generated_on=clock.today())
    except ContextError as error:
        raise DomainError("Convention refusée : " + " ".join(error.messages), details=error.messages) from error
    _number_and_add(convention, hospital)
    record_audit("convention.create", convention, f"Convention {convention.reference} créée : {convention.title}",
                 hospital=hospital, actor=actor)
    return convention


#: Loader options for a convention about to be drafted (``core.scope.get_convention(..., options=...)``): what
#: its context reads, its hospital, template version, parties and their profiles, in the convention's query.
DRAFT_LOADING = (joinedload(Convention.hospital), joinedload(Convention.template_version),
                 joinedload(Convention.parties).joinedload(ConventionParty.organisation)
                 .joinedload(Organisation.hospital_profile))


def generate_draft(convention: Convention, *, actor=None, today: date | None = None) -> ConventionDocument:
    """Render a new draft version, store its bytes (before the row), keep its context snapshot and SHA-256."""
    from registry.documents.render import start_render  # docx, docxtpl: loaded by the first draft

    if convention.template_version is None:
        raise Conflict("Cette convention a été rédigée hors de l'application : elle n'a pas de modèle.")
    lock_row(convention)  # concurrent drafts number their versions one after the other
    if not convention.status.editable:
        raise Conflict("Les champs de la convention sont figés depuis son passage « à signer ».")
    context = convention_context(convention, generated_on=today or clock.today())
    store = document_store()
    rendering = None
    try:
        # The render's child stores the file it renders (a file store's writer), once it has sent the bytes back.
        rendering = start_render(template_bytes(convention.template_version), context,
                                 name=convention.template_version.code, then=store.writer())
        version = next_draft_version(convention)  # read while the render runs in its child
        data = rendering.result()
    except RenderError as error:
        raise DomainError(f"Le projet n'a pas pu être produit : {error}") from error
    finally:
        if rendering is not None:
            rendering.cancel()  # nothing once its result is read; else its child is stopped
    # The file is written and synced while its rows are flushed; the block ends with the bytes on disk, before any
    # commit names them.
    with store.storing(data, written=rendering.follow_up) as (sha256, size):
        # By its id, not through the convention's collection: the flush then writes one row, not the convention and
        # its relationships' bookkeeping; the collection, when loaded, is read again on its next use.
        document = ConventionDocument(
            convention_id=convention.id, kind=KIND_DRAFT, version=version, sha256=sha256, size=size,
            filename=f"{convention.reference} projet v{version}.docx", media_type=DOCX,
            template_version_id=convention.template_version_id, context=context,
            created_by_id=actor.id if actor is not None else None)
        db.session.add(document)
        db.session.flush()
        db.session.expire(convention, ["documents"])
        record_audit("convention.draft", document,
                     f"Projet v{version} de la convention {convention.reference} produit",
                     hospital=convention.hospital, actor=actor)
        db.session.flush()
    return document


def next_draft_version(convention: Convention) -> int:
    """The next draft number of a convention, generated and received versions alike; the caller holds
    ``lock_row(convention)`` so that concurrent drafts number their versions one after the other."""
    with db.session.no_autoflush:  # one flush after this writes the convention's changes and the draft together
        return (db.session.scalar(select(func.max(ConventionDocument.version)).where(
            ConventionDocument.convention_id == convention.id, ConventionDocument.kind == KIND_DRAFT)) or 0) + 1


def hospital_conventions(hospital: HospitalProfile, *, partner_id: int | None = None) -> list[tuple[Convention, int]]:
    """A hospital's conventions, newest first (avenants after their convention), each with its number of drafts
    (one query, parties loaded after).

    ``partner_id`` keeps the conventions to which that organisation is a party.
    """
    drafts = (select(ConventionDocument.convention_id, func.count(ConventionDocument.id).label("drafts"))
              .where(ConventionDocument.kind == KIND_DRAFT).group_by(ConventionDocument.convention_id).subquery())
    query = (select(Convention, func.coalesce(drafts.c.drafts, 0))
             .outerjoin(drafts, drafts.c.convention_id == Convention.id)
             .where(Convention.hospital_id == hospital.id)
             .options(selectinload(Convention.parties))
             .order_by(Convention.year.desc(), Convention.number.desc(), Convention.amendment_number))
    if partner_id is not None:
        query = query.where(Convention.parties.any(ConventionParty.organisation_id == partner_id))
    return [(convention, count) for convention, count in db.session.execute(query)]


def convention_drafts(convention: Convention) -> list[ConventionDocument]:
    """The drafts of a convention, newest first, with their authors (one query)."""
    return list(db.session.scalars(
        select(ConventionDocument)
        .where(ConventionDocument.convention_id == convention.id, ConventionDocument.kind == KIND_DRAFT)
        .options(joinedload(ConventionDocument.created_by))
        .order_by(ConventionDocument.version.desc())))


def get_draft(convention: Convention, version: int) -> ConventionDocument | None:
    return db.session.scalar(select(ConventionDocument).where(
        ConventionDocument.convention_id == convention.id, ConventionDocument.kind == KIND_DRAFT,
        ConventionDocument.version == version))


def last_signatories(hospital: HospitalProfile) -> dict[int, Signatory]:
    """Who last signed for each organisation in this hospital's conventions, else the legal representative
    recorded for a partner outside FINESS: the form's suggestion."""
    representatives = db.session.execute(
        select(Organisation.id, Organisation.representative_name, Organisation.representative_title)
        .join(Partnership, Partnership.partner_id == Organisation.id)
        .where(Partnership.hospital_id == hospital.id, (Organisation.representative_name.is_not(None))
               | (Organisation.representative_title.is_not(None))))
    suggested = {organisation_id: Signatory(name or "", title or "") for organisation_id, name, title in representatives}
    rows = db.session.execute(
        select(ConventionParty.organisation_id, ConventionParty.signatory_name, ConventionParty.signatory_title)
        .join(Convention, Convention.id == ConventionParty.convention_id)
        .where(Convention.hospital_id == hospital.id,
               (ConventionParty.signatory_name.is_not(None)) | (ConventionParty.signatory_title.is_not(None)))
        .order_by(Convention.id))
    return {**suggested, **{organisation_id: Signatory(name or "", title or "") for organisation_id, name, title in rows}}


def register_convention(hospital: HospitalProfile, terms: ConventionTerms, *, actor=None) -> Convention:
    """Record a convention drafted elsewhere (signed before the hospital used the application), in « brouillon »,
    on ``terms``.

    It has no template and gets no drafts; its dates may lie in the past. Its partner types and themes are
    required (declared by the hospital: the pages say so); its legal bases (L6111-3-2...) are what the
    statutory rules count.
    """
    partnerships, effective_date, duration_months = terms.partnerships, terms.effective_date, terms.duration_months
    partner_types, themes = list(dict.fromkeys(terms.partner_types or ())), list(dict.fromkeys(terms.themes or ()))
    legal_bases = list(dict.fromkeys(terms.legal_bases or ()))
    notice = _notice(terms.notice_months)
    problems = _problems(hospital, partnerships=partnerships, partner_types=partner_types, themes=themes,
                         duration_months=duration_months, effective_date=effective_date, notice_months=notice,
                         legal_bases=legal_bases)
    if not partner_types:
        problems.append("indiquez au moins un type de partenaire couvert par la convention")
    if not themes:
        problems.append("indiquez au moins un thème couvert par la convention")
    _refuse_if(problems)
    convention = Convention(
        reference="", hospital=hospital, title=_title(terms.title, "Convention", partnerships),
        status=Status.BROUILLON, template_version=None, clauses=[], fields={}, partner_types=partner_types,
        themes=themes, legal_bases=legal_bases, effective_date=effective_date, duration_months=duration_months,
        tacit_renewal=terms.tacit_renewal, notice_months=notice,
        created_by_id=actor.id if actor is not None else None)
    _attach_parties(convention, hospital, partnerships, terms.signatories)
    _number_and_add(convention, hospital)
    record_audit("convention.register", convention,
                 f"Convention {convention.reference} enregistrée (rédigée hors de l'application) : "
                 f"{convention.title}", hospital=hospital, actor=actor)
    return convention


def rank_templates(versions, partner_types) -> list[tuple]:
    """(template version, number of the partnership's types it covers), best match first, then by name; the
    avenant template is not a convention's."""
    wanted = set(partner_types or ())
    scored = [(version, len(wanted & set(version.manifest.get("partner_types", [])))) for version in versions
              if getattr(version, "code", None) != AVENANT_TEMPLATE]
    return sorted(scored, key=lambda item: (-item[1], item[0].name))
