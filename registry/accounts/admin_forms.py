"""Forms of the « Utilisateurs » administration pages."""

import re

from wtforms import EmailField, IntegerField, SelectField, StringField, SubmitField, TextAreaField
from wtforms.validators import DataRequired, Length, NumberRange, Optional, ValidationError

from registry.accounts.administration import ROLE_LABELS
from registry.accounts.emails import AccountEmail
from registry.core.french import upper_first
from registry.core.geography import REGIONS
from registry.organisations.forms import FrenchForm, options
from registry.organisations.identifiers import finess_problem

ROLE_CHOICES = options(ROLE_LABELS.items())
REGION_CHOICES = options(((code, f"{code} – {name}") for code, name in REGIONS.items()), "Aucune")


class AccountForm(FrenchForm):
    """Role and attachments (and, on creation, the e-mail address)."""

    email = EmailField("Adresse électronique", validators=[
        DataRequired("Indiquez l'adresse électronique."), Length(max=254), AccountEmail()])
    display_name = StringField("Nom affiché", validators=[Optional(), Length(max=120, message="120 caractères au plus.")])
    role = SelectField("Rôle", choices=ROLE_CHOICES, invalid_choice_message="Rôle inconnu.")
    region = SelectField("Région (compte ARS)", choices=REGION_CHOICES, default="",
                         invalid_choice_message="Région inconnue.")
    finess = TextAreaField("Établissements (compte établissement)",
                           description="Numéros FINESS ET, séparés par des espaces, virgules ou retours à la ligne.",
                           validators=[Optional(), Length(max=2000, message="2 000 caractères au plus.")])
    submit = SubmitField("Enregistrer")

    def finess_numbers(self) -> list[str]:
        return [number.upper() for number in re.split(r"[\s,;]+", self.finess.data or "") if number]

    def validate_finess(self, field):
        problems = [problem for number in self.finess_numbers() if (problem := finess_problem(number))]
        if problems:
            raise ValidationError(upper_first(" ; ".join(problems)) + ".")

    def validate_region(self, field):
        if self.role.data == "ars" and not field.data:
            raise ValidationError("Un compte ARS doit indiquer sa région.")

    def validate_role(self, field):
        if field.data == "hospital" and not self.finess_numbers():
            raise ValidationError("Un compte établissement doit être rattaché à au moins un numéro FINESS : "
                                  "indiquez ses établissements ci-dessous.")


class EditAccountForm(AccountForm):
    email = None  # the address is the login: it does not change


class TokenForm(FrenchForm):
    label = StringField("Usage du jeton", description="Par exemple : « outil de suivi de l'ARS ».",
                        validators=[Optional(), Length(max=80, message="80 caractères au plus.")])
    days = IntegerField("Durée de validité (jours)", default=365, validators=[
        DataRequired("Indiquez une durée en jours."),
        NumberRange(1, 730, "Entre 1 et 730 jours.")])
    submit = SubmitField("Créer le jeton")


class ConfirmForm(FrenchForm):
    """Only a CSRF token: the account actions are POSTs."""

    submit = SubmitField("Confirmer")
