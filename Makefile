# The README's commands. Everything a machine needs is installed from here (requirements*.txt, Debian's chromium).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
FLASK := $(BIN)/flask --app wsgi
PORT ?= 5000
CHROMIUM ?= /usr/bin/chromium

.PHONY: run serve worker test test-quick bench browser system init-db demo clean guide-screenshots

$(BIN)/activate:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

# Reinstall only when a requirements file changes.
$(VENV)/.runtime-installed: requirements.txt | $(BIN)/activate
	$(BIN)/pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.dev-installed: requirements.txt requirements-dev.txt | $(BIN)/activate
	$(BIN)/pip install --quiet -r requirements-dev.txt
	touch $@ $(VENV)/.runtime-installed

init-db: $(VENV)/.runtime-installed
	$(FLASK) init-db

run: init-db
	$(FLASK) demo-data --if-empty
	$(FLASK) run --host 127.0.0.1 --port $(PORT)

# The production server (docs/deploiement.md): gunicorn on $(LISTEN):$(PORT), behind a reverse proxy with TLS
# (LISTEN: an internal address when the proxy is on another machine, as with several nodes).
# Never loads demo data; refuses to start without a SECRET_KEY of the operator's.
LISTEN ?= 127.0.0.1
WORKERS ?= 2
THREADS ?= 4
# Starts by purging what a crash left behind (files older than their grace period only: work in flight is kept).
serve: init-db
	$(FLASK) purge
	PRODUCTION=1 $(BIN)/gunicorn --bind $(LISTEN):$(PORT) --workers $(WORKERS) --threads $(THREADS) \
		--access-logfile - --error-logfile - --forwarded-allow-ips "$${FORWARDED_ALLOW_IPS:-127.0.0.1}" "wsgi:app"

# The job queue's worker (docs/deploiement.md): needs REDIS_URL; runs the bundles, PDF previews and stock imports
# the pages hand over, and the daily reminders when WORKER_REMINDERS_AT is set.
worker: init-db
	$(FLASK) worker

# Debian's packages the tests and the documents need: Chromium drives the browser tests (Playwright cannot
# download its own browser here; chromium-l10n gives it French words and date formats), LibreOffice converts
# drafts to PDF, Pango lets WeasyPrint lay out PDF reports.
# Installed with apt-get when missing and possible; without them the tests that need them skip with the reason.
SYSTEM_PACKAGES := chromium chromium-l10n libreoffice-writer-nogui libpango-1.0-0 libpangoft2-1.0-0 fonts-dejavu-core
system:
	@missing=""; for p in $(SYSTEM_PACKAGES); do \
		dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q "ok installed" || missing="$$missing $$p"; \
	done; \
	if [ -n "$$missing" ]; then \
		echo "Installing Debian's$$missing..."; \
		(apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $$missing \
			>/dev/null) || echo "warning: could not install$$missing; the tests that need them will be skipped"; \
	fi

browser: system

test: $(VENV)/.dev-installed system
	$(BIN)/python -m pytest -q -n auto

# Everything but the tests marked slow (browser, multinode, subprocesses, LibreOffice, timeouts): a quick check
# while working. `make test` (what CI runs) still runs every test.
test-quick: $(VENV)/.dev-installed
	$(BIN)/python -m pytest -q -n auto -m "not slow"

# The user guide's screenshots (docs/guide/images/) and its page of screens, from the demo region.
guide-screenshots: $(VENV)/.dev-installed browser
	GUIDE_SCREENSHOTS=1 $(BIN)/python -m pytest -q tests/browser/test_screens.py -k wider

bench: $(VENV)/.dev-installed
	$(BIN)/python -m benchmarks

clean:
	rm -rf $(VENV) .pytest_cache
