"""The convention page's lifecycle forms: one per allowed transition, the signed-copy upload, an avenant,
abandoning an unsigned convention and recording a supersession.

The forms only read what is typed; the rules (what a transition needs, which status allows a copy) are the
domain's, which answers in French (TransitionRefused, SignedCopyRejected): the fields' required marks come from
the transition table's flags, not from a second copy of the rules.
"""

from flask_wtf.file import FileField, FileRequired
from wtforms import SelectField, StringField, TextAreaField
from wtforms.validators import Length, NumberRange, Optional

from registry.conventions import lifecycle
from registry.conventions.statuses import arrival
from registry.core.vocabulary import LEGAL_BASES
from registry.organisations.forms import DayField, FrenchForm, MultiCheckboxField, options

#: Dates the registry stores (the API accepts the same range).
COMMENT_MAX = 2000
#: What the transition's fields are called, by target status: (date label, date help, reason label).
def _date_field(label: str, description: str = "") -> DayField:
    return DayField(label, validators=[Optional()], description=description)


class Needed:
    """Marks a field required on the page (its label and the browser say so); the domain names what is missing."""

    field_flags = {"required": True}

    def __call__(self, form, field):
        pass


def _comment_field(label: str, required: bool = False) -> TextAreaField:
    return TextAreaField(label, validators=[Length(max=COMMENT_MAX, message="2 000 caractères au plus."),
                                            *([Needed()] if required else [])], render_kw={"rows": 2})


class TransitionForm(FrenchForm):
    """One transition: ``transition_form`` names its fields after the rule and tells the page which to show."""

    date = _date_field("Date")
    comment = _comment_field("Commentaire (facultatif)")


def transition_form(rule: lifecycle.Transition, **kwargs) -> TransitionForm:
    """The form of one allowed transition, its fields prefixed by the target (several forms share the page)."""
    words = arrival(rule.target)
    form = TransitionForm(prefix=rule.target, **kwargs)
    form.rule = rule
    if rule.needs_date:
        form.date.label.text, form.date.description = words.date_label, words.date_help
        form.date.flags.required = True
    if rule.needs_reason:
        form.comment.label.text = words.reason_label
        form.comment.flags.required = True
    return form


class SignedCopyForm(FrenchForm):
    # The content is checked, never the name: no extension filter here (docs/signed-copies.md).
    file = FileField("Copie signée (PDF)", validators=[FileRequired("Choisissez le fichier PDF signé.")],
                     render_kw={"accept": "application/pdf"})


class ConfirmCopyForm(FrenchForm):
    """Confirm a signed copy set aside by its signature check: the reason is mandatory and kept."""

    reason = _comment_field("Motif de la confirmation malgré l'alerte", required=True)


class DiscardCopyForm(FrenchForm):
    reason = _comment_field("Motif (facultatif)")


def review_forms(version: int, **kwargs) -> tuple[ConfirmCopyForm, DiscardCopyForm]:
    """The two decisions on one set-aside copy, prefixed by its version (several may wait on the page)."""
    return (ConfirmCopyForm(prefix=f"confirmer-v{version}", **kwargs),
            DiscardCopyForm(prefix=f"ecarter-v{version}", **kwargs))


class AvenantForm(FrenchForm):
    title = StringField("Objet de l'avenant", validators=[Needed()], render_kw={"maxlength": 300})
    effective_date = _date_field("Date d'effet de l'avenant",
                                 "Facultative : sans date, l'avenant s'applique dès sa signature.")


class AbandonForm(FrenchForm):
    reason = _comment_field("Motif de l'abandon", required=True)


class SupersedeForm(FrenchForm):
    replaced = SelectField("Convention remplacée", coerce=int, validate_choice=False,
                           validators=[NumberRange(1, 2**31 - 1, "Choisissez une convention de la liste.")],
                           description="Une convention signée (ou résiliée) du même hôpital, que celle-ci remplace.")


class TransmissionForm(FrenchForm):
    date = _date_field("Date de transmission à l'ARS", "Le jour où l'hôpital l'a envoyée à l'ARS ; pas dans le futur.")


class LegalBasesForm(FrenchForm):
    legal_bases = MultiCheckboxField("Fondement juridique", choices=options(LEGAL_BASES.items()),
                                     invalid_choice_message="Fondement inconnu.")
