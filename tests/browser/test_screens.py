"""Every main page fits its screen: on a phone (390 px), a laptop (1280 px) and a wide screen (1920 px) no page is
wider than the window (tables scroll inside their card); at 1280, 1366 and 1920 px the compliance dashboard's
filters stay inside their card, its selects show their whole option and its count tables and the convention list
need no sideways scroll, and each account's menu holds on one line; the charts' labels keep their 12 px on a phone
and a laptop; every outline button's text has a contrast of 4.5:1 at least on what lies behind it; each page has
its own title and the keyboard's focus a solid ring. The data is the demo region's, seen by its three demo
accounts.

``GUIDE_SCREENSHOTS=1`` also saves what the window shows of each page as docs/guide/images/<page>-<width>.png,
the user guide's illustrations (docs/guide/README.md); an ordinary run writes nothing.
"""

import os
from dataclasses import dataclass
from pathlib import Path

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from registry.conventions import lifecycle
from registry.conventions.models import Convention
from registry.demo.loader import ACCOUNTS, load_demo_data
from registry.documents.versions import sync_shipped_templates
from registry.extensions import db
from registry.hospitals.models import HospitalProfile, Partnership
from tests.conventions.builders import drafted_convention

pytestmark = pytest.mark.browser

GUIDE_IMAGES = Path(__file__).resolve().parents[2] / "docs" / "guide" / "images"
#: Window sizes: a phone, a laptop, a wide screen.
HEIGHTS = {390: 844, 1280: 800, 1366: 768, 1920: 1080}
#: Set to write the guide's screenshots and its page of screens.
GENERATE = bool(os.environ.get("GUIDE_SCREENSHOTS"))
PASSWORDS = {role: (email, password) for email, password, role, _options in ACCOUNTS}
#: The demo juriste's hospital.
FINESS = next(options["finess"][0] for _email, _password, role, options in ACCOUNTS if role == "hospital")


@dataclass(frozen=True)
class Screen:
    name: str  #: the screenshot's file name, without width
    role: str  #: the demo account that visits it
    path: str
    label: str  #: its caption in the guide


@pytest.fixture
def demo_screens(app) -> list[Screen]:
    """The demo region, with at least one drafted and signed convention, and the main pages of each account."""
    load_demo_data()
    sync_shipped_templates()
    hospital = db.session.scalar(select(HospitalProfile).where(HospitalProfile.organisation.has(finess_et=FINESS)))
    convention = db.session.scalar(select(Convention).where(Convention.hospital_id == hospital.id,
                                                            Convention.template_version_id.is_not(None))
                                   .order_by(Convention.id))
    partnerships = db.session.scalars(select(Partnership).where(Partnership.hospital_id == hospital.id)).all()
    ehpad = next(partnership for partnership in partnerships if "ehpad" in partnership.partner_types)
    if convention is None:
        convention = drafted_convention(hospital, ehpad, status=lifecycle.SIGNEE)
    db.session.commit()
    finess = hospital.finess_et
    return [
        Screen("accueil", "hospital", "/",
               "Accueil : la liste des hôpitaux de proximité (juriste)"),
        Screen("hopital", "hospital", f"/hopitaux/{finess}",
               "La fiche de l'hôpital"),
        Screen("hopital-conformite", "hospital", f"/hopitaux/{finess}/conformite",
               "Le détail de la conformité d'un hôpital"),
        Screen("partenaire", "hospital", f"/hopitaux/{finess}/partenaires/{ehpad.id}",
               "La fiche d'un partenaire"),
        Screen("ajout-partenaire", "hospital", f"/hopitaux/{finess}/partenaires/ajouter?commune=Dijon"
                                               "&partner_type=ehpad",
               "L'ajout d'un partenaire depuis le FINESS"),
        Screen("choix-modele", "hospital", f"/hopitaux/{finess}/conventions/nouvelle",
               "Le choix du modèle de convention"),
        Screen("nouvelle-convention", "hospital", f"/hopitaux/{finess}/conventions/nouvelle/ehpad",
               "Le formulaire d'une nouvelle convention"),
        Screen("convention", "hospital", f"/conventions/{convention.id}",
               "La page d'une convention"),
        Screen("conventions", "hospital", "/conventions",
               "La liste des conventions"),
        Screen("echeances", "hospital", "/conventions/echeances",
               "Les échéances"),
        Screen("enregistrer-convention", "hospital", f"/hopitaux/{finess}/conventions/enregistrer",
               "L'enregistrement d'une convention déjà signée"),
        Screen("import-conventions", "hospital", f"/hopitaux/{finess}/conventions/import",
               "L'import d'un lot de conventions"),
        Screen("cpom-hopital", "hospital", f"/hopitaux/{finess}/cpom",
               "Le suivi du CPOM d'un hôpital"),
        Screen("etablissements", "hospital", "/etablissements/?commune=Dijon&partner_type=ehpad",
               "La recherche dans le registre FINESS"),
        Screen("ars-accueil", "ars", "/",
               "Accueil : les hôpitaux de la région (ARS)"),
        Screen("conformite", "ars", "/conformite",
               "Le tableau de bord de conformité (ARS)"),
        Screen("ars-hopital", "ars", f"/hopitaux/{finess}",
               "La fiche d'un hôpital vue par l'ARS"),
        Screen("cpom-campagne", "ars", "/cpom/campagne",
               "La campagne CPOM de la région (ARS)"),
        Screen("ars-conventions", "ars", "/conventions",
               "Les conventions de la région (ARS)"),
        Screen("journal", "ars", "/journal/",
               "Le journal des actions de la région (ARS)"),
        Screen("modeles", "admin", "/administration/modeles/",
               "Les modèles de conventions (administrateur)"),
        Screen("televerser-modele", "admin", "/administration/modeles/televerser",
               "Le dépôt d'un modèle (administrateur)"),
        Screen("utilisateurs", "admin", "/admin/utilisateurs/",
               "Les comptes des utilisateurs (administrateur)"),
        Screen("aide", "hospital", "/aide/",
               "Ce guide, dans le menu « Aide »"),
    ]


