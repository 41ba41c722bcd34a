# The README's commands. Everything a machine needs is installed from here (requirements*.txt, Debian's chromium).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
FLASK := $(BIN)/flask --app wsgi
PORT ?= 5000
CHROMIUM ?= /usr/bin/chromium

.PHONY: run serve test bench browser init-db demo clean guide-screenshots

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

# The production server (docs/deploiement.md): gunicorn on 127.0.0.1:$(PORT), behind a reverse proxy with TLS.
# Never loads demo data; refuses to start without a SECRET_KEY of the operator's.
WORKERS ?= 2
THREADS ?= 4
serve: init-db
	PRODUCTION=1 $(BIN)/gunicorn --bind 127.0.0.1:$(PORT) --workers $(WORKERS) --threads $(THREADS) \
		--access-logfile - --error-logfile - --forwarded-allow-ips "$${FORWARDED_ALLOW_IPS:-127.0.0.1}" "wsgi:app"

# Debian's Chromium drives the browser tests (Playwright cannot download its own browser here).
browser:
	@if [ ! -x $(CHROMIUM) ]; then \
		echo "Installing Debian's chromium for the browser tests..."; \
		(apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null) \
		|| echo "warning: could not install chromium; the browser tests will be skipped"; \
	fi

test: $(VENV)/.dev-installed browser
	$(BIN)/python -m pytest -q -n auto

# The user guide's screenshots (docs/guide/images/) and its page of screens, from the demo region.
guide-screenshots: $(VENV)/.dev-installed browser
	GUIDE_SCREENSHOTS=1 $(BIN)/python -m pytest -q tests/browser/test_screens.py -k wider

bench: $(VENV)/.dev-installed
	$(BIN)/python -m benchmarks

clean:
	rm -rf $(VENV) .pytest_cache
