"""Helpers for the page tests: a small region with hospitals, partners and users."""

import html
import re

import pytest

from registry.extensions import db


@pytest.fixture
def scene(make_organisation, make_hospital, make_partnership, make_user):
    """Two HdP in Côte-d'Or (region 27), one in Rhône (84), an EHPAD partner, and one user per role."""
    class Scene:
        pass

    s = Scene()
    s.hdp = make_hospital(make_organisation(name="CH DE SEMUR", long_name="CENTRE HOSPITALIER DE SEMUR",
                                            category_code="106", city="SEMUR EN AUXOIS", departement="21"))
    s.other = make_hospital(make_organisation(name="CH DE MONTBARD", category_code="106", city="MONTBARD",
                                              departement="21"))
    s.far = make_hospital(make_organisation(name="HOPITAL DE GIVORS", category_code="106", city="GIVORS",
                                            departement="69"))
    s.ehpad = make_organisation(name="EHPAD LES TILLEULS", category_code="500", category_label="EHPAD",
                                city="SEMUR EN AUXOIS", departement="21")
    s.partnership = make_partnership(s.hdp, s.ehpad, themes=["retour_domicile"])
    s.admin = make_user("admin")
    s.ars = make_user("ars", region="27")
    s.ars_other = make_user("ars", region="84")
    s.staff = make_user("hospital", organisations=[s.hdp.organisation])
    s.other_staff = make_user("hospital", organisations=[s.other.organisation])
    db.session.commit()
    return s


def page(response) -> str:
    """The response's HTML with entities decoded, so that assertions read as the page does."""
    return html.unescape(response.get_data(as_text=True))


def text(response) -> str:
    """The response's visible words (tags removed, spaces collapsed), as a screen reader would read them."""
    return " ".join(re.sub(r"<[^>]+>", " ", page(response)).split())