def sign_in(page, live_server, role: str) -> None:
    email, password = PASSWORDS[role]
    page.context.clear_cookies()
    page.goto(f"{live_server}/connexion")
    page.get_by_label("Adresse électronique").fill(email)
    page.get_by_label("Mot de passe").fill(password)
    page.get_by_role("button", name="Se connecter").click()
    expect(page.get_by_role("status").filter(has_text="Bienvenue")).to_be_visible()


#: The page's width beyond the window, and the visible elements that stick out (those inside a scrolling box
#: excepted: they scroll within it).
OVERFLOW = """() => {
  const root = document.documentElement;
  const limit = root.clientWidth;
  const scrolls = (el) => {
    if (['absolute', 'fixed'].includes(getComputedStyle(el).position)) return false;
    for (let p = el.parentElement; p && p !== document.body; p = p.parentElement) {
      if (['auto', 'scroll', 'hidden'].includes(getComputedStyle(p).overflowX)) return true; }
    return false; };
  const culprits = [];
  for (const el of document.body.querySelectorAll('*')) {
    const box = el.getBoundingClientRect();
    if (box.width && box.right > limit + 1 && !scrolls(el)) {
      const classes = typeof el.className === 'string' ? el.className.trim().split(/\\s+/).join('.') : '';
      culprits.push(el.tagName.toLowerCase() + (el.id ? '#' + el.id : '') + (classes ? '.' + classes : '') +
                    ' right=' + Math.round(box.right));
    }
  }
  return {excess: root.scrollWidth - limit, culprits: culprits.slice(0, 5)};
}"""


def overflow(page) -> dict:
    return page.evaluate(OVERFLOW)


GALLERY_INTRO = """# Les écrans sur téléphone, portable et grand écran

Le registre s'utilise sur un téléphone (390 pixels de large), un ordinateur portable (1 280 pixels) et un grand
écran (1 920 pixels). Aucune page n'y est plus large que l'écran : un tableau trop large défile à l'intérieur de
son cadre, et sur téléphone la barre de navigation se replie derrière le bouton « Ouvrir le menu ». Chaque image
montre ce que la fenêtre affiche à l'ouverture de la page, avec les données de démonstration.
"""
WIDTHS = {390: "sur téléphone", 1280: "sur ordinateur portable", 1920: "sur grand écran"}


