"""The convention list's filters and query, and the follow-up page's form (both GET forms on the user's scope).

Status, hospital, partner and text are SQL conditions on visible_conventions(). The end date and the derived
state come from month arithmetic and tacit renewal periods (lifecycle.py), which SQLite and PostgreSQL would
compute differently: one query reads the few columns they need for every convention passing the SQL conditions,
then the state, partner-type and end-date filters, the sort and the page cut run in Python, and only the page's
conventions are loaded in full (two more queries). Three queries whatever the number of conventions, plus one
each for the hospital and partner choices.
"""

import unicodedata
from dataclasses import dataclass
from datetime import date
from math import ceil

from flask import current_app, request
from flask_sqlalchemy.pagination import Pagination
from sqlalchemy import Select, func, or_, select
from sqlalchemy.orm import aliased, joinedload, selectinload
from wtforms import DateField, IntegerField, SelectField, StringField
from wtforms.validators import Length, NumberRange, Optional

from registry.conventions import lifecycle
from registry.conventions.models import PARTY_PARTNER, Convention, ConventionParty
from registry.conventions.statuses import Status
from registry.core import clock
from registry.core.scope import visible_conventions, visible_hospitals
from registry.extensions import db
from registry.hospitals.models import HospitalProfile
from registry.organisations.forms import FrenchForm, options, partner_type_choices
from registry.organisations.models import Organisation

#: The states offered by the list's filter (« résiliée » is a stored status, filtered as such).
STATE_CHOICES = [(code, lifecycle.STATE_LABELS[code]) for code in lifecycle.STATES]
SORTS = {"fin": "Date de fin, la plus proche d'abord", "effet": "Date d'effet, la plus récente d'abord",
         "reference": "Référence"}
#: The follow-up window: 90 days unless asked otherwise, ten years at most.
DEFAULT_DAYS, MAX_DAYS = 90, 3650
DATE_FORMATS = ["%Y-%m-%d", "%d/%m/%Y"]


class ScopedForm(FrenchForm):
    """A GET form whose hospital choice lists the hospitals the user may read."""

    class Meta:
        csrf = False

    hopital = SelectField("Hôpital", choices=[], validators=[Optional()], invalid_choice_message=(
        "Hôpital inconnu ou hors de votre périmètre : le filtre est ignoré."))

    def set_hospitals(self, hospitals: list[HospitalProfile]) -> None:
        self.hospitals = {hospital.finess_et: hospital for hospital in hospitals}
        self.hopital.choices = options(((h.finess_et, h.name) for h in hospitals), "Tous les hôpitaux")

    @property
    def offers_hospitals(self) -> bool:
        """The hospital filter is shown to users who read more than one hospital (ARS, administrators)."""
        return len(self.hospitals) > 1

    def valid(self, name: str):
        """A field's value, None when it is empty or invalid (an invalid filter is ignored, its message shown)."""
        field = self[name]
        return None if field.errors or field.data in ("", None) else field.data

    def chosen_hospital(self) -> HospitalProfile | None:
        return self.hospitals.get(self.valid("hopital"))


