"""Registry forms: the establishment search (a GET form), the French base form every page form uses and its day
field."""

from flask_wtf import FlaskForm
from wtforms import DateField, SelectChoice, SelectField, SelectMultipleField, StringField
from wtforms.i18n import get_translations
from wtforms.validators import Length, Optional, Regexp, StopValidation, ValidationError
from wtforms.widgets import CheckboxInput, ListWidget

from registry.core.dates import FIRST_DAY, LAST_DAY
from registry.core.geography import DEPARTEMENTS, departement_label
from registry.core.vocabulary import PARTNER_TYPES
from registry.organisations.identifiers import finess_problem

FRENCH = get_translations(["fr"])


class FrenchForm(FlaskForm):
    """WTForms' own messages (bad choice, CSRF...) in French, without Flask-Babel."""

    class Meta:
        def get_translations(self, form):
            return FRENCH


INVALID_DATE = "Date invalide : utilisez le format JJ/MM/AAAA."
#: The date input sends ISO dates; a browser without it lets people type French ones.
DATE_FORMATS = ["%Y-%m-%d", "%d/%m/%Y"]
OUT_OF_RANGE = f"Indiquez une date entre {FIRST_DAY.year} et {LAST_DAY.year}."


class DayField(DateField):
    """A day a user records (ISO or JJ/MM/AAAA), within the days the registry stores (core.dates): a year 1 or 9999
    is refused with the field's other errors, never saved nor left to break date arithmetic later."""

    def __init__(self, label=None, validators=None, **kwargs):
        kwargs.setdefault("format", DATE_FORMATS)
        kwargs.setdefault("invalid_value_message", INVALID_DATE)
        kwargs["render_kw"] = {"min": FIRST_DAY.isoformat(), "max": LAST_DAY.isoformat(),
                               **(kwargs.get("render_kw") or {})}
        super().__init__(label, validators, **kwargs)

    def pre_validate(self, form):
        if self.data is not None and not FIRST_DAY <= self.data <= LAST_DAY:
            raise StopValidation(OUT_OF_RANGE)


class MultiCheckboxField(SelectMultipleField):
    """A list of checkboxes (templates render it as a fieldset with a legend)."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


def options(pairs, blank: str | None = None) -> list[SelectChoice]:
    """(code, label) pairs as WTForms choices, after an empty « all » option when ``blank`` is given."""
    choices = [SelectChoice(code, label) for code, label in pairs]
    return [SelectChoice("", blank), *choices] if blank is not None else choices


def departement_choices(blank: str | None = None) -> list[SelectChoice]:
    return options(((code, departement_label(code)) for code in DEPARTEMENTS), blank)


def partner_type_choices(blank: str | None = None) -> list[SelectChoice]:
    return options(PARTNER_TYPES.items(), blank)


class EstablishmentSearchForm(FrenchForm):
    """Criteria read from the query string; the category choices come from the registry (category_choices).

    The FINESS criterion is called ``numero`` so that it never collides with a route's ``finess`` argument.
    """

    class Meta:
        csrf = False

    q = StringField("Nom de l'établissement", validators=[
        Optional(), Length(max=100, message="Le nom recherché ne peut dépasser 100 caractères.")])
    numero = StringField("Numéro FINESS", description="ET ou EJ, complet ou début du numéro",
                         validators=[Optional(), Regexp(
                             r"^\s*[0-9][0-9ABab]?[0-9]{0,7}\s*$",
                             message="Un numéro FINESS compte 9 caractères : des chiffres, "
                                     "et 2A ou 2B pour la Corse.")])
    commune = StringField("Commune", description="Nom, code postal ou code INSEE", validators=[
        Optional(), Length(max=100, message="La commune recherchée ne peut dépasser 100 caractères.")])
    departement = SelectField("Département", choices=departement_choices("Tous les départements"),
                              validators=[Optional()], invalid_choice_message="Département inconnu.")
    category = SelectField("Catégorie FINESS", choices=[], validators=[Optional()],
                           invalid_choice_message="Catégorie inconnue.")
    partner_type = SelectField("Type de partenaire", choices=partner_type_choices("Tous les types"),
                               validators=[Optional()], invalid_choice_message="Type de partenaire inconnu.")

    def validate_numero(self, field):
        """A complete number (9 characters) must be a real one: a wrong key finds nothing, say why instead."""
        number = (field.data or "").strip().upper()
        if len(number) == 9 and (problem := finess_problem(number)):
            raise ValidationError(problem[0].upper() + problem[1:] + ".")

    def criteria(self) -> dict:
        """The valid criteria, as keyword arguments of search_registry."""
        return {"name": self.q.data, "finess": self.numero.data, "commune": self.commune.data,
                "departement": self.departement.data, "category": self.category.data,
                "partner_type": self.partner_type.data}

    @property
    def is_filled(self) -> bool:
        return any(value for value in self.criteria().values())
