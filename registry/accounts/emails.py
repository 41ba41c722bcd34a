"""What counts as an e-mail address an account can have: one rule for the command that creates accounts and the
login form, so that an account created can always sign in."""

from email_validator import EmailNotValidError, validate_email
from wtforms.validators import ValidationError


def email_problem(email: str) -> str | None:
    """None for an address the login form accepts, else why not (in French). Deliverability is not checked."""
    try:
        validate_email(email, check_deliverability=False)
    except EmailNotValidError:
        return f"adresse électronique invalide : « {email} » (forme nom@domaine.fr attendue, domaine public)"
    return None


class AccountEmail:
    """The WTForms validator of email_problem."""

    def __init__(self, message: str = "Adresse électronique invalide."):
        self.message = message

    def __call__(self, form, field):
        if field.data and email_problem(field.data):
            raise ValidationError(self.message)
