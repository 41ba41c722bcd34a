"""CPOM pages: a hospital's CPOMs with the year's declarations (``/hopitaux/<finess>/cpom``), the ARS's forms
(create a CPOM, choose its engagements, ask for proof, validate or contest) and the year's campaign
(``/cpom/campagne``) with its counters, filters and charts.

Every page reads its CPOMs through core.scope.visible_cpoms (404 outside the scope) and every write checks
may_write_cpom (the ARS, an administrator) or may_declare_cpom (a covered hospital's users, an administrator), like
the API (registry/api/cpom.py). A refusal of the domain (DomainError, Conflict) is rolled back and the page is shown
again, answering 422, with the French message beside the form that was sent and what was typed kept.
"""

from dataclasses import dataclass, field
from typing import NamedTuple

from flask import Blueprint, abort, flash, redirect, render_template, request, send_file, url_for
from flask_login import current_user
from sqlalchemy import select

from registry.core import clock
from registry.core.access import require, signed_in
from registry.core.scope import get_hospital, may_declare_cpom, may_write_cpom, visible_cpoms
from registry.core.storage import document_store
from registry.core.transaction import commit_or_error
from registry.cpom import campaign, services, workflow
from registry.cpom.assessment import ASSESSMENT_LABELS, ATTEINT, NON_APPLICABLE, NON_ATTEINT, NON_EVALUABLE
from registry.cpom.avenants import target_for
from registry.cpom.catalogue import (LISTE, NOMBRE, OUI_NON, POURCENTAGE, RATIO, REGISTRY, TEXTE, catalogue_of,
                                     spec_of)
from registry.cpom.forms import (CpomForm, DeclarationForm, EngagementForm, ProofForm,
                                 ProofRequestForm, ReviewForm)
from registry.cpom.evaluation import KIND_LABELS, OVERALL_LABELS
from registry.cpom.management_forms import management_forms
from registry.cpom.models import Cpom, CpomDeclaration, CpomEngagement, CpomProof
from registry.cpom.wording import french_number, target_text, value_words
from registry.extensions import db
from registry.hospitals.models import HospitalProfile
from registry.hospitals.partner_routes import ID

bp = Blueprint("cpom", __name__)

YEAR = "int(max=9999)"
DECLARATION = f"/hopitaux/<finess>/cpom/<{ID}:cpom_id>/engagements/<{ID}:engagement_id>/<{YEAR}:year>"
NUMERIC_KINDS = services.NUMERIC_KINDS
ASSESSMENT_CLASSES = {ATTEINT: "text-bg-success", NON_ATTEINT: "text-bg-danger", NON_EVALUABLE: "text-bg-light border",
                      NON_APPLICABLE: "text-bg-secondary"}
STATUS_CLASSES = {workflow.NON_DECLAREE: "text-bg-light border", workflow.DECLAREE: "text-bg-info",
                  workflow.PREUVE_DEMANDEE: "text-bg-warning", workflow.PREUVE_FOURNIE: "text-bg-primary",
                  workflow.VALIDEE: "text-bg-success", workflow.CONTESTEE: "text-bg-danger"}
#: The campaign's status filter: the workflow's statuses, and proofs overdue.
LATE = "en_retard"
STATUS_FILTERS = {**workflow.STATUS_LABELS, LATE: "Preuve en retard"}


@bp.record_once
def _vocabulary(state) -> None:
    state.app.jinja_env.globals.update(
        cpom_number=french_number, cpom_target=target_text, cpom_value=value_words,
        CPOM_STATUS_LABELS=workflow.STATUS_LABELS, CPOM_STATUS_CLASSES=STATUS_CLASSES,
        CPOM_ASSESSMENT_LABELS=ASSESSMENT_LABELS, CPOM_ASSESSMENT_CLASSES=ASSESSMENT_CLASSES,
        CPOM_EVALUATION_LABELS=KIND_LABELS, CPOM_OVERALL_LABELS=OVERALL_LABELS)


def is_late(declaration: CpomDeclaration | None) -> bool:
    """A proof asked for before a day now past, and not brought."""
    return (declaration is not None and declaration.status == workflow.PREUVE_DEMANDEE
            and declaration.proof_due is not None and declaration.proof_due < clock.today())