class ConventionFilterForm(ScopedForm):
    q = StringField("Recherche", description="Référence, intitulé ou nom d'un partenaire", validators=[
        Optional(), Length(max=100, message="Le texte recherché ne peut dépasser 100 caractères : il est ignoré.")])
    statut = SelectField("Statut", choices=options([(status, status.label) for status in Status], "Tous les statuts"),
                         validators=[Optional()], invalid_choice_message="Statut inconnu : le filtre est ignoré.")
    etat = SelectField("État", choices=options(STATE_CHOICES, "Tous les états"), validators=[Optional()],
                       invalid_choice_message="État inconnu : le filtre est ignoré.")
    type = SelectField("Type de partenaire", choices=partner_type_choices("Tous les types"),
                       validators=[Optional()], invalid_choice_message="Type de partenaire inconnu : le filtre est "
                                                                       "ignoré.")
    partenaire = SelectField("Partenaire", choices=[], validators=[Optional()], invalid_choice_message=(
        "Partenaire inconnu ou sans convention dans votre périmètre : le filtre est ignoré."))
    fin_apres = DateField("Se terminant après le", format=DATE_FORMATS, validators=[Optional()],
                          description="Date incluse")
    fin_avant = DateField("Se terminant avant le", format=DATE_FORMATS, validators=[Optional()],
                          description="Date incluse")
    tri = SelectField("Trier par", choices=options(SORTS.items()), validators=[Optional()],
                      invalid_choice_message="Tri inconnu : les conventions sont triées par date de fin.")

    def set_partners(self, partners: list[Organisation]) -> None:
        self.partenaire.choices = options(((str(p.id), p.display_name) for p in partners), "Tous les partenaires")

    def criteria(self) -> "Criteria":
        hospital = self.chosen_hospital()
        partner = self.valid("partenaire")
        return Criteria(text=(self.valid("q") or "").strip() or None, status=self.valid("statut"),
                        state=self.valid("etat"), partner_type=self.valid("type"),
                        partner_id=int(partner) if partner else None,
                        hospital_id=hospital.id if hospital else None,
                        ends_after=self.valid("fin_apres"), ends_before=self.valid("fin_avant"),
                        sort=self.sort)

    @property
    def sort(self) -> str:
        return self.valid("tri") or "fin"

    @property
    def sort_label(self) -> str:
        return SORTS[self.sort]

    @property
    def is_filtered(self) -> bool:
        return any(self.valid(name) for name in ("q", "statut", "etat", "type", "partenaire", "hopital",
                                                 "fin_apres", "fin_avant"))


class FollowUpForm(ScopedForm):
    jours = IntegerField("Fin dans les prochains … jours", default=DEFAULT_DAYS, validators=[
        Optional(), NumberRange(0, MAX_DAYS, message=f"Indiquez un nombre de jours entre 0 et {MAX_DAYS} : "
                                                     f"la fenêtre reste de {DEFAULT_DAYS} jours.")])

    @property
    def days(self) -> int:
        days = self.valid("jours")
        return DEFAULT_DAYS if days is None else days


def hospital_choices() -> list[HospitalProfile]:
    return list(db.session.scalars(visible_hospitals().order_by(Organisation.name, Organisation.id)))


def partner_choices() -> list[Organisation]:
    """The organisations that are a partner party to a convention the user may read."""
    parties = (select(ConventionParty.organisation_id)
               .where(ConventionParty.role == PARTY_PARTNER,
                      ConventionParty.convention_id.in_(visible_conventions().with_only_columns(Convention.id))))
    return list(db.session.scalars(select(Organisation).where(Organisation.id.in_(parties))
                                   .order_by(func.coalesce(Organisation.long_name, Organisation.name), Organisation.id)))


# --- The list ------------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Criteria:
    text: str | None = None
    status: str | None = None
    state: str | None = None
    partner_type: str | None = None
    partner_id: int | None = None
    hospital_id: int | None = None
    ends_after: date | None = None
    ends_before: date | None = None
    sort: str = "fin"


@dataclass(frozen=True)
class ListedConvention:
    convention: Convention
    #: Last day in force as seen today (the current period's under tacit renewal); None without a duration.
    end: date | None
    #: Derived state today (lifecycle.STATES or resiliee); None while unsigned.
    state: str | None
    avenants: int


class ListPage(Pagination):
    """A page of a list sorted in Python, with db.paginate()'s interface (the pagination macro reads it)."""

    def _query_items(self) -> list:
        start = (self.page - 1) * self.per_page
        return self._query_args["rows"][start:start + self.per_page]

    def _query_count(self) -> int:
        return len(self._query_args["rows"])


#: What lifecycle.end_on() and state_on() read of a main convention, plus the sort and Python filter columns.
LIGHT_COLUMNS = (Convention.id, Convention.reference, Convention.status, Convention.effective_date,
                 Convention.duration_months, Convention.tacit_renewal, Convention.notice_months,
                 Convention.terminated_on, Convention.parent_id, Convention.partner_types)


def _folded(text: str) -> str:
    """The text without accents: FINESS names are written in capitals without them."""
    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))


