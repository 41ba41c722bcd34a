"""The JSON API under /api/v1 (docs/interface.md), documented by an OpenAPI document generated from the code."""

import threading

from flask import Flask
from flask_smorest import Api as SmorestApi

from registry.api.blueprint import FinessConverter
from registry.api.schemas import ErrorSchema
from registry.extensions import csrf


class Api(SmorestApi):
    """flask-smorest's Api, leaving errors to registry.core.errors (one JSON error format, HTML for pages), and
    documenting its blueprints in the OpenAPI document when the document is first read, not at start-up: their
    routes are there at once, the document (schemas converted, paths added, in the order of registration) is the
    same, and no command pays for it."""

    ERROR_SCHEMA = ErrorSchema

    def __init__(self, *args, **kwargs):
        self._undocumented: list[tuple] = []  # (blueprint, name, parameters), in the order of registration
        self._documenting = threading.Lock()
        super().__init__(*args, **kwargs)

    @property
    def spec(self):
        if self._undocumented:
            with self._documenting:
                for blueprint, name, parameters in self._undocumented:  # what Api.register_blueprint documents
                    blueprint.register_views_in_doc(self, self._app, self._spec, name=name, parameters=parameters)
                    self._spec.tag({"name": name, "description": blueprint.description})
                self._undocumented = []
        return self._spec

    @spec.setter
    def spec(self, value):
        self._spec = value

    def register_blueprint(self, blp, *, parameters=None, **options):
        """flask-smorest's Api.register_blueprint (0.47), the documentation left to the first read of `spec`."""
        name = options.get("name", blp.name)
        self._app.extensions["flask-smorest"]["blp_name_to_api"][name] = self
        self._app.register_blueprint(blp, **options)
        self._undocumented.append((blp, name, parameters))

    def _register_error_handlers(self):
        pass

    def _register_pagination_header(self):
        pass  # lists carry their pagination in the body (registry.api.pagination), not in a header


DESCRIPTION = """API du registre des hôpitaux de proximité et de leurs conventions.

Authentification : en-tête `Authorization: Bearer <jeton>` (commande `flask create-token EMAIL`) ; le cookie de
session des pages n'est pas lu. Mêmes droits que les pages : un objet hors du périmètre de l'utilisateur répond 404.

Erreurs : statut 4xx et `{"error": {"code", "message", "details"}}`. 400 `bad_request` corps JSON absent ou
illisible ; 401 `unauthorized` sans jeton valide ; 403 `forbidden` action non permise ; 404 `not_found` introuvable
ou hors du périmètre ; 409 `conflict` (partenaire déjà présent) ; 422 `invalid` données invalides, `details` donnant
les messages par emplacement et par champ (`{"json": {"partner_types": {"0": ["..."]}}}`) ou la liste des règles
métier non respectées.

Listes : `?page=` (à partir de 1) et `?per_page=` (25 par défaut, 200 au plus) ; réponse
`{"items": [...], "page", "per_page", "total", "pages"}` ; une page au-delà de la dernière est vide.
"""


def blueprints() -> list:
    """The API's blueprints, in one visible list."""
    from registry.api import (bundles, compliance, conventions, cpom, cpom_changes, establishments, hospitals, partners,
                              templates)

    return [establishments.blp, hospitals.blp, partners.blp, conventions.blp, templates.blp, compliance.blp,
            bundles.blp, cpom.blp, cpom_changes.blp]


def init_api(app: Flask) -> Api:
    api = Api(app, spec_kwargs={
        "info": {"description": DESCRIPTION},
        "components": {"securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}}},
        "security": [{"bearer": []}],
    })
    app.url_map.converters["finess"] = FinessConverter
    api.register_converter(FinessConverter, FinessConverter.openapi_schema)
    for blueprint in blueprints():
        csrf.exempt(blueprint)  # the API reads bearer tokens only, never the session cookie
        api.register_blueprint(blueprint)
    return api