def read_year() -> tuple[int, str | None]:
    """``?annee=``, by default the previous calendar year (the one the campaign declares)."""
    default = clock.today().year - 1
    raw = (request.args.get("annee") or "").strip()
    if not raw:
        return default, None
    if raw.isdigit() and 2000 <= int(raw) <= clock.today().year:
        return int(raw), None
    return default, f"Année ignorée : « {raw[:20]} » (une année entre 2000 et {clock.today().year} est attendue)."


def in_campaign(cpom: Cpom, year: int) -> bool:
    """Whether values may be declared for ``year`` under this CPOM (campaign._check_year's rule)."""
    return cpom.effective_on.year - 1 <= year <= min(cpom.ends_on.year, clock.today().year)


# --- The hospital's page --------------------------------------------------------------------------------------


class Refusal(NamedTuple):
    """A form refused (by itself or the domain): shown again beside its key's place on the page."""

    key: str
    form: object
    message: str | None


@dataclass
class EngagementYear:
    """One engagement on the hospital page: its target and state in the chosen year and the forms it offers."""

    engagement: CpomEngagement
    spec: object
    state: object | None
    late: bool
    forms: dict = field(default_factory=dict)

    @property
    def locked(self) -> bool:
        return self.state is not None and self.state.status == workflow.VALIDEE


def _hospital_cpoms(hospital: HospitalProfile) -> list[Cpom]:
    return list(db.session.scalars(visible_cpoms().where(Cpom.sites.any(HospitalProfile.id == hospital.id))
                                   .order_by(Cpom.effective_on, Cpom.id)))


def _cpom_of(hospital: HospitalProfile, cpom_id: int) -> Cpom:
    cpom = db.session.scalar(visible_cpoms().where(Cpom.id == cpom_id,
                                                   Cpom.sites.any(HospitalProfile.id == hospital.id)))
    if cpom is None:
        abort(404)
    return cpom


def _engagement_of(hospital: HospitalProfile, cpom_id: int, engagement_id: int) -> CpomEngagement:
    engagement = next((item for item in _cpom_of(hospital, cpom_id).engagements if item.id == engagement_id), None)
    if engagement is None:
        abort(404)
    return engagement


def _forms(engagement: CpomEngagement, spec, state, refusal: Refusal | None) -> dict:
    """The forms one engagement offers to the current user in its state, the refused one kept as it was sent."""
    if spec.origin == REGISTRY or state is None or state.status == workflow.VALIDEE:
        return {}
    kinds = {}
    if may_declare_cpom():
        kinds["declaration"] = lambda prefix: DeclarationForm(prefix=prefix, formdata=None).for_indicator(spec)
        if state.status != workflow.NON_DECLAREE:
            kinds["preuve"] = lambda prefix: ProofForm(prefix=prefix, formdata=None)
    if may_write_cpom() and state.status != workflow.NON_DECLAREE:
        kinds["demande"] = lambda prefix: ProofRequestForm(prefix=prefix, formdata=None)
        kinds["revue"] = lambda prefix: ReviewForm(prefix=prefix, formdata=None)
    forms = {}
    for kind, make in kinds.items():
        key = f"{kind}-{engagement.id}"
        forms[kind] = refusal.form if refusal and refusal.key == key else make(key)
    if "declaration" in forms and not (refusal and refusal.key == f"declaration-{engagement.id}"):
        _fill_declaration(forms["declaration"], state.declaration)
    return forms


def _fill_declaration(form: DeclarationForm, declaration: CpomDeclaration | None) -> None:
    """The value already declared, to correct it."""
    if declaration is None:
        return
    value = declaration.value
    form.answer.data = {True: "oui", False: "non"}.get(value) if isinstance(value, bool) else None
    form.items.data = list(declaration.items or ())
    form.numerator.data, form.denominator.data = declaration.numerator, declaration.denominator
    if isinstance(value, (int, float)) and not isinstance(value, bool) and declaration.numerator is None:
        form.value.data = value
    form.text.data = value if isinstance(value, str) else None
    form.comment.data = declaration.comment


