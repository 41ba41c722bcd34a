"""The drafting form, generated at request time from a template's manifest and the hospital's partners.

The convention's own fields (partners, dates, duration, renewal, notice, themes, partner types, clauses,
signatories) come first; then one field per manifest field, typed after it. ``notice_months`` is both: the
convention attribute fills the template's field, so it is shown once.
"""

from datetime import date

from wtforms import (BooleanField, IntegerField, SelectField, StringField, SubmitField, TextAreaField,
                     ValidationError)
from wtforms.validators import DataRequired, InputRequired, Length, Optional

from registry.conventions.terms import ConventionTerms, Signatory
from registry.core.french import french_date
from registry.core.vocabulary import PARTNER_TYPES, THEMES
from registry.documents.manifest import Manifest, ManifestField
from registry.documents.wording import long_city
from registry.hospitals.models import HospitalProfile, Partnership
from registry.organisations.forms import DayField, FrenchForm, MultiCheckboxField, options

REQUIRED = "Ce champ est obligatoire."
LIST_HELP = "Une valeur par ligne."
#: Manifest fields that the convention's own attributes fill.
CONVENTION_ATTRIBUTES = frozenset({"notice_months"})
#: Prefix of the generated fields' names, so that a manifest field never collides with the form's own.
FIELD_PREFIX = "champ_"
TEXT_MAX = 1000


def in_range(low: int, high: int | None, message: str):
    """NumberRange that stays silent when the value did not parse (its own message already says so)."""
    def check(form, field):
        if field.data is not None and (field.data < low or (high is not None and field.data > high)):
            raise ValidationError(message)
    return check


