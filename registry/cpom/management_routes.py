"""A CPOM's life after its signature, on the hospital's CPOM page: its signed copy, avenants (with their signed copy)
and the targets they change, the conventions linked to an engagement, more sites of the legal entity, evaluations,
and the annex « Volet lien ville-hôpital ». The ARS of the region and administrators write; whoever sees the CPOM
downloads. Refusals are shown beside the form, answering 422, like the rest of the page (``routes._run``).
"""

from flask import Response, abort, send_file
from flask_login import current_user

from registry.conventions.services import DOCX
from registry.core.access import require, signed_in
from registry.core.scope import get_hospital, may_write_cpom
from registry.core.storage import document_store
from registry.cpom import avenants, services
from registry.cpom.annex import annex_filename, render_annex
from registry.cpom.catalogue import spec_of
from registry.cpom.evaluation import KIND_LABELS, record_evaluation
from registry.cpom.errors import refuse
from registry.cpom.management_forms import FORMS, candidate_sites, management_forms
from registry.cpom.routes import _cpom_of, _run, bp, read_year
from registry.hospitals.partner_routes import ID

CPOM = f"/hopitaux/<finess>/cpom/<{ID}:cpom_id>"


def _posted(finess: str, cpom_id: int, kind: str):
    """(hospital, cpom, year, key, form) of a management form sent by the ARS."""
    hospital = get_hospital(finess)
    cpom = _cpom_of(hospital, cpom_id)
    require(may_write_cpom())
    key = f"{kind}-{cpom.id}"
    form = FORMS[kind](prefix=key)
    if kind in ("cible", "liens", "site"):
        offered = management_forms(cpom)[kind]
        for name, field in offered._fields.items():
            if getattr(field, "choices", None) is not None:
                form[name].choices = field.choices
    return hospital, cpom, read_year()[0], key, form


def _one(items, wanted: str):
    return next((item for item in items if str(item.id) == (wanted or "")), None)


def _chosen_engagement(cpom, form, refusal: str):
    """The engagement the form names, or the refusal « choisissez l'engagement »."""
    engagement = _one(cpom.engagements, form.engagement.data)
    if engagement is None:
        refuse(refusal, ["choisissez l'engagement"])
    return engagement


def _actor():
    return current_user._get_current_object()


@bp.route(f"{CPOM}/exemplaire-signe", methods=["POST"])
@signed_in
def upload_signed_copy(finess: str, cpom_id: int):
    hospital, cpom, year, key, form = _posted(finess, cpom_id, "exemplaire")
    upload = form.file.data

    def attach():
        services.attach_signed_copy(cpom, upload.read(), upload.filename or "", actor=_actor())
        return cpom
    return _run(hospital, year, key, form, attach, lambda _cpom: "Exemplaire signé du CPOM enregistré.",
                f"cpom-{cpom.id}")


@bp.route(f"{CPOM}/exemplaire-signe")
@signed_in
def download_signed_copy(finess: str, cpom_id: int):
    cpom = _cpom_of(get_hospital(finess), cpom_id)
    return _stored(cpom.signed_copy_sha256, cpom.signed_copy_filename)


@bp.route(f"{CPOM}/avenants/<{ID}:avenant_id>/exemplaire-signe")
@signed_in
def download_avenant_copy(finess: str, cpom_id: int, avenant_id: int):
    avenant = _one(_cpom_of(get_hospital(finess), cpom_id).avenants, str(avenant_id))
    if avenant is None:
        abort(404)
    return _stored(avenant.signed_copy_sha256, avenant.signed_copy_filename)


def _stored(sha256: str | None, filename: str | None):
    if not sha256:
        abort(404)
    return send_file(document_store().open(sha256), as_attachment=True, download_name=filename or "document",
                     etag=sha256)


@bp.route(f"{CPOM}/avenants", methods=["POST"])
@signed_in
def record_avenant(finess: str, cpom_id: int):
    hospital, cpom, year, key, form = _posted(finess, cpom_id, "avenant")

    def record():
        avenant = avenants.record_avenant(cpom, signed_on=form.signed_on.data, effective_on=form.effective_on.data,
                                          object=form.object.data, actor=_actor())
        if form.file.data:
            services.attach_signed_copy(avenant, form.file.data.read(), form.file.data.filename or "",
                                        actor=_actor())
        return avenant
    return _run(hospital, year, key, form, record,
                lambda avenant: f"Avenant n° {avenant.number} enregistré : ses changements de cible s'appliquent à "
                                f"partir de {avenant.effective_on.year}.", f"vie-{cpom.id}")


@bp.route(f"{CPOM}/cible", methods=["POST"])
@signed_in
def change_target(finess: str, cpom_id: int):
    hospital, cpom, year, key, form = _posted(finess, cpom_id, "cible")

    def change():
        engagement = _chosen_engagement(cpom, form, "Changement de cible refusé")
        return avenants.change_target(engagement, _one(cpom.avenants, form.avenant.data),
                                      comparator=form.comparator.data, target_value=form.target_value.data,
                                      applicable=form.applicable.data, reason=form.reason.data, actor=_actor())
    return _run(hospital, year, key, form, change,
                lambda change: f"Cible de « {spec_of(change.engagement).label} » changée par l'avenant n° "
                               f"{change.avenant.number}.", f"vie-{cpom.id}")


@bp.route(f"{CPOM}/conventions", methods=["POST"])
@signed_in
def link_conventions(finess: str, cpom_id: int):
    hospital, cpom, year, key, form = _posted(finess, cpom_id, "liens")

    def link():
        engagement = _chosen_engagement(cpom, form, "Liens refusés")
        ids = [int(item) for item in form.conventions.data or () if item.isdigit()]
        services.link_conventions(engagement, ids, actor=_actor())
        return engagement
    return _run(hospital, year, key, form, link,
                lambda engagement: f"Conventions liées à « {spec_of(engagement).label} » enregistrées.",
                f"cpom-{cpom.id}")


@bp.route(f"{CPOM}/sites", methods=["POST"])
@signed_in
def add_site(finess: str, cpom_id: int):
    hospital, cpom, year, key, form = _posted(finess, cpom_id, "site")

    def add():
        site = next((item for item in candidate_sites(cpom) if item.finess_et == form.hospital.data), None)
        if site is None:
            refuse("Site refusé", ["choisissez un autre site de l'entité juridique"])
        services.add_site(cpom, site, actor=_actor())
        return site
    return _run(hospital, year, key, form, add, lambda site: f"Le CPOM couvre aussi {site.name}.", f"cpom-{cpom.id}")


@bp.route(f"{CPOM}/evaluations", methods=["POST"])
@signed_in
def record_cpom_evaluation(finess: str, cpom_id: int):
    hospital, cpom, year, key, form = _posted(finess, cpom_id, "evaluation")
    return _run(hospital, year, key, form,
                lambda: record_evaluation(cpom, kind=form.kind.data, held_on=form.held_on.data,
                                          minutes=form.minutes.data, actor=_actor()),
                lambda evaluation: f"{KIND_LABELS[evaluation.kind]} enregistrée ({evaluation.first_year}–"
                                   f"{evaluation.last_year}).", f"vie-{cpom.id}")


@bp.route(f"{CPOM}/annexe.docx")
@signed_in
def annex(finess: str, cpom_id: int):
    cpom = _cpom_of(get_hospital(finess), cpom_id)
    return Response(render_annex(cpom), mimetype=DOCX,
                    headers={"Content-Disposition": f'attachment; filename="{annex_filename(cpom)}"'})
