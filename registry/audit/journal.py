"""The audit journal as administrators and ARS read it: which entries a user may see, the filters, the export."""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from sqlalchemy import Select, false, or_, select
from wtforms import DateField, SelectField, StringField
from wtforms.validators import Length, Optional

from registry.accounts.models import ROLE_ADMIN, ROLE_ARS, User
from registry.audit.models import AuditLog
from registry.conventions.filters import DATE_FORMATS, ScopedForm
from registry.core import clock
from registry.core.french import PARIS
from registry.core.scope import visible_hospitals
from registry.hospitals.models import HospitalProfile
from registry.organisations.forms import options

#: The families of actions the journal filters on: label and the action prefixes (models' record_audit calls).
FAMILIES = {
    "connexions": ("Connexions et verrouillages", ("user.login", "user.locked", "user.unlocked")),
    "telechargements": ("Téléchargements", ("document.download", "bundle.download")),
    "comptes": ("Comptes et jetons", ("user.create", "user.update", "user.activate", "user.deactivate",
                                      "user.password", "token.", "calendar.")),
    "conventions": ("Conventions", ("convention.",)),
    "partenaires": ("Hôpitaux et partenaires", ("hospital.", "partnership.", "organisation.")),
    "cpom": ("CPOM", ("cpom.",)),
    "modeles": ("Modèles", ("template.",)),
}
HEADINGS = ("Date (heure de Paris)", "Action", "Auteur", "Objet", "Identifiant", "FINESS", "Hôpital", "Résumé")
WIDTHS = (20, 22, 30, 16, 10, 12, 34, 80)
#: An export stops there: the journal of a region for years fits; a filter narrows it.
EXPORT_LIMIT = 100_000


def visible_entries(user) -> Select:
    """Administrators read every entry; an ARS user the entries on its region's hospitals and those of the
    region's ARS accounts; nobody else reads the journal."""
    query = select(AuditLog).outerjoin(HospitalProfile, AuditLog.hospital_id == HospitalProfile.id)
    if user.role == ROLE_ADMIN:
        return query
    if user.role == ROLE_ARS and user.region:
        hospitals = visible_hospitals(user).with_only_columns(HospitalProfile.id)
        colleagues = select(User.id).where(User.role == ROLE_ARS, User.region == user.region)
        return query.where(or_(AuditLog.hospital_id.in_(hospitals), AuditLog.actor_id.in_(colleagues)))
    return query.where(false())


class JournalFilterForm(ScopedForm):
    famille = SelectField("Type d'action", choices=options(((code, label) for code, (label, _) in FAMILIES.items()),
                                                           "Toutes les actions"),
                          validators=[Optional()], invalid_choice_message="Type d'action inconnu : le filtre est "
                                                                          "ignoré.")
    auteur = StringField("Auteur", description="Adresse électronique ou une partie", validators=[
        Optional(), Length(max=100, message="L'auteur recherché ne peut dépasser 100 caractères : il est ignoré.")])
    du = DateField("Du", format=DATE_FORMATS, validators=[Optional()], description="Date incluse")
    au = DateField("Au", format=DATE_FORMATS, validators=[Optional()], description="Date incluse")


@dataclass
class Criteria:
    family: str | None = None
    author: str | None = None
    hospital_id: int | None = None
    start: date | None = None
    end: date | None = None

    @classmethod
    def of(cls, form: JournalFilterForm) -> "Criteria":
        hospital = form.chosen_hospital()
        return cls(family=form.valid("famille"), author=(form.valid("auteur") or "").strip().lower() or None,
                   hospital_id=hospital.id if hospital else None, start=form.valid("du"), end=form.valid("au"))


def _start_of(day: date) -> datetime:
    """Midnight in Paris, the day the user means, as the stored UTC instant."""
    return datetime.combine(day, time(0), tzinfo=PARIS)


def filtered(query: Select, criteria: Criteria) -> Select:
    if criteria.family:
        prefixes = FAMILIES[criteria.family][1]
        query = query.where(or_(*(AuditLog.action.startswith(prefix) for prefix in prefixes)))
    if criteria.author:
        query = query.where(AuditLog.actor_label.contains(criteria.author, autoescape=True))
    if criteria.hospital_id:
        query = query.where(AuditLog.hospital_id == criteria.hospital_id)
    if criteria.start:
        query = query.where(AuditLog.at >= _start_of(criteria.start))
    if criteria.end:
        query = query.where(AuditLog.at < _start_of(criteria.end + timedelta(days=1)))
    return query.order_by(AuditLog.at.desc(), AuditLog.id.desc())


def rows(entries) -> list[list]:
    lines = [list(HEADINGS)]
    for entry in entries:
        hospital = entry.hospital
        at = clock.as_utc(entry.at).astimezone(PARIS).replace(tzinfo=None, microsecond=0)
        lines.append([at, entry.action, entry.actor_label, entry.object_type,
                      entry.object_id, hospital.finess_et if hospital else None, hospital.name if hospital else None,
                      entry.summary])
    return lines
