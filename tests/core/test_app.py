import pytest
from sqlalchemy import inspect

from registry.extensions import db


def test_migrations_build_every_table(app):
    tables = set(inspect(db.engine).get_table_names())
    assert set(db.metadata.tables) <= tables
    assert "alembic_version" in tables


def test_anonymous_user_is_sent_to_login(client):
    response = client.get("/")
    assert response.status_code == 302
    assert "/connexion" in response.headers["Location"]


def test_login_page_is_french_and_has_skip_link(client):
    page = client.get("/connexion").get_data(as_text=True)
    assert 'lang="fr"' in page
    assert "Aller au contenu" in page
    assert "Adresse électronique" in page


def test_login_then_home(client, make_user, login):
    user = make_user("admin")
    login(user)
    response = client.get("/")
    assert response.status_code == 200
    assert "Hôpitaux de proximité" in response.get_data(as_text=True)


def test_factories_make_valid_corsican_finess(make_organisation):
    from registry.organisations.identifiers import finess_problem

    assert finess_problem(make_organisation(departement="2A").finess_et) is None


def test_pages_and_api_carry_security_headers(client):
    for url in ("/connexion", "/api/v1/openapi.json", "/api/v1/hospitals"):
        response = client.get(url)
        assert "default-src 'self'" in response.headers["Content-Security-Policy"], url
        assert response.headers["X-Content-Type-Options"] == "nosniff"
        assert response.headers["X-Frame-Options"] == "DENY"


@pytest.mark.slow
def test_heavy_libraries_wait_for_their_first_use():
    """pyHanko, pypdf, pyproj, mammoth, Alembic, WeasyPrint and the Word and Excel libraries load on first use:
    bundles stay under 100 MB and a command starts without them. The list of communes is read on first use too."""
    import subprocess
    import sys

    code = ("import sys; from registry import create_app; create_app({'SECRET_KEY': 'x', 'DATABASE_URL': 'sqlite://'});"
            "print(sorted(m for m in ('pyhanko', 'pypdf', 'pyproj', 'mammoth', 'alembic', 'flask_migrate', 'docx', 'docxtpl', "
            "'openpyxl', 'weasyprint') if m in sys.modules));"
            "from registry.organisations.communes import _index; print(_index.cache_info().currsize)")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.split() == ["[]", "0"]  # the official list of communes is not read either


def test_stored_utc_times_are_shown_in_paris_time_with_or_without_a_zone():
    from datetime import UTC, datetime

    from registry.core.french import french_datetime

    assert french_datetime(datetime(2026, 11, 23, 2, 16)) == "23 novembre 2026 à 03:16"
    assert french_datetime(datetime(2026, 7, 1, 22, 30, tzinfo=UTC)) == "2 juillet 2026 à 00:30"
