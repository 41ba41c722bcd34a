"""The forms that edit a negotiated convention and correct a signed one: the creation's own forms (drafting form
for a convention from a template, registering form otherwise), pre-filled from the convention, and read back as
the ``changes`` that registry/conventions/editing.py takes."""

from datetime import date

from wtforms import SubmitField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length

from registry.conventions.editing import REASON_LENGTH
from registry.conventions.forms import FIELD_PREFIX, REQUIRED, convention_form
from registry.conventions.models import PARTY_PARTNER, Convention
from registry.conventions.register_forms import RegisterConventionFormBase, register_form
from registry.conventions.statuses import Status
from registry.documents.manifest import parse_manifest
from registry.organisations.forms import DayField

SAVE = "Enregistrer les modifications"


class EditRegisteredFormBase(RegisterConventionFormBase):
    """A convention registered (drafted elsewhere) and still negotiated: the registering form without the
    signature."""

    signed_on = None
    signed_copy = None
    submit = SubmitField(SAVE)


class CorrectionFormBase(RegisterConventionFormBase):
    """A signed convention's record: the registering form without the file, with the termination (for a
    terminated convention) and the reason, required."""

    signed_copy = None
    terminated_on = DayField("Date d'effet de la résiliation", validators=[InputRequired(REQUIRED)])
    termination_reason = TextAreaField("Motif de la résiliation", render_kw={"rows": 2}, validators=[
        DataRequired(REQUIRED), Length(max=2000, message="2 000 caractères au plus.")])
    reason = TextAreaField("Motif de la correction", render_kw={"rows": 2}, validators=[
        DataRequired("Indiquez le motif de la correction."),
        Length(max=REASON_LENGTH, message=f"{REASON_LENGTH} caractères au plus.")],
        description="Obligatoire : il figure dans l'historique de la convention, avec les valeurs corrigées.")
    submit = SubmitField("Enregistrer la correction")


def edit_form(convention: Convention, *, prefill: bool):
    """The edit form of a negotiated convention; ``prefill`` (a GET) shows its values, else the request's."""
    data = current_values(convention) if prefill else None
    if convention.template_version is None:
        return register_form(convention.hospital, data=data, base=EditRegisteredFormBase)
    form = convention_form(parse_manifest(convention.template_version.manifest), convention.hospital, data=data)
    form.submit.label.text = SAVE
    return form


def correction_form(convention: Convention, *, prefill: bool):
    """The correction form of a signed (or terminated) convention: what its record holds, and the reason."""
    form = register_form(convention.hospital, data=current_values(convention) if prefill else None,
                         base=CorrectionFormBase)
    if convention.template_version is not None:  # its themes and legal bases are those of its articles
        del form.themes
        del form.legal_bases
    if convention.status != Status.RESILIEE:
        del form.terminated_on
        del form.termination_reason
    return form


def current_values(convention: Convention) -> dict:
    """The convention as the forms show it (template fields under their prefixed names)."""
    partnership_of = {p.partner_id: p.id for p in convention.hospital.partnerships}
    data = {name: getattr(convention, name) for name in (
        "title", "effective_date", "duration_months", "tacit_renewal", "notice_months", "signed_on",
        "terminated_on", "termination_reason")}
    data |= {name: list(getattr(convention, name) or ()) for name in (
        "partner_types", "themes", "legal_bases", "clauses")}
    data["partners"] = [partnership_of[party.organisation_id] for party in convention.parties
                        if party.role == PARTY_PARTNER and party.organisation_id in partnership_of]
    for party in convention.parties:
        data[f"signataire_{party.organisation_id}_nom"] = party.signatory_name or ""
        data[f"signataire_{party.organisation_id}_qualite"] = party.signatory_title or ""
    for name, value in (convention.fields or {}).items():
        data[FIELD_PREFIX + name] = _form_value(value)
    return data


def form_changes(form, convention: Convention) -> dict:
    """What the submitted form sets, as edit_convention / correct_convention take it."""
    changes = {name: form[name].data for name in (
        "title", "effective_date", "duration_months", "tacit_renewal", "notice_months", "partner_types", "themes",
        "legal_bases", "clauses", "signed_on", "terminated_on", "termination_reason") if name in form}
    chosen = [p for p in convention.hospital.partnerships if p.id in form.partners.data]
    parties = [party.organisation_id for party in convention.parties if party.role == PARTY_PARTNER]
    if {p.partner_id for p in chosen} != set(parties):  # unchanged: a party no longer a partner is kept
        changes["partnerships"] = chosen
    signing = {party.organisation_id for party in convention.parties} | {p.partner_id for p in chosen}
    changes["signatories"] = {organisation_id: signatory for organisation_id, signatory in form.signatories().items()
                              if organisation_id in signing}
    if form.template_field_names:
        changes["fields"] = form.template_values()
    return changes


def _form_value(value):
    if isinstance(value, list):
        return "\n".join(str(item) for item in value)
    if isinstance(value, str) and len(value) == 10 and value[4] == "-":
        try:
            return date.fromisoformat(value)
        except ValueError:
            return value
    return value

