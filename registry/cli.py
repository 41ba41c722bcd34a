"""Every `flask --app wsgi <command>`, grouped by area; each area keeps its commands in its own module (its
``COMMANDS`` list). A command's module is imported when that command runs, or when ``flask --help`` lists them all:
a command pays only for its own imports, not for every area's services."""

import importlib

import click
from flask import Flask
from flask.cli import AppGroup

#: Each command's name and the module whose ``COMMANDS`` holds it (tests/core/test_cli_commands.py checks both ways).
COMMAND_MODULES = {
    "init-db": "registry.core.cli",
    "db": "registry.core.cli",
    "create-user": "registry.accounts.cli",
    "create-token": "registry.accounts.cli",
    "unlock-user": "registry.accounts.cli",
    "import-finess": "registry.finess.cli",
    "demo-data": "registry.demo.cli",
    "expiring": "registry.conventions.cli",
    "backup": "registry.backup.cli",
    "purge": "registry.backup.cli",
    "copy-documents": "registry.backup.cli",
    "compliance": "registry.compliance.cli",
    "bundle": "registry.bundles.cli",
    "verify-bundle": "registry.bundles.cli",
    "cpom": "registry.cpom.cli",
    "remind": "registry.reminders.cli",
    "worker": "registry.jobs.worker",
}


class LazyCommands(AppGroup):
    """The application's command group, loading a command's module on first use (Click's « lazily loading
    subcommands » pattern)."""

    def __init__(self, modules: dict[str, str], **attrs) -> None:
        super().__init__(**attrs)
        self.modules = modules

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted({*self.commands, *self.modules})

    def get_command(self, ctx: click.Context, name: str) -> click.Command | None:
        if name not in self.commands and name in self.modules:
            for command in importlib.import_module(self.modules[name]).COMMANDS:
                self.add_command(command)
        return super().get_command(ctx, name)


def register(app: Flask) -> None:
    app.cli = LazyCommands(COMMAND_MODULES, name=app.cli.name, commands=app.cli.commands)