def _cpom_view(cpom: Cpom, year: int, refusal: Refusal | None) -> dict:
    open_year = in_campaign(cpom, year)
    rows = []
    for engagement in cpom.engagements:
        spec = spec_of(engagement)
        state = campaign.year_state(engagement, year) if open_year else None
        row = EngagementYear(engagement, spec, state, is_late(state.declaration if state else None))
        row.forms = _forms(engagement, spec, state, refusal)
        rows.append(row)
    taken = {engagement.indicator for engagement in cpom.engagements}
    engagement_form = None
    if may_write_cpom():
        key = f"engagement-{cpom.id}"
        engagement_form = refusal.form if refusal and refusal.key == key else EngagementForm(prefix=key, formdata=None)
        engagement_form.offer(catalogue_of(cpom), taken)
    return {"cpom": cpom, "rows": rows, "open_year": open_year, "catalogue": catalogue_of(cpom),
            "manage": management_forms(cpom, refusal) if may_write_cpom() else None,
            "engagement_form": engagement_form, "late": [row for row in rows if row.late],
            "targets": {row.engagement.id: target_for(row.engagement, year) for row in rows}}


def _page(hospital: HospitalProfile, year: int, refusal: Refusal | None = None, year_error: str | None = None):
    cpoms = [_cpom_view(cpom, year, refusal) for cpom in _hospital_cpoms(hospital)]
    years = sorted({y for item in cpoms for y in range(item["cpom"].effective_on.year - 1,
                                                       min(item["cpom"].ends_on.year, clock.today().year) + 1)}
                   | {year, clock.today().year - 1})
    create_form = None
    if may_write_cpom():
        create_form = refusal.form if refusal and refusal.key == "creer" else CpomForm(formdata=None)
    shown = {"creer"} if create_form else set()
    for item in cpoms:
        shown |= {f"engagement-{item['cpom'].id}"} if item["engagement_form"] else set()
        shown |= {f"{kind}-{item['cpom'].id}" for kind in item["manage"] or ()}
        shown |= {f"{kind}-{row.engagement.id}" for row in item["rows"] for kind in row.forms}
    return render_template("cpom/hospital.html", hospital=hospital, year=year, years=years, cpoms=cpoms,
                           create_form=create_form, refusal=refusal, year_error=year_error,
                           unplaced=refusal if refusal and refusal.key not in shown else None,
                           today=clock.today(), may_write=may_write_cpom(), may_declare=may_declare_cpom())


@bp.route("/hopitaux/<finess>/cpom")
@signed_in
def hospital(finess: str):
    profile = get_hospital(finess)
    year, error = read_year()
    return _page(profile, year, year_error=error)


def _run(hospital: HospitalProfile, year: int, key: str, form, action, message, anchor: str):
    """Validate the form, run the domain call and commit, or show the page again with the refusal (422)."""
    error = None
    if form.validate():
        result, error = commit_or_error(action)
        if error is None:
            flash(message(result), "success")
            return redirect(url_for("cpom.hospital", finess=hospital.finess_et, annee=year, _anchor=anchor))
    return _page(hospital, year, Refusal(key, form, error)), 422


def _actor():
    return current_user._get_current_object()


@bp.route("/hopitaux/<finess>/cpom", methods=["POST"])
@signed_in
def create(finess: str):
    profile = get_hospital(finess)
    require(may_write_cpom())
    form = CpomForm()
    year, _ = read_year()
    return _run(profile, year, "creer", form, lambda: services.create_cpom(
        profile, signed_on=form.signed_on.data, effective_on=form.effective_on.data,
        duration_years=form.duration_years.data, actor=_actor()),
        lambda cpom: f"CPOM de {cpom.name} enregistré : du {cpom.effective_on.strftime('%d/%m/%Y')} au "
                     f"{cpom.ends_on.strftime('%d/%m/%Y')}. Choisissez maintenant ses engagements.",
        "cpom-liste")


@bp.route(f"/hopitaux/<finess>/cpom/<{ID}:cpom_id>/engagements", methods=["POST"])
@signed_in
def add_engagement(finess: str, cpom_id: int):
    profile = get_hospital(finess)
    cpom = _cpom_of(profile, cpom_id)
    require(may_write_cpom())
    key = f"engagement-{cpom.id}"
    form = EngagementForm(prefix=key).offer(catalogue_of(cpom), {item.indicator for item in cpom.engagements})
    year, _ = read_year()
    return _run(profile, year, key, form, lambda: services.add_engagement(
        cpom, indicator=form.indicator.data, comparator=form.comparator.data, target_value=form.target_value.data,
        applicable=form.applicable.data, reason=form.reason.data, actor=_actor()),
        lambda engagement: f"Engagement « {spec_of(engagement).label} » ajouté au CPOM.", f"cpom-{cpom.id}")


