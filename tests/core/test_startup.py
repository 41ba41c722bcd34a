"""A command's start-up: its module loads on first use (registry/cli.py), the pages and the API when first needed
(core/application.py), and nothing is lost on the way."""

import importlib
import os
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from flask import url_for

from registry import create_app
from registry.cli import COMMAND_MODULES

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def deferred_app(app):
    """An application as a command gets it, on the same database and settings as ``app``."""
    return create_app(dict(app.config), instance_path=app.instance_path, defer_web_part=True)


def test_the_command_table_names_each_command_of_each_module():
    for module_name in set(COMMAND_MODULES.values()):
        names = {command.name for command in importlib.import_module(module_name).COMMANDS}
        assert names == {name for name, module in COMMAND_MODULES.items() if module == module_name}, module_name


def test_the_help_lists_every_command_and_a_command_runs(runner):
    listing = runner.invoke(args=["--help"])
    assert listing.exit_code == 0
    for name in COMMAND_MODULES:
        assert f"  {name} " in listing.output
    result = runner.invoke(args=["expiring", "--days", "30"])
    assert result.exit_code == 0, result.output
    assert runner.invoke(args=["no-such-command"]).exit_code != 0


def test_a_deferred_web_part_waits_then_gives_the_same_routes(app, deferred_app):
    assert set(deferred_app.blueprints) == {"bootstrap"}  # an extension's, registered with the extensions
    with deferred_app.test_request_context("/"):
        assert url_for("conventions.show", convention_id=7) == "/conventions/7"
    rules = {(rule.rule, rule.endpoint, tuple(sorted(rule.methods))) for rule in deferred_app.url_map.iter_rules()}
    assert rules == {(rule.rule, rule.endpoint, tuple(sorted(rule.methods))) for rule in app.url_map.iter_rules()}
    assert deferred_app.blueprints.keys() == app.blueprints.keys()


def test_templates_first_see_the_globals_the_blueprints_declare(deferred_app):
    environment = deferred_app.jinja_env
    for name in ("GUIDE_PAGES", "VERDICT_LABELS", "CPOM_STATUS_LABELS", "ConventionStatus"):
        assert name in environment.globals, name
    assert "convention_status" in environment.filters
    assert "conventions" in deferred_app.blueprints


def test_flask_setting_debug_on_a_command_start_does_not_load_the_web_part(deferred_app):
    deferred_app.debug = True  # what `flask --app wsgi <command>` does on every start
    assert "conventions" not in deferred_app.blueprints
    assert deferred_app.jinja_env.auto_reload is True
    deferred_app.debug = False
    assert deferred_app.jinja_env.auto_reload is False


def test_first_requests_at_once_are_all_answered(deferred_app):
    answers, errors = [], []

    def ask():
        try:
            answers.append(deferred_app.test_client().get("/connexion").status_code)
        except Exception as error:  # noqa: BLE001 (the assertion below reports it)
            errors.append(error)

    threads = [threading.Thread(target=ask) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == [] and answers == [200] * 8


@pytest.mark.slow
def test_a_command_line_start_imports_no_route_and_no_other_command(tmp_path):
    code = ("import sys, wsgi; import click; "
            "wsgi.app.cli.get_command(click.Context(wsgi.app.cli), 'import-finess'); "
            "print(sorted(m for m in sys.modules if m.startswith('registry.') and m != 'registry.cli' and "
            "(m.endswith('routes') or m.endswith('.cli') or m.endswith('.worker'))))")
    env = {**os.environ, "FLASK_RUN_FROM_CLI": "true", "SECRET_KEY": "x",
           "DATABASE_URL": f"sqlite:///{tmp_path / 'startup.sqlite3'}", "STORAGE_DIR": str(tmp_path / "storage")}
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT,
                            env=env)
    assert result.stdout.split("\n")[0] == "['registry.finess.cli']"
