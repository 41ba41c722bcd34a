"""Every `flask --app wsgi <command>`, grouped by area; each area keeps its commands in its own cli module."""

from flask import Flask


def register(app: Flask) -> None:
    from registry.accounts import cli as accounts_cli
    from registry.backup import cli as backup_cli
    from registry.bundles import cli as bundles_cli
    from registry.compliance import cli as compliance_cli
    from registry.conventions import cli as conventions_cli
    from registry.core import cli as core_cli
    from registry.cpom import cli as cpom_cli
    from registry.demo import cli as demo_cli
    from registry.finess import cli as finess_cli
    from registry.jobs import worker as jobs_worker
    from registry.reminders import cli as reminders_cli

    for command in (
        *core_cli.COMMANDS,
        *accounts_cli.COMMANDS,
        *finess_cli.COMMANDS,
        *demo_cli.COMMANDS,
        *conventions_cli.COMMANDS,
        *backup_cli.COMMANDS,
        *compliance_cli.COMMANDS,
        *bundles_cli.COMMANDS,
        *cpom_cli.COMMANDS,
        *reminders_cli.COMMANDS,
        *jobs_worker.COMMANDS,
    ):
        app.cli.add_command(command)
