"""A live server on a free local port and Debian's Chromium driven by Playwright.

The application is the ``app`` fixture's (migrated SQLite copy, or TEST_DATABASE_URL), with CSRF enabled: the
browser goes through the real forms. Set SCREENSHOT_DIR to keep a full-page screenshot of each main page.
"""

import os
import threading
from pathlib import Path

import pytest
from werkzeug.serving import make_server

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run", "--lang=fr-FR"]
#: The browser's own words and formats in French, as a French user's browser shows them (date fields as
#: jj/mm/aaaa, « Choisir un fichier »): the guide's screenshots are taken with them. Needs Debian's chromium-l10n
#: (`make browser`); without it the browser falls back to English.
CHROMIUM_ENV = {"LANGUAGE": "fr"}


@pytest.fixture
def app_config():
    return {"WTF_CSRF_ENABLED": True}


@pytest.fixture
def live_server(app):
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, name="live-server", daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        thread.join(timeout=10)


@pytest.fixture
def browser_page():
    if not os.access(CHROMIUM, os.X_OK):
        pytest.skip(f"Debian's Chromium is not installed at {CHROMIUM} (`make browser` installs it)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS,
                                             env={**os.environ, **CHROMIUM_ENV})
        context = browser.new_context(locale="fr-FR", viewport={"width": 1280, "height": 900})
        context.set_default_timeout(10_000)
        try:
            yield context.new_page()
        finally:
            context.close()
            browser.close()


@pytest.fixture
def screenshot():
    """screenshot(page, name): a full-page PNG in SCREENSHOT_DIR when that variable is set, else nothing."""
    directory = os.environ.get("SCREENSHOT_DIR")

    def take(page, name: str) -> None:
        if directory:
            Path(directory).mkdir(parents=True, exist_ok=True)
            page.screenshot(path=str(Path(directory) / f"{name}.png"), full_page=True)
    return take
