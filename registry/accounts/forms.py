from flask_wtf import FlaskForm
from wtforms import EmailField, PasswordField, SubmitField
from wtforms.validators import DataRequired, EqualTo

from registry.accounts.emails import AccountEmail


class LoginForm(FlaskForm):
    email = EmailField("Adresse électronique", validators=[
        DataRequired("Indiquez votre adresse électronique."),
        AccountEmail()])
    password = PasswordField("Mot de passe", validators=[DataRequired("Indiquez votre mot de passe.")])
    submit = SubmitField("Se connecter")


class ForgottenPasswordForm(FlaskForm):
    email = EmailField("Adresse électronique", validators=[
        DataRequired("Indiquez votre adresse électronique."),
        AccountEmail()])
    submit = SubmitField("Recevoir un lien par courriel")


class NewPasswordForm(FlaskForm):
    """A new password, twice (a one-time link from an administrator)."""

    new = PasswordField("Nouveau mot de passe", description="12 caractères au moins ; une phrase de passe convient "
                                                            "très bien. Les mots de passe les plus courants sont "
                                                            "refusés.",
                        validators=[DataRequired("Indiquez le nouveau mot de passe.")])
    confirm = PasswordField("Nouveau mot de passe, à nouveau", validators=[
        DataRequired("Répétez le nouveau mot de passe."),
        EqualTo("new", "Les deux saisies du nouveau mot de passe diffèrent.")])
    submit = SubmitField("Enregistrer le mot de passe")


class PasswordChangeForm(NewPasswordForm):
    """The user's own new password: the current one first."""

    current = PasswordField("Mot de passe actuel", validators=[DataRequired("Indiquez votre mot de passe actuel.")])
    submit = SubmitField("Changer le mot de passe")
