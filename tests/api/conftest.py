"""Two regions, an HdP in each, and a user of every role with an API token."""

from types import SimpleNamespace

import pytest


@pytest.fixture
def world(make_organisation, make_hospital, make_user, token_headers):
    """``own``: an HdP in Côte-d'Or (region 27); ``other``: an HdP in the Rhône (region 84).

    Users: admin, ars (region 27), ars_other (region 84), hospital (works for ``own``), hospital_other.
    """
    own = make_hospital(make_organisation(departement="21", name="HOPITAL DE BEAUNE", category_code="106"))
    other = make_hospital(make_organisation(departement="69", name="HOPITAL DE GIVORS", category_code="106"))
    users = {
        "admin": make_user("admin"),
        "ars": make_user("ars", region="27"),
        "ars_other": make_user("ars", region="84"),
        "hospital": make_user("hospital", organisations=[own.organisation]),
        "hospital_other": make_user("hospital", organisations=[other.organisation]),
    }
    headers = {role: token_headers(user) for role, user in users.items()}
    return SimpleNamespace(own=own, other=other, users=users, headers=headers)
