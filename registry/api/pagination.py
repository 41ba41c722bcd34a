"""Paginated lists: ``?page=&per_page=`` in, ``{"items", "page", "per_page", "total", "pages"}`` out."""

from flask import current_app
from marshmallow import ValidationError, pre_load, validate, validates
from sqlalchemy import Select

from registry.api.fields import FrenchSchema, Integer, List, Nested
from registry.extensions import db

#: Keeps the SQL offset far below the database's integer limits (a page beyond the last one is empty anyway).
MAX_PAGE = 1_000_000


class PaginationArgs(FrenchSchema):
    """Page arguments; the defaults and the maximum come from the configuration."""

    page = Integer(load_default=1, validate=validate.Range(min=1, max=MAX_PAGE, error="page de 1 à {max}"),
                   metadata={"description": "Numéro de page, à partir de 1."})
    per_page = Integer(validate=validate.Range(min=1, error="au moins 1 élément par page"), metadata={
        "description": "Éléments par page : 25 par défaut (PAGE_SIZE), 200 au plus (API_MAX_PER_PAGE)."})

    @pre_load
    def _blank_means_absent(self, data, **_):
        """``?departement=&page=`` as a form sends it: an empty value is no criterion."""
        return {key: data[key] for key in data if data[key] != ""}

    @validates("per_page")
    def _at_most_the_configured_maximum(self, value, **_):
        maximum = current_app.config["API_MAX_PER_PAGE"]
        if value > maximum:
            raise ValidationError(f"au plus {maximum} éléments par page")


def page_schema(item_schema: type[FrenchSchema]) -> type[FrenchSchema]:
    """The schema of one page of ``item_schema`` objects, named after it in the OpenAPI document."""
    name = item_schema.__name__.removesuffix("Schema") + "Page"
    return FrenchSchema.from_dict({
        "items": List(Nested(item_schema), required=True),
        "page": Integer(required=True),
        "per_page": Integer(required=True),
        "total": Integer(required=True, metadata={"description": "Nombre total d'éléments."}),
        "pages": Integer(required=True, metadata={"description": "Nombre de pages (0 si la liste est vide)."}),
    }, name=name)


def paginate(query: Select, args: dict) -> dict:
    """One page of ``query``; a page past the end is empty rather than an error."""
    per_page = args.get("per_page") or current_app.config["PAGE_SIZE"]
    page = db.paginate(query, page=args.get("page", 1), per_page=per_page, error_out=False)
    return {"items": page.items, "page": page.page, "per_page": page.per_page, "total": page.total,
            "pages": page.pages}
