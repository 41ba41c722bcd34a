"""The CPOM pages' forms: the ARS creates a CPOM and chooses its engagements, the establishment declares a year's value
and brings proof, the ARS asks for proof and validates or contests.

The forms only read what is typed (a number, a date, a choice); the rules are the domain's (services.py,
campaign.py), which answers in French. Forms repeated once per engagement on a page take a prefix naming the
engagement, so that their fields and CSRF tokens never collide.
"""

from flask_wtf.file import FileField, FileRequired
from wtforms import BooleanField, FloatField, IntegerField, RadioField, SelectField, TextAreaField
from wtforms.validators import InputRequired, Length, NumberRange, Optional
from wtforms.widgets import TextInput

from registry.cpom import workflow
from registry.cpom.assessment import COMPARATORS
from registry.cpom.catalogue import LISTE
from registry.organisations.forms import INVALID_DATE, DayField, FrenchForm, MultiCheckboxField, options

COMMENT_MAX = 4000
#: How a target's comparator reads on the page.
COMPARATOR_LABELS = {">=": "≥ au moins", "<=": "≤ au plus", "=": "= égal à",
                     "present": "présent (oui, une action au moins, un texte)"}
assert set(COMPARATOR_LABELS) == set(COMPARATORS)


class DecimalCommaField(FloatField):
    """A number typed the French way (« 0,25 ») or the English one (« 0.25 »): a text input, since a number input
    would refuse the comma in some browsers."""

    widget = TextInput()

    def _value(self):
        if self.raw_data:
            return self.raw_data[0]
        return "" if self.data is None else f"{self.data:.10g}".replace(".", ",")

    def process_formdata(self, valuelist):
        if valuelist:
            valuelist = [valuelist[0].replace(",", ".").replace("\u202f", "").replace(" ", "")]
        super().process_formdata(valuelist)


def _number(label: str, description: str = "") -> DecimalCommaField:
    return DecimalCommaField(label, validators=[Optional()], description=description,
                             render_kw={"inputmode": "decimal"})


def _date(label: str, description: str = "", required: bool = True) -> DayField:
    return DayField(label, description=description,
                    validators=[InputRequired(INVALID_DATE) if required else Optional()])


def _comment(label: str) -> TextAreaField:
    return TextAreaField(label, validators=[Length(max=COMMENT_MAX, message="4 000 caractères au plus.")],
                         render_kw={"rows": 2})


class CpomForm(FrenchForm):
    signed_on = _date("Date de signature", "Pas dans le futur.")
    effective_on = _date("Date d'effet", "Premier jour du contrat ; sa fin, l'évaluation à mi-parcours et la "
                                         "demande de renouvellement en sont déduites.")
    duration_years = IntegerField("Durée (en années)", default=5, description="Cinq ans selon l'article L6114-1.",
                                  validators=[InputRequired("Indiquez la durée en années."),
                                              NumberRange(1, 10, "La durée va de 1 à 10 ans.")])


class EngagementForm(FrenchForm):
    indicator = SelectField("Engagement du catalogue", choices=[], invalid_choice_message="Engagement inconnu.")
    comparator = SelectField("Cible", choices=options(COMPARATOR_LABELS.items()),
                             invalid_choice_message="Comparateur inconnu.",
                             description="Un indicateur chiffré se compare à une valeur ; les autres avec « présent ».")
    target_value = _number("Valeur cible", "Dans l'unité de l'indicateur (un ratio est une fraction : 0,3) ; vide : "
                                           "selon négociation.")
    applicable = BooleanField("L'engagement s'applique à l'établissement", default=True)
    reason = _comment("Motif de non-application")

    def offer(self, catalogue, taken: set[str]) -> "EngagementForm":
        """Its choices: the catalogue's entries not yet in the CPOM."""
        self.indicator.choices = options((item.code, f"{item.label} ({item.unit})") for item in catalogue.indicators
                                         if item.code not in taken)
        return self


class DeclarationForm(FrenchForm):
    """One engagement's value: the page shows the fields of its kind (yes/no, checklist, ratio...)."""

    answer = RadioField("Réponse", choices=options((("oui", "Oui"), ("non", "Non"))), validators=[Optional()],
                        invalid_choice_message="Répondez oui ou non.")
    items = MultiCheckboxField("Actions mises en place", choices=[], validators=[Optional()],
                               invalid_choice_message="Action inconnue.")
    numerator = _number("Numérateur")
    denominator = _number("Dénominateur")
    value = _number("Valeur")
    text = TextAreaField("Réponse", validators=[Length(max=COMMENT_MAX, message="4 000 caractères au plus.")],
                         render_kw={"rows": 2})
    comment = _comment("Commentaire (facultatif)")

    def for_indicator(self, spec) -> "DeclarationForm":
        self.spec = spec
        if spec.kind == LISTE:
            self.items.choices = options((item, item) for item in spec.items)
        return self

    def answer_value(self):
        return {"oui": True, "non": False}.get(self.answer.data)


class ProofForm(FrenchForm):
    # The content is checked, never the name (proofs.check_proof).
    file = FileField("Preuve (PDF ou document bureautique)",
                     validators=[FileRequired("Choisissez le fichier de la preuve.")])


class ProofRequestForm(FrenchForm):
    due = _date("Preuve attendue avant le")


class ReviewForm(FrenchForm):
    decision = RadioField("Décision", validators=[InputRequired("Choisissez de valider ou de contester.")],
                          choices=options((code, workflow.STATUS_LABELS[code]) for code in workflow.DECISIONS),
                          invalid_choice_message="Décision inconnue.")
    comment = _comment("Commentaire de l'ARS (obligatoire pour contester)")