def _text_condition(text: str):
    variants = dict.fromkeys([text, _folded(text)])
    partner_named = [Organisation.name.icontains(v, autoescape=True) for v in variants] + [
        Organisation.long_name.icontains(v, autoescape=True) for v in variants]
    return or_(*(Convention.reference.icontains(v, autoescape=True) for v in variants),
               *(Convention.title.icontains(v, autoescape=True) for v in variants),
               Convention.parties.any((ConventionParty.role == PARTY_PARTNER)
                                      & ConventionParty.organisation.has(or_(*partner_named))))


def sql_filtered(criteria: Criteria) -> Select:
    """The user's main conventions (avenants are counted on their row) passing the conditions SQL can state."""
    query = visible_conventions().with_only_columns(*LIGHT_COLUMNS).where(Convention.parent_id.is_(None))
    if criteria.status:
        query = query.where(Convention.status == criteria.status)
    if criteria.state:  # only a signed (or terminated) convention has a state
        query = query.where(Convention.was_signed_clause())
    if criteria.hospital_id:
        query = query.where(Convention.hospital_id == criteria.hospital_id)
    if criteria.partner_id:
        query = query.where(Convention.parties.any((ConventionParty.role == PARTY_PARTNER)
                                                   & (ConventionParty.organisation_id == criteria.partner_id)))
    if criteria.text:
        query = query.where(_text_condition(criteria.text))
    return query


def _keeps(row, end: date | None, state: str | None, criteria: Criteria) -> bool:
    if criteria.state and state != criteria.state:
        return False
    if criteria.partner_type and criteria.partner_type not in (row.partner_types or ()):
        return False
    if criteria.ends_after and (end is None or end < criteria.ends_after):
        return False
    return not criteria.ends_before or (end is not None and end <= criteria.ends_before)


def _sort_key(sort: str):
    if sort == "reference":
        return lambda item: item[0].reference
    if sort == "effet":
        return lambda item: (item[0].effective_date is None, -(item[0].effective_date or date.min).toordinal(),
                             item[0].reference)
    return lambda item: (item[1] is None, item[1] or date.max, item[0].reference)


def _page_number(pages: int) -> int:
    """``?page=`` within 1..pages: anything else is page 1, a page past the end is the last one."""
    wanted = request.args.get("page", 1, type=int) or 1
    return min(max(wanted, 1), max(pages, 1))


def list_conventions(criteria: Criteria, at: date | None = None) -> ListPage:
    """One page of the user's conventions matching ``criteria``, as ListedConvention items."""
    at = at or clock.today()
    matched = []
    for row in db.session.execute(sql_filtered(criteria)):
        end, state = lifecycle.end_on(row, at), lifecycle.state_on(row, at)
        if _keeps(row, end, state, criteria):
            matched.append((row, end, state))
    matched.sort(key=_sort_key(criteria.sort))
    per_page = current_app.config["PAGE_SIZE"]
    page = ListPage(page=_page_number(ceil(len(matched) / per_page)), per_page=per_page, max_per_page=None,
                    error_out=False, rows=matched)
    loaded = _load_page([row.id for row, _, _ in page.items])
    page.items = [ListedConvention(loaded[row.id][0], end, state, loaded[row.id][1])
                  for row, end, state in page.items]
    return page


def _load_page(ids: list[int]) -> dict[int, tuple[Convention, int]]:
    """The page's conventions with their hospital, parties and number of avenants (two queries)."""
    avenant = aliased(Convention)
    counts = (select(avenant.parent_id, func.count(avenant.id).label("avenants"))
              .where(avenant.parent_id.in_(ids)).group_by(avenant.parent_id).subquery())
    query = (visible_conventions().add_columns(func.coalesce(counts.c.avenants, 0))
             .outerjoin(counts, counts.c.parent_id == Convention.id)
             .where(Convention.id.in_(ids))
             .options(joinedload(Convention.hospital), selectinload(Convention.parties)))
    return {convention.id: (convention, avenants) for convention, avenants in db.session.execute(query)}
