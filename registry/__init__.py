"""The registry of hôpitaux de proximité, their partners and their conventions."""

import logging
import os

from flask import Flask
from flask import logging as flask_logging

from registry import config as config_layers
from registry.core import sqlite
from registry.core.application import RegistryApp
from registry.extensions import bootstrap, csrf, db, limiter, login_manager


def create_app(test_config: dict | None = None, instance_path: str | None = None, *,
               defer_web_part: bool = False) -> Flask:
    """The application. ``defer_web_part``: register the pages and the API when first needed (a command's start-up,
    core/application.py) rather than now (a server)."""
    app = RegistryApp(__name__, instance_relative_config=True, instance_path=instance_path)
    load_config(app, test_config)
    quiet_libraries()
    register_extensions(app)
    if not defer_web_part:
        register_blueprints(app)
    register_hooks(app)
    register_commands(app)
    if defer_web_part:  # armed last: the steps above read the template environment, which would register it
        app.defer_web_part(register_blueprints)
    return app


def quiet_libraries() -> None:
    """pyHanko logs a traceback for every certificate it cannot verify offline, the usual case here: the
    verdict is in the signature report, so only its errors reach the log."""
    for name in ("pyhanko", "pyhanko_certvalidator"):
        logging.getLogger(name).setLevel(logging.ERROR)


def load_config(app: Flask, test_config: dict | None) -> None:
    """Defaults → instance/config.py → environment → test config."""
    os.makedirs(app.instance_path, exist_ok=True)
    app.config.from_mapping(config_layers.default_config(app.instance_path))
    app.config.from_pyfile("config.py", silent=True)
    app.config.from_mapping(config_layers.read_environment())
    if test_config:
        app.config.from_mapping(test_config)
    if not app.config.get("SECRET_KEY"):
        if app.config.get("PRODUCTION") and not app.config.get("ALLOW_GENERATED_SECRET_KEY"):
            raise RuntimeError("SECRET_KEY absente : en production, donnez une clé secrète à l'application "
                               "(variable d'environnement SECRET_KEY ou instance/config.py ; docs/deploiement.md).")
        app.config["SECRET_KEY"] = config_layers.persistent_secret_key(app.instance_path)
    config_layers.finalise(app.config)
    if app.config.get("PROXY_FIX"):  # behind N reverse proxies: the client's address, scheme and host
        from werkzeug.middleware.proxy_fix import ProxyFix

        hops = int(app.config["PROXY_FIX"])
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops)


def register_extensions(app: Flask) -> None:
    import registry.models  # noqa: F401  (every table known to SQLAlchemy and Alembic)

    db.init_app(app)
    with app.app_context():  # SQLite: requests that write take the lock at their start (core/sqlite.py)
        sqlite.configure(db.engine)
    csrf.init_app(app)
    limiter.init_app(app)
    # Its warnings (a shared store that stopped answering) reach the server's log, as the application's do.
    limiter.logger.addHandler(flask_logging.default_handler)
    bootstrap.init_app(app)
    login_manager.init_app(app)
    login_manager.login_view = "accounts.login"
    login_manager.login_message = "Connectez-vous pour accéder à cette page."
    login_manager.login_message_category = "info"


def register_blueprints(app: Flask) -> None:
    from registry.accounts import admin_routes as users_admin_routes
    from registry.accounts import routes as accounts_routes
    from registry.api import init_api
    from registry.audit import routes as journal_routes
    from registry.bundles import routes as bundles_routes
    from registry.compliance import routes as compliance_routes
    from registry.conventions import urls as conventions_urls
    from registry.cpom import campaign_routes, management_routes  # noqa: F401  (pages on cpom_routes.bp)
    from registry.cpom import import_routes as cpom_import_routes
    from registry.cpom import routes as cpom_routes
    from registry.documents import routes as templates_admin_routes
    from registry.guide import routes as guide_routes
    from registry.hospitals import routes as hospitals_routes
    from registry.jobs import routes as jobs_routes
    from registry.organisations import routes as organisations_routes
    from registry.reminders import routes as reminders_routes

    for blueprint in (
        accounts_routes.bp,
        users_admin_routes.bp,
        journal_routes.bp,
        organisations_routes.bp,
        hospitals_routes.bp,
        conventions_urls.bp,
        templates_admin_routes.bp,
        compliance_routes.bp,
        bundles_routes.bp,
        cpom_routes.bp,
        cpom_import_routes.bp,
        reminders_routes.bp,
        guide_routes.bp,
        guide_routes.icon_bp,
        jobs_routes.bp,
    ):
        app.register_blueprint(blueprint)
    init_api(app)


def register_hooks(app: Flask) -> None:
    from registry.accounts import sessions
    from registry.audit import downloads
    from registry.compliance import warming
    from registry.core import access, errors, headers, hygiene, templating

    login_manager.user_loader(sessions.load_user)

    app.before_request(sessions.expire_idle_sessions)
    app.before_request(access.enforce_access)
    app.before_request(hygiene.refuse_unstorable_input)
    app.after_request(headers.add_security_headers)
    downloads.register(app)
    errors.register_error_handlers(app)
    templating.register(app)
    warming.register(app)


def register_commands(app: Flask) -> None:
    from registry.cli import register

    register(app)