def first_of_next_month(today: date) -> date:
    return date(today.year + today.month // 12, today.month % 12 + 1, 1)


def _manifest_field(spec: ManifestField):
    """A WTForms field for one manifest field: its type, required flag, choices and help text."""
    said = f"{spec.label} {spec.help}".lower()
    help_text = " ".join(x for x in (spec.help, LIST_HELP if spec.type == "list" and "par ligne" not in said
                                     else "") if x)
    kwargs = {"label": spec.label, "description": help_text}
    if spec.type == "bool":
        return BooleanField(**kwargs)
    if spec.type in ("date", "int"):  # InputRequired keeps the « invalid » message of a value that does not parse
        presence = InputRequired(REQUIRED) if spec.required else Optional()
        if spec.type == "date":
            return DayField(validators=[presence], **kwargs)
        return IntegerField(validators=[presence, in_range(0, None, "Indiquez un nombre positif.")], **kwargs)
    presence = DataRequired(REQUIRED) if spec.required else Optional()
    if spec.type == "choice":
        return SelectField(choices=options(((c, c) for c in spec.choices), blank="Choisissez…"),
                           validators=[presence], invalid_choice_message="Choisissez une valeur de la liste.",
                           **kwargs)
    length = Length(max=TEXT_MAX * (5 if spec.type == "list" else 1),
                    message=f"{TEXT_MAX * (5 if spec.type == 'list' else 1)} caractères au plus.")
    if spec.type == "list":
        return TextAreaField(validators=[presence, length], render_kw={"rows": 3}, **kwargs)
    return StringField(validators=[presence, length], **kwargs)


class ConventionFormBase(FrenchForm):
    """What every convention records, whatever its template."""

    title = StringField("Intitulé de la convention", validators=[
        Optional(), Length(max=300, message="300 caractères au plus.")])
    partners = MultiCheckboxField("Partenaires signataires", coerce=int,
                                  validators=[DataRequired("Choisissez au moins un partenaire.")],
                                  invalid_choice_message="Ce partenaire n'est pas un partenaire de l'hôpital.")
    effective_date = DayField("Date d'effet", validators=[InputRequired(REQUIRED)])
    duration_months = IntegerField("Durée (en mois)", validators=[
        InputRequired(REQUIRED), in_range(1, 240, "Entre 1 et 240 mois.")])
    tacit_renewal = BooleanField("Renouvellement par tacite reconduction")
    notice_months = IntegerField("Préavis de résiliation (en mois)", validators=[
        InputRequired(REQUIRED), in_range(0, 24, "Entre 0 et 24 mois.")])
    themes = MultiCheckboxField("Thèmes couverts", choices=options(THEMES.items()),
                                validators=[DataRequired("Choisissez au moins un thème.")],
                                invalid_choice_message="Thème inconnu.")
    partner_types = MultiCheckboxField("Types de partenariat couverts", choices=options(PARTNER_TYPES.items()),
                                       validators=[DataRequired("Choisissez au moins un type de partenariat.")],
                                       invalid_choice_message="Type de partenaire inconnu.")
    clauses = MultiCheckboxField("Clauses facultatives", invalid_choice_message="Clause inconnue.")
    submit = SubmitField("Produire le projet de convention")

    #: Set by convention_form(): the manifest, and which generated fields are the template's and the signatories'.
    manifest: Manifest
    template_field_names: tuple[str, ...] = ()
    signatory_organisations: tuple[int, ...] = ()

    def template_fields(self):
        return [self[FIELD_PREFIX + name] for name in self.template_field_names]

    def signatory_fields(self, organisation_id: int):
        return self[f"signataire_{organisation_id}_nom"], self[f"signataire_{organisation_id}_qualite"]

    def template_values(self) -> dict:
        """The manifest fields' values as the service takes them (dates in ISO, lists as lines)."""
        values = {}
        for name in self.template_field_names:
            value = self[FIELD_PREFIX + name].data
            if isinstance(value, date):
                value = value.isoformat()
            elif isinstance(value, str):
                value = value.strip()
                if self[FIELD_PREFIX + name].type == "TextAreaField":
                    value = [line.strip() for line in value.splitlines() if line.strip()]
            values[name] = value
        return values

    def signatories(self) -> dict[int, Signatory]:
        return {organisation_id: Signatory(*(f.data or "" for f in self.signatory_fields(organisation_id)))
                for organisation_id in self.signatory_organisations}

    def terms(self, partnerships) -> ConventionTerms:
        """The convention's terms as entered, signed by ``partnerships`` (a drafted convention's form has no themes
        nor legal bases: they are its template's)."""
        themes, bases = getattr(self, "themes", None), getattr(self, "legal_bases", None)
        return ConventionTerms(
            partnerships=partnerships, effective_date=self.effective_date.data,
            duration_months=self.duration_months.data, partner_types=self.partner_types.data,
            themes=themes.data if themes is not None else [], tacit_renewal=self.tacit_renewal.data,
            notice_months=self.notice_months.data, title=self.title.data, signatories=self.signatories(),
            legal_bases=bases.data if bases is not None else [])


def convention_form(manifest: Manifest, hospital: HospitalProfile, *, data: dict | None = None):
    """A form class built for this template and this hospital's partners, then instantiated (``data`` on a GET,
    the request's form on a POST)."""
    template_fields = [spec for spec in manifest.fields if spec.name not in CONVENTION_ATTRIBUTES]
    organisations = [hospital.organisation, *(p.partner for p in hospital.partnerships)]
    attributes = {FIELD_PREFIX + spec.name: _manifest_field(spec) for spec in template_fields}
    for organisation in organisations:
        length = Length(max=120, message="120 caractères au plus.")
        attributes[f"signataire_{organisation.id}_nom"] = StringField(
            f"Nom du signataire pour {organisation.display_name}", validators=[length])
        attributes[f"signataire_{organisation.id}_qualite"] = StringField(
            f"Qualité du signataire pour {organisation.display_name}", validators=[length])
    attributes.update(manifest=manifest, template_field_names=tuple(spec.name for spec in template_fields),
                      signatory_organisations=tuple(organisation.id for organisation in organisations))
    attributes["themes"] = None  # a drafted convention's themes are those of its articles (Manifest.themes_for)
    form_class = type("ConventionForm", (ConventionFormBase,), attributes)
    form = form_class(data=data)
    form.partners.choices = [(p.id, p.partner.display_name) for p in hospital.partnerships]
    form.clauses.choices = options((c.code, c.label) for c in manifest.clauses)
    return form


def initial_data(manifest: Manifest, hospital: HospitalProfile, *, partnership: Partnership | None,
                 signatories: dict[int, Signatory], today: date) -> dict:
    """What the form shows first: the template's defaults and what the registry already knows."""
    data = {"partners": [partnership.id] if partnership else [], "effective_date": first_of_next_month(today),
            "duration_months": 36, "tacit_renewal": True, "notice_months": 3,
            "partner_types": _types_of(manifest, partnership),
            "clauses": [c.code for c in manifest.clauses if c.default]}
    known = {"signing_place": signing_place_of(hospital), "listing_decision": _listing_decision(hospital)}
    for spec in manifest.fields:
        if spec.name in known and spec.type == "text":
            data[FIELD_PREFIX + spec.name] = known[spec.name]
    for organisation_id, signatory in signatories.items():
        data[f"signataire_{organisation_id}_nom"] = signatory.name
        data[f"signataire_{organisation_id}_qualite"] = signatory.title
    return data


def _types_of(manifest: Manifest, partnership: Partnership | None) -> list[str]:
    """The template's partner types, or only those the pre-selected partner plays for the hospital (a single MSP
    is not ticked as a CPTS and a centre de santé as well)."""
    played = [code for code in manifest.partner_types if partnership and code in partnership.partner_types]
    return played or list(manifest.partner_types)


def signing_place_of(hospital: HospitalProfile) -> str:
    """« Fait à Is-sur-Tille »: the hospital's town in long form, without a « Cedex » (a postal mention)."""
    return long_city(hospital.organisation.city).split(" Cedex")[0]


def _listing_decision(hospital: HospitalProfile) -> str:
    """« ARS-2022-001 du 1er mai 2022 », from the hospital's listing."""
    if not hospital.decision_ref:
        return ""
    return f"{hospital.decision_ref} du {french_date(hospital.listed_on)}" if hospital.listed_on \
        else hospital.decision_ref
