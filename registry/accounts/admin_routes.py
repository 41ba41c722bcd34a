"""« Utilisateurs »: the administrator's pages for accounts (the command line does the same: create-user,
create-token, unlock-user)."""

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import func, or_, select

from registry.accounts import administration
from registry.accounts.admin_forms import AccountForm, ConfirmForm, EditAccountForm, TokenForm
from registry.accounts.models import ApiToken, User
from registry.accounts.services import create_token, unlock
from registry.core.access import roles
from registry.core.transaction import commit_or_error
from registry.extensions import db

bp = Blueprint("users_admin", __name__, url_prefix="/admin/utilisateurs")

STATUS_FILTERS = {"": "Tous", "actifs": "Actifs", "desactives": "Désactivés"}


def _user(user_id: int) -> User:
    return db.session.get(User, user_id) or abort(404)


def _link(secret: str) -> str:
    return url_for("accounts.password_link", secret=secret, _external=True)


@bp.route("/")
@roles("admin")
def index():
    query = select(User).order_by(User.email)
    text = (request.args.get("q") or "").strip()[:100]
    if text:
        pattern = f"%{text.lower()}%"
        query = query.where(or_(func.lower(User.email).like(pattern), func.lower(User.display_name).like(pattern)))
    role = request.args.get("role", "")
    if role in administration.ROLE_LABELS:
        query = query.where(User.role == role)
    status = request.args.get("statut", "")
    if status in STATUS_FILTERS and status:
        query = query.where(User.active.is_(status == "actifs"))
    users = db.session.scalars(query).all()
    return render_template("accounts/admin/index.html", users=users, text=text, role=role, status=status,
                           roles=administration.ROLE_LABELS, statuses=STATUS_FILTERS)


@bp.route("/nouveau", methods=["GET", "POST"])
@roles("admin")
def create():
    form = AccountForm()
    error = None
    if form.validate_on_submit():
        created, error = commit_or_error(lambda: administration.create_account(
            form.email.data, form.role.data, finess=form.finess_numbers(), region=form.region.data or None,
            display_name=(form.display_name.data or "").strip() or None))
        if error is None:
            user, secret = created
            return render_template("accounts/admin/link.html", user=user, link=_link(secret), created=True)
    return render_template("accounts/admin/form.html", form=form, error=error, user=None), 422 if error else 200


@bp.route("/<int(max=2147483647):user_id>", methods=["GET", "POST"])
@roles("admin")
def edit(user_id: int):
    user = _user(user_id)
    form = EditAccountForm(obj=user if request.method == "GET" else None)
    if request.method == "GET":
        form.finess.data = "\n".join(o.finess_et or "" for o in user.organisations)
        form.region.data = user.region or ""
    error = None
    if form.validate_on_submit():
        _, error = commit_or_error(lambda: administration.update_account(
            user, role=form.role.data, finess=form.finess_numbers(), region=form.region.data or None,
            display_name=form.display_name.data))
        if error is None:
            flash(f"Compte {user.email} enregistré.", "success")
            return redirect(url_for("users_admin.edit", user_id=user.id))
    tokens = db.session.scalars(select(ApiToken).where(ApiToken.user_id == user.id)
                                .order_by(ApiToken.created_at.desc())).all()
    return render_template("accounts/admin/form.html", form=form, error=error, user=user, tokens=tokens,
                           token_form=TokenForm(formdata=None), confirm=ConfirmForm(),
                           token_state=administration.token_state), 422 if error else 200


def _action(user_id: int, action, message: str):
    """A POST button of the account page: run it, say what happened, back to the account."""
    user = _user(user_id)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    _, error = commit_or_error(lambda: action(user))
    flash(error or message.format(email=user.email), "danger" if error else "success")
    return redirect(url_for("users_admin.edit", user_id=user.id))


@bp.route("/<int(max=2147483647):user_id>/desactiver", methods=["POST"])
@roles("admin")
def deactivate(user_id: int):
    actor = current_user._get_current_object()
    return _action(user_id, lambda user: administration.set_active(user, False, actor),
                   "Compte {email} désactivé : ses sessions sont fermées et ses jetons ne servent plus.")


@bp.route("/<int(max=2147483647):user_id>/reactiver", methods=["POST"])
@roles("admin")
def reactivate(user_id: int):
    actor = current_user._get_current_object()
    return _action(user_id, lambda user: administration.set_active(user, True, actor), "Compte {email} réactivé.")


@bp.route("/<int(max=2147483647):user_id>/deverrouiller", methods=["POST"])
@roles("admin")
def unlock_account(user_id: int):
    return _action(user_id, unlock, "Compte {email} déverrouillé.")


@bp.route("/<int(max=2147483647):user_id>/lien-mot-de-passe", methods=["POST"])
@roles("admin")
def password_link(user_id: int):
    user = _user(user_id)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    secret, error = commit_or_error(lambda: administration.issue_password_link(user))
    if error:
        flash(error, "danger")
        return redirect(url_for("users_admin.edit", user_id=user.id))
    return render_template("accounts/admin/link.html", user=user, link=_link(secret), created=False)


@bp.route("/<int(max=2147483647):user_id>/jetons", methods=["POST"])
@roles("admin")
def new_token(user_id: int):
    user = _user(user_id)
    form = TokenForm()
    if not form.validate_on_submit():
        flash("Jeton non créé : " + " ".join(error for errors in form.errors.values() for error in errors), "danger")
        return redirect(url_for("users_admin.edit", user_id=user.id))
    token, _ = commit_or_error(lambda: create_token(user, form.days.data, form.label.data))
    return render_template("accounts/admin/token.html", user=user, token=token, days=form.days.data)


@bp.route("/<int(max=2147483647):user_id>/jetons/<int(max=2147483647):token_id>/revoquer", methods=["POST"])
@roles("admin")
def revoke(user_id: int, token_id: int):
    token = db.session.scalar(select(ApiToken).where(ApiToken.id == token_id, ApiToken.user_id == user_id))
    if token is None:
        abort(404)
    return _action(user_id, lambda user: administration.revoke_token(token),
                   f"Jeton {token.prefix}… révoqué : il ne donne plus accès à l'API.")
