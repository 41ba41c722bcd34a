from flask_wtf import FlaskForm
from wtforms import EmailField, PasswordField, SubmitField
from wtforms.validators import DataRequired, Email


class LoginForm(FlaskForm):
    email = EmailField("Adresse électronique", validators=[
        DataRequired("Indiquez votre adresse électronique."),
        Email("Adresse électronique invalide.", check_deliverability=False)])
    password = PasswordField("Mot de passe", validators=[DataRequired("Indiquez votre mot de passe.")])
    submit = SubmitField("Se connecter")
