"""Marshmallow fields and base schema whose validation messages are in French (API users read them)."""

from marshmallow import EXCLUDE, Schema, ValidationError, fields, validate

from registry.core.dates import FIRST_DAY, LAST_DAY, RANGE_MESSAGE
from registry.organisations.identifiers import finess_problem

_COMMON = {
    "required": "champ obligatoire",
    "null": "ce champ ne peut pas être nul",
    "validator_failed": "valeur invalide",
}


class String(fields.String):
    """Text that every database stores: no NUL character (PostgreSQL refuses it), no lone UTF-16 surrogate."""

    default_error_messages = {**_COMMON, "invalid": "texte attendu", "invalid_utf8": "texte UTF-8 invalide",
                              "unstorable": "caractère non autorisé (caractère nul ou UTF-16 isolé)"}

    def _deserialize(self, value, attr, data, **kwargs):
        text = super()._deserialize(value, attr, data, **kwargs)
        try:
            text.encode("utf-8")
        except UnicodeEncodeError:
            raise self.make_error("unstorable") from None
        if "\x00" in text:
            raise self.make_error("unstorable")
        return text


class Integer(fields.Integer):
    default_error_messages = {**_COMMON, "invalid": "nombre entier attendu", "too_large": "nombre trop grand"}


class Boolean(fields.Boolean):
    default_error_messages = {**_COMMON, "invalid": "booléen attendu (true ou false)"}


class Date(fields.Date):
    """A day; one the client sends lies within the days the registry stores (core.dates), unless the field has
    validators of its own."""

    default_error_messages = {**_COMMON, "invalid": "date invalide (format attendu : AAAA-MM-JJ)",
                              "format": "date « {input} » impossible à formater"}

    def __init__(self, **kwargs):
        kwargs.setdefault("validate", validate.Range(min=FIRST_DAY, max=LAST_DAY, error=RANGE_MESSAGE))
        super().__init__(**kwargs)


class List(fields.List):
    default_error_messages = {**_COMMON, "invalid": "liste attendue"}


class Nested(fields.Nested):
    default_error_messages = {**_COMMON, "type": "objet attendu"}


class Inline(Nested):
    """Dumps fields of the object itself under a key (the hospital's territory columns as ``territory``)."""

    def get_value(self, obj, attr, accessor=None, default=None):
        return obj


class FrenchSchema(Schema):
    """Base of every API schema: French messages for wrong input types; extra fields are ignored, as
    docs/interface.md welcomes them."""

    error_messages = {"unknown": "champ inconnu", "type": "objet JSON attendu"}

    class Meta:
        unknown = EXCLUDE


def one_of(vocabulary) -> validate.OneOf:
    """Validator for a code of the shared vocabulary (docs/interface.md), listing the accepted codes."""
    return validate.OneOf(list(vocabulary), error="code inconnu « {input} » (codes acceptés : {choices})")


def codes(vocabulary, **kwargs) -> List:
    """A list of vocabulary codes."""
    return List(String(validate=one_of(vocabulary)), **kwargs)


def valid_finess(number: str) -> None:
    problem = finess_problem(number)
    if problem:
        raise ValidationError(problem)


COMMUNE = validate.Regexp(r"^[0-9][0-9AB][0-9]{3}$", error="code commune INSEE invalide « {input} » (5 caractères)")
