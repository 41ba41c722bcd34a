"""The API's blueprint class and request-body reading, both answering in the API's error format in French."""

import json
from http import HTTPStatus

from flask import request
from flask_smorest import Blueprint
from werkzeug.routing import BaseConverter
from marshmallow import ValidationError
from webargs.flaskparser import FlaskParser, abort

from registry.core.errors import DomainError


class FrenchParser(FlaskParser):
    """webargs' parser; invalid input is a DomainError (422, code "invalid") with the messages per location."""

    def handle_error(self, error: ValidationError, req, schema, *, error_status_code, error_headers):
        raise DomainError("Données invalides : voir le détail par champ.", details=error.messages)

    def _handle_invalid_json_error(self, error: json.JSONDecodeError | UnicodeDecodeError, req, *args, **kwargs):
        abort(400, exc=error, messages={"json": ["corps JSON illisible"]})


PARSER = FrenchParser()


class FinessConverter(BaseConverter):
    """``<finess:finess_et>``: a malformed number matches no route (404) and never reaches the database."""

    regex = r"[0-9][0-9AB][0-9]{7}"

    @classmethod
    def openapi_schema(cls, converter) -> dict:
        return {"type": "string", "pattern": f"^{cls.regex}$"}


#: Largest id a database integer column holds; a larger one in a URL matches no route (404).
MAX_ID = 2**31 - 1


class ApiBlueprint(Blueprint):
    """A blueprint of /api/v1; its name must start with "api" (access.is_api_request: bearer tokens only)."""

    ARGUMENTS_PARSER = PARSER

    def __init__(self, name: str, description: str):
        if not name.startswith("api"):
            raise ValueError("API blueprint names start with 'api'")
        super().__init__(name, __name__, url_prefix="/api/v1", description=description)

    def json_body(self, schema: type):
        """Document the JSON body a view reads with ``load_json``, and the 400 and 422 answers it may give."""
        def decorator(view):
            view = self.doc(requestBody={"required": True, "content": {"application/json": {"schema": schema}}})(view)
            view = self.alt_response(400, HTTPStatus(400).name)(view)
            return self.alt_response(422, HTTPStatus(422).name)(view)
        return decorator


def load_json(schema: type) -> dict:
    """The request's JSON body loaded by ``schema``: 400 when it is not JSON, 422 when it is invalid.

    Views call it after loading the object (404) and checking access (403), unlike ``@blp.arguments``
    which would validate first.
    """
    if not request.is_json or not request.get_data(cache=True):
        abort(400, messages={"json": ["corps JSON attendu (Content-Type: application/json)"]})
    return PARSER.parse(schema(), request, location="json")
