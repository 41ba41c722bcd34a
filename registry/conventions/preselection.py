"""What a convention page's query string pre-selects (shared by the drafting and the registering pages)."""

from flask import request

from registry.hospitals.models import HospitalProfile, Partnership


def preselected_partnership(hospital: HospitalProfile) -> Partnership | None:
    """The partnership named by ``?partenariat=<id>``, when it is one of this hospital's."""
    wanted = request.args.get("partenariat", type=int)
    return next((p for p in hospital.partnerships if p.id == wanted), None)