def write_gallery(screens: list[Screen]) -> None:
    """docs/guide/ecrans.md: every screen at the three widths, in the order the test visits them."""
    lines = [GALLERY_INTRO]
    for screen in screens:
        lines.append(f"## {screen.label}\n")
        lines += [f"![{screen.label}, {words}](images/{screen.name}-{width}.png)\n"
                  for width, words in WIDTHS.items()]
    (GUIDE_IMAGES.parent / "ecrans.md").write_text("\n".join(lines).rstrip() + "\n", encoding="utf-8")


def save_for_guide(page, name: str, width: int) -> None:
    """What the window shows, as a palette PNG (a few dozen kilobytes)."""
    from io import BytesIO

    from PIL import Image

    GUIDE_IMAGES.mkdir(parents=True, exist_ok=True)
    image = Image.open(BytesIO(page.screenshot())).convert("RGB")
    image.quantize(colors=128, method=Image.Quantize.MEDIANCUT).save(
        GUIDE_IMAGES / f"{name}-{width}.png", optimize=True)


@pytest.mark.parametrize("width", list(WIDTHS))
def test_no_main_page_is_wider_than_the_screen(width, demo_screens, live_server, browser_page):
    page = browser_page
    page.set_viewport_size({"width": width, "height": HEIGHTS[width]})
    wider = {}
    role = None
    for screen in demo_screens:
        if screen.role != role:
            sign_in(page, live_server, screen.role)
            role = screen.role
        response = page.goto(live_server + screen.path)
        if response.status != 200:
            wider[screen.path] = response.status
            continue
        measured = overflow(page)
        if measured["excess"] > 0:
            wider[screen.path] = measured
        if GENERATE:
            save_for_guide(page, screen.name, width)
    if GENERATE:
        write_gallery(demo_screens)
    assert not wider, f"pages wider than {width} px (or not shown): {wider}"


#: Each control of the page's filter form inside its card, and each select wide enough for the option it shows.
FILTERS_FIT = """() => {
  const problems = [];
  const form = document.querySelector('main form[method=get]');
  const limit = (form.closest('.card') || form).getBoundingClientRect();
  for (const el of form.querySelectorAll('button, select, input:not([type=hidden]), a.btn')) {
    const box = el.getBoundingClientRect();
    if (box.left < limit.left - 1 || box.right > limit.right + 1) {
      problems.push('outside the card: ' + (el.name || el.textContent.trim()));
    }
  }
  const canvas = document.createElement('canvas').getContext('2d');
  for (const select of form.querySelectorAll('select')) {
    const style = getComputedStyle(select);
    canvas.font = style.font;
    const text = select.options[select.selectedIndex].text;
    const room = select.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight);
    if (canvas.measureText(text).width > room + 1) problems.push('select cut: ' + text);
  }
  return problems;
}"""
#: Each table of the page as wide as its box (nothing hidden behind a sideways scroll), the compliance matrix aside.
TABLES_FIT = """() => Array.from(document.querySelectorAll('main table:not(.compliance-table)'))
  .filter((table) => table.scrollWidth > table.parentElement.clientWidth + 1)
  .map((table) => 'table cut: ' + (table.caption ? table.caption.textContent.trim() : table.className))"""


@pytest.mark.parametrize("width", [1280, 1366, 1920])
def test_the_compliance_dashboard_and_the_list_fit_a_laptop(width, demo_screens, live_server, browser_page):
    page = browser_page
    page.set_viewport_size({"width": width, "height": HEIGHTS[width]})
    sign_in(page, live_server, "ars")
    problems = {}
    for path in ("/conformite", "/conventions"):
        page.goto(live_server + path)
        found = page.evaluate(FILTERS_FIT) + page.evaluate(TABLES_FIT)
        if overflow(page)["excess"] > 0:
            found.append("page wider than the window")
        if found:
            problems[path] = found
    for role in ("ars", "hospital", "admin"):  # each account's menu on one line, its own entries included
        if role != "ars":
            sign_in(page, live_server, role)
        if len(rows := page.evaluate(MENU_ROWS)) != 1:
            problems[f"menu of {role}"] = rows
    assert not problems, problems


#: The distinct heights at which the header's brand and menu entries sit (one: the menu holds on one line).
MENU_ROWS = """() => [...new Set(Array.from(document.querySelectorAll('header nav .navbar-brand, header nav .nav-link'),
  (el) => Math.round(el.getBoundingClientRect().top)))]"""


