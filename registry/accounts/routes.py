"""Login and logout pages."""

from urllib.parse import urlsplit

from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user

from registry.accounts import forgotten, sessions
from registry.accounts.administration import password_link as find_password_link
from registry.accounts.administration import use_password_link
from registry.accounts.forms import ForgottenPasswordForm, LoginForm, NewPasswordForm, PasswordChangeForm
from registry.accounts.models import ROLE_HOSPITAL
from registry.accounts.services import authenticate, change_password
from registry.core.access import public, signed_in
from registry.core.scope import visible_hospitals
from registry.core.transaction import commit_or_error
from registry.extensions import db, limiter

bp = Blueprint("accounts", __name__)


def _login_limit() -> str:
    return current_app.config["LOGIN_RATE_LIMIT"]


def _home(user) -> str:
    """Where a login leads by default: a hospital user of exactly one hospital to its page, anyone else to the list."""
    if user.role == ROLE_HOSPITAL:
        hospitals = db.session.scalars(visible_hospitals(user).limit(2)).all()
        if len(hospitals) == 1:
            return url_for("hospitals.show", finess=hospitals[0].finess_et)
    return url_for("hospitals.index")


def _safe_next(target: str | None, user) -> str:
    """Only local paths are followed after login (no open redirect)."""
    if target and target.startswith("/") and not target.startswith("//") and not urlsplit(target).netloc:
        return target
    return _home(user)


@bp.route("/connexion", methods=["GET", "POST"])
@limiter.limit(_login_limit, methods=["POST"])
@public
def login():
    form = LoginForm()
    if form.validate_on_submit():
        user = authenticate(form.email.data, form.password.data, client=request.remote_addr)
        if user is not None:
            sessions.start(user)
            flash(f"Bienvenue, {user.label}.", "success")
            return redirect(_safe_next(request.args.get("next"), user))
        flash("Adresse électronique ou mot de passe incorrect. Après 10 essais erronés, le compte est verrouillé "
              "15 minutes.", "danger")
    return render_template("accounts/login.html", form=form)


@bp.route("/connexion/mot-de-passe-oublie", methods=["GET", "POST"])
@limiter.limit(_login_limit, methods=["POST"])
@public
def forgotten_password():
    """A one-time link by e-mail, where the mails can be sent; the same answer whether the account exists or not."""
    if not forgotten.available():
        return render_template("accounts/forgotten.html", form=None)
    form = ForgottenPasswordForm()
    if form.validate_on_submit():
        forgotten.request_link(form.email.data, client=request.remote_addr)
        flash(f"Si un compte actif a l'adresse {form.email.data.strip()}, un courriel vient de lui être envoyé avec "
              f"un lien pour choisir un nouveau mot de passe, valable {current_app.config['PASSWORD_LINK_HOURS']} "
              "heures. Pensez à regarder dans les indésirables.", "info")
        return redirect(url_for("accounts.login"))
    return render_template("accounts/forgotten.html", form=form)


@bp.route("/deconnexion", methods=["POST"])
@signed_in
def logout():
    sessions.end(current_user._get_current_object())
    flash("Vous êtes déconnecté.", "info")
    return redirect(url_for("accounts.login"))


@bp.route("/compte/mot-de-passe", methods=["GET", "POST"])
@signed_in
def password():
    """Every user changes their own password; their other sessions end, this one goes on."""
    form = PasswordChangeForm()
    error = None
    if form.validate_on_submit():
        user = current_user._get_current_object()
        _, error = commit_or_error(lambda: change_password(user, form.current.data, form.new.data))
        if error is None:
            sessions.start(user)  # signed in again under the new session version
            flash("Mot de passe changé. Vos autres sessions sont fermées.", "success")
            return redirect(url_for("hospitals.index"))
    return render_template("accounts/password.html", form=form, error=error), 422 if error else 200


@bp.route("/compte/nouveau-mot-de-passe/<secret>", methods=["GET", "POST"])
@limiter.limit(_login_limit, methods=["POST"])
@public
def password_link(secret: str):
    """The one-time link an administrator gave: the owner of the account sets their password, then signs in."""
    link = find_password_link(secret)
    if link is None:
        return render_template("accounts/link_expired.html"), 404
    form = NewPasswordForm()
    error = None
    if form.validate_on_submit():
        _, error = commit_or_error(lambda: use_password_link(link, form.new.data))
        if error is None:
            flash("Mot de passe enregistré : connectez-vous avec votre adresse et ce mot de passe.", "success")
            return redirect(url_for("accounts.login"))
    return render_template("accounts/password.html", form=form, error=error, user=link.user), \
        422 if error else 200