def _declared_values(form: DeclarationForm, spec) -> dict:
    """The keyword arguments of campaign.declare for the indicator's kind."""
    if spec.kind == OUI_NON:
        return {"value": form.answer_value()}
    if spec.kind == LISTE:
        return {"items": form.items.data or ()}
    if spec.kind in (RATIO, POURCENTAGE):
        return {"numerator": form.numerator.data, "denominator": form.denominator.data, "value": form.value.data}
    if spec.kind == NOMBRE:
        return {"value": form.value.data}
    if spec.kind == TEXTE:
        return {"value": form.text.data}
    return {}


def _year_action(kind: str, allowed, form_class, action, message):
    """A form of one engagement and year (``kind`` names it on the page): load through the scope, check the role,
    run ``action(engagement, year, form)``, say ``message(engagement, year, result)``."""
    def view(finess: str, cpom_id: int, engagement_id: int, year: int):
        profile = get_hospital(finess)
        engagement = _engagement_of(profile, cpom_id, engagement_id)
        require(allowed())
        key = f"{kind}-{engagement.id}"
        form = form_class(prefix=key)
        if isinstance(form, DeclarationForm):
            form.for_indicator(spec_of(engagement))
        return _run(profile, year, key, form, lambda: action(engagement, year, form),
                    lambda result: message(engagement, year, result), f"engagement-{engagement.id}")
    return view


def _declare(engagement: CpomEngagement, year: int, form: DeclarationForm):
    return campaign.declare(engagement, year, **_declared_values(form, spec_of(engagement)),
                            comment=form.comment.data, actor=_actor())


def _reviewed(engagement: CpomEngagement, year: int, declaration: CpomDeclaration) -> str:
    return (f"Valeur {year} de « {spec_of(engagement).label} » : "
            f"{workflow.STATUS_LABELS[declaration.status].lower()}.")


#: The year's actions on an engagement: (path, endpoint, kind, who may, form, action, message).
YEAR_ACTIONS = (
    ("declaration", "declare", "declaration", may_declare_cpom, DeclarationForm, _declare,
     lambda engagement, year, _: f"Valeur {year} de « {spec_of(engagement).label} » déclarée."),
    ("preuves", "attach_proof", "preuve", may_declare_cpom, ProofForm,
     lambda engagement, year, form: campaign.attach_proof(engagement, year, form.file.data.read(),
                                                          form.file.data.filename or "", actor=_actor()),
     lambda engagement, year, proof: f"Preuve « {proof.filename} » déposée pour {year}."),
    ("demande-de-preuve", "request_proof", "demande", may_write_cpom, ProofRequestForm,
     lambda engagement, year, form: campaign.request_proof(engagement, year, due=form.due.data, actor=_actor()),
     lambda engagement, year, declaration: f"Preuve demandée avant le {declaration.proof_due.strftime('%d/%m/%Y')}."),
    ("revue", "review", "revue", may_write_cpom, ReviewForm,
     lambda engagement, year, form: campaign.review(engagement, year, decision=form.decision.data,
                                                    comment=form.comment.data, actor=_actor()),
     _reviewed),
)
for _path, _endpoint, *_how in YEAR_ACTIONS:
    bp.add_url_rule(f"{DECLARATION}/{_path}", _endpoint, signed_in(_year_action(*_how)), methods=["POST"])


@bp.route(f"/hopitaux/<finess>/cpom/<{ID}:cpom_id>/preuves/<{ID}:proof_id>")
@signed_in
def download_proof(finess: str, cpom_id: int, proof_id: int):
    cpom = _cpom_of(get_hospital(finess), cpom_id)
    proof = db.session.scalar(select(CpomProof).join(CpomDeclaration).join(CpomEngagement).where(
        CpomProof.id == proof_id, CpomEngagement.cpom_id == cpom.id))
    if proof is None:
        abort(404)
    return send_file(document_store().open(proof.sha256), mimetype=proof.media_type, as_attachment=True,
                     download_name=proof.filename, etag=proof.sha256)
