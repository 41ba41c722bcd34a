"""The JSON API under /api/v1 (INTERFACE.md), documented by an OpenAPI document generated from the code."""

from flask import Flask
from flask_smorest import Api as SmorestApi

from registry.extensions import csrf


class Api(SmorestApi):
    """flask-smorest's Api, leaving errors to registry.core.errors (one JSON error format, HTML for pages)."""

    def _register_error_handlers(self):
        pass


def blueprints() -> list:
    """The API's blueprints, in one visible list."""
    return []


def init_api(app: Flask) -> Api:
    api = Api(app, spec_kwargs={
        "info": {"description": "API du registre des hôpitaux de proximité et de leurs conventions."},
        "components": {"securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}}},
        "security": [{"bearer": []}],
    })
    for blueprint in blueprints():
        csrf.exempt(blueprint)  # the API reads bearer tokens only, never the session cookie
        api.register_blueprint(blueprint)
    return api
