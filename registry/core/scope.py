"""The one place that says which hospitals (and their conventions and CPOMs) a user may read and edit."""

from flask import abort, has_request_context
from flask_login import current_user
from sqlalchemy import Select, false, or_, select, true

from registry.accounts.models import ROLE_ADMIN, ROLE_ARS, ROLE_HOSPITAL, user_organisations
from registry.cpom.models import Cpom
from registry.extensions import db
from registry.hospitals.models import HospitalProfile, Partnership
from registry.organisations.models import Organisation


def visible_hospitals(user=None) -> Select:
    """HospitalProfile rows the user may read: all (admin), its region (ars), its own (hospital)."""
    user = user or current_user
    query = select(HospitalProfile).join(HospitalProfile.organisation)
    if not getattr(user, "is_authenticated", False):
        return query.where(false())
    if user.role == ROLE_ADMIN:
        return query
    if user.role == ROLE_ARS and user.region:
        return query.where(Organisation.region == user.region)
    if user.role == ROLE_HOSPITAL:
        own = select(user_organisations.c.organisation_id).where(user_organisations.c.user_id == user.id)
        return query.where(HospitalProfile.organisation_id.in_(own))
    return query.where(false())


def readable_organisations(user=None):
    """The clause of the organisations a user may read: every FINESS establishment (public data); an organisation
    outside FINESS (a CPTS, an MSP that a hospital typed in) only through a hospital the user reads that has it as
    a partner. Administrators and commands (no request) read all."""
    if user is None and has_request_context():
        user = current_user
    if user is None or getattr(user, "role", None) == ROLE_ADMIN:
        return true()
    hospitals = visible_hospitals(user).with_only_columns(HospitalProfile.id)
    partners = select(Partnership.partner_id).where(Partnership.hospital_id.in_(hospitals))
    return or_(Organisation.finess_et.isnot(None), Organisation.id.in_(partners))


def readable_organisation(organisation_id: int, user=None) -> Organisation | None:
    """One organisation by id, when the user may read it (readable_organisations), else None."""
    return db.session.scalar(select(Organisation).where(Organisation.id == organisation_id,
                                                        readable_organisations(user)))


def can_edit_hospital(hospital: HospitalProfile, user=None) -> bool:
    """Partners, territory and activities: administrators and the hospital's own users."""
    user = user or current_user
    if user.role == ROLE_ADMIN:
        return True
    return user.role == ROLE_HOSPITAL and any(org.id == hospital.organisation_id for org in user.organisations)


def can_label(organisation: Organisation, user=None) -> bool:
    """Listing an establishment as hôpital de proximité is the ARS's decision: admin, or the ARS of its region."""
    user = user or current_user
    if user.role == ROLE_ADMIN:
        return True
    return user.role == ROLE_ARS and bool(user.region) and organisation.region == user.region


def get_hospital(finess_et: str, *, for_edit: bool = False) -> HospitalProfile:
    """Load a hospital through the user's scope: 404 when out of scope, 403 when read-only for the user."""
    hospital = db.session.scalar(visible_hospitals().where(Organisation.finess_et == finess_et))
    if hospital is None:
        abort(404)
    if for_edit and not can_edit_hospital(hospital):
        abort(403)
    return hospital


def visible_conventions(user=None) -> Select:
    """Conventions of the hospitals the user may read."""
    from registry.conventions.models import Convention

    hospitals = visible_hospitals(user).with_only_columns(HospitalProfile.id)
    return select(Convention).where(Convention.hospital_id.in_(hospitals))


def get_convention(convention_id: int, *, for_edit: bool = False, options=()):
    """Load a convention through the user's scope: 404 out of scope, 403 when read-only for the user.
    ``options``: loader options for what the caller reads next (conventions.services.DRAFT_LOADING)."""
    from registry.conventions.models import Convention

    query = visible_conventions().where(Convention.id == convention_id).options(*options)
    convention = db.session.scalars(query).unique().first()
    if convention is None:
        abort(404)
    if for_edit and not can_edit_hospital(convention.hospital):
        abort(403)
    return convention


def get_organisation(finess_et: str) -> Organisation:
    """The FINESS registry is public data: any signed-in user may read an establishment."""
    organisation = db.session.scalar(select(Organisation).where(Organisation.finess_et == finess_et))
    if organisation is None:
        abort(404)
    return organisation


def visible_cpoms(user=None) -> Select:
    """The CPOMs a user may read: all (admin), its region's (ARS), those covering its hospitals (hospital)."""
    user = user or current_user
    query = select(Cpom)
    if not getattr(user, "is_authenticated", False):
        return query.where(false())
    if user.role == ROLE_ADMIN:
        return query
    if user.role == ROLE_ARS:
        return query.where(Cpom.region == user.region) if user.region else query.where(false())
    own = visible_hospitals(user).with_only_columns(HospitalProfile.id)
    return query.where(Cpom.sites.any(HospitalProfile.id.in_(own)))


def may_write_cpom(user=None) -> bool:
    """CPOMs, engagements, proof requests and reviews: the ARS (of the CPOM's region, by visible_cpoms) or admin."""
    return (user or current_user).role in (ROLE_ADMIN, ROLE_ARS)


def may_declare_cpom(user=None) -> bool:
    """Declarations and proofs: a covered hospital's users (by visible_cpoms) or admin."""
    return (user or current_user).role in (ROLE_ADMIN, ROLE_HOSPITAL)
