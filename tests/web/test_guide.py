"""« Aide »: the French user guide served to signed-in users, every link and image of it found, no raw HTML
passed through; the application's icon."""

import re
from pathlib import Path
from urllib.parse import urljoin

import pytest

from registry.guide.pages import PAGES, render
from tests.web.conftest import page, text

GUIDE = Path(__file__).resolve().parents[2] / "docs" / "guide"


@pytest.mark.parametrize("role", ["admin", "ars", "hospital"])
def test_every_page_offers_the_guide_in_the_help_menu(client, login, make_user, role):
    login(make_user(role, region="27" if role == "ars" else None))
    html = page(client.get("/"))
    menu = html[html.index(">Aide</button>"):]
    for slug, label, _title in PAGES:
        assert f'href="/aide/{"" if slug == "index" else slug}">{label}</a>' in menu


def test_each_guide_page_is_shown_with_its_links_and_images_found(client, login, make_user):
    login(make_user("hospital"))
    for slug, _label, title in PAGES:
        url = "/aide/" if slug == "index" else f"/aide/{slug}"
        response = client.get(url)
        assert response.status_code == 200, slug
        html = page(response)
        assert f"<title>{title} · Aide" in html
        article = html[html.index('<article'):html.index('</article>')]
        for target in re.findall(r'(?:href|src)="([^"]+)"', article):
            if target.startswith(("http", "mailto:")):
                continue
            where, _, anchor = urljoin(url, target).partition("#")
            found = client.get(where)
            assert found.status_code == 200, f"{slug}: {target}"
            assert not anchor or f'id="{anchor}"' in page(found), f"{slug}: {target}"


def test_the_role_guides_show_the_screens_at_three_widths(client, login, make_user):
    login(make_user("ars", region="27"))
    screens = page(client.get("/aide/ecrans"))
    for width in (390, 1280, 1920):
        assert f'src="images/conformite-{width}.png"' in screens
    for slug in ("juriste", "ars", "admin"):
        assert 'src="images/' in page(client.get(f"/aide/{slug}")), slug


def test_the_guide_needs_a_login_and_knows_its_pages(client, login, make_user):
    assert client.get("/aide/juriste").status_code == 302
    assert client.get("/aide/images/conformite-1280.png").status_code == 302
    login(make_user("hospital"))
    assert client.get("/aide/index").status_code == 308  # the guide's first page is /aide/
    assert client.get("/aide/inconnue").status_code == 404
    assert client.get("/aide/README").status_code == 404  # a file of the folder, not a page of the guide
    assert client.get("/aide/images/../index.md").status_code == 404
    image = client.get("/aide/images/conformite-1280.png")
    assert image.status_code == 200 and image.mimetype == "image/png"


def test_raw_html_and_unsafe_links_are_never_passed_through():
    html = render("# Titre\n\n<script>alert(1)</script>\n\nUn <b>gras</b> et [lien](javascript:alert(1)), "
                  "[le juriste](juriste.md#rediger), [accueil](index.md), ![écran](images/a-390.png)\n\n"
                  "| a | b |\n| - | - |\n| 1 | 2 |\n")
    assert "<script>" not in html and "&lt;script&gt;" in html
    assert "<b>" not in html and "&lt;b&gt;gras" in html
    assert "javascript:" not in html
    assert '<a href="juriste#rediger">le juriste</a>' in html and '<a href="./">accueil</a>' in html
    assert '<img alt="écran" loading="lazy" src="images/a-390.png"' in html or \
        re.search(r'<img[^>]*src="images/a-390.png"', html)
    assert '<table class="table table-sm table-bordered">' in html


def test_the_application_has_an_icon(client):
    icon = client.get("/favicon.ico")
    assert icon.status_code == 200 and icon.data[:4] == b"\x00\x00\x01\x00"  # an ICO file
    login_page = page(client.get("/connexion"))
    assert 'rel="icon" href="/static/favicon.svg"' in login_page
    assert "Registre des hôpitaux de proximité" in text(client.get("/connexion"))
    assert (GUIDE.parent.parent / "registry" / "static" / "favicon.svg").is_file()