#: The smallest label of each chart as drawn on the screen (its font size times the SVG's scale), in px.
CHART_LABELS = """() => Array.from(document.querySelectorAll('.chart-box svg[viewBox]')).map((svg) => {
  const scale = svg.getBoundingClientRect().width / svg.viewBox.baseVal.width;
  return Math.min(...Array.from(svg.querySelectorAll('text'), (t) => parseFloat(getComputedStyle(t).fontSize)))
    * scale; })"""


@pytest.mark.parametrize("width", [390, 1366])
def test_the_compliance_charts_labels_stay_readable(width, demo_screens, live_server, browser_page):
    page = browser_page
    page.set_viewport_size({"width": width, "height": HEIGHTS[width]})
    sign_in(page, live_server, "ars")
    page.goto(live_server + "/conformite")
    sizes = page.evaluate(CHART_LABELS)
    assert len(sizes) == 2 and min(sizes) >= 11, sizes  # per requirement and per département


#: Each visible outline button whose text has less than 4.5:1 against the colour behind it (the backgrounds of its
#: ancestors composed over white), with the ratio.
LOW_CONTRAST = """() => {
  const rgba = (c) => { const p = c.match(/[\\d.]+/g).map(Number);
    return [p[0], p[1], p[2], p.length > 3 ? p[3] : 1]; };
  const channel = (v) => { v /= 255; return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; };
  const luminance = (rgb) => 0.2126 * channel(rgb[0]) + 0.7152 * channel(rgb[1]) + 0.0722 * channel(rgb[2]);
  const behind = (el) => { const layers = [];
    for (let e = el; e; e = e.parentElement) { const c = rgba(getComputedStyle(e).backgroundColor);
      if (c[3] > 0) { layers.unshift(c); if (c[3] >= 1) break; } }
    return layers.reduce((rgb, c) => rgb.map((v, i) => c[i] * c[3] + v * (1 - c[3])), [255, 255, 255]); };
  const low = [];
  for (const el of document.querySelectorAll('main [class*="btn-outline-"]')) {
    if (!el.getBoundingClientRect().width || !el.textContent.trim()) continue;
    const [a, b] = [luminance(rgba(getComputedStyle(el).color)), luminance(behind(el))].sort((x, y) => y - x);
    const ratio = (a + 0.05) / (b + 0.05);
    if (ratio < 4.5) low.push(el.textContent.trim() + ' ' + ratio.toFixed(2) + ':1');
  }
  return low;
}"""


def test_outline_buttons_text_has_enough_contrast(demo_screens, live_server, browser_page):
    page = browser_page
    page.set_viewport_size({"width": 1280, "height": HEIGHTS[1280]})
    low, role, seen = {}, None, 0
    for screen in demo_screens:
        if screen.role != role:
            sign_in(page, live_server, screen.role)
            role = screen.role
        page.goto(live_server + screen.path)
        seen += page.locator("main [class*=btn-outline-]").count()
        if found := page.evaluate(LOW_CONTRAST):
            low[screen.path] = found
    assert seen > 20 and not low, low


#: The focused element's outline: style, width in px and colour.
FOCUS_RING = """() => { const style = getComputedStyle(document.activeElement);
  return [style.outlineStyle, parseFloat(style.outlineWidth), style.outlineColor]; }"""


def test_each_page_has_its_own_title_and_keyboard_focus_shows_a_solid_ring(demo_screens, live_server, browser_page):
    page = browser_page
    titles, role = {}, None
    for screen in demo_screens:
        if screen.role != role:
            sign_in(page, live_server, screen.role)
            role = screen.role
        page.goto(live_server + screen.path)
        titles[screen.path] = page.title()
    site = " · Registre des hôpitaux de proximité"
    own = {path: title.removesuffix(site) for path, title in titles.items() if title.endswith(site)}
    assert own.keys() == titles.keys(), titles
    assert len(set(own.values())) == len(own) and "Registre" not in own.values(), own  # none left to the default

    page.goto(live_server + "/conformite")  # the ARS's, the last account visited
    for _ in range(60):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.classList.contains('btn-outline-primary')"):
            break
    style, width, colour = page.evaluate(FOCUS_RING)
    assert (style, colour) == ("solid", "rgb(29, 53, 87)") and width >= 2
