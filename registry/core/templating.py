"""Jinja filters and globals shared by every page (French dates, vocabulary labels)."""

from flask import Flask

from registry.core import geography, vocabulary
from registry.core.french import french_date, french_datetime, french_size


def register(app: Flask) -> None:
    app.jinja_env.filters["date_fr"] = lambda value: french_date(value, empty="—")
    app.jinja_env.filters["datetime_fr"] = french_datetime
    app.jinja_env.filters["file_size"] = french_size
    app.jinja_env.filters["partner_type"] = lambda code: vocabulary.PARTNER_TYPES.get(code, code)
    app.jinja_env.filters["activity"] = lambda code: vocabulary.ACTIVITIES.get(code, code)
    app.jinja_env.filters["theme"] = lambda code: vocabulary.THEMES.get(code, code)
    app.jinja_env.filters["role"] = lambda code: vocabulary.ROLES.get(code, code)
    app.jinja_env.filters["legal_status"] = lambda code: vocabulary.LEGAL_STATUSES.get(code, code)
    app.jinja_env.filters["legal_basis"] = lambda code: vocabulary.LEGAL_BASES.get(code, code)
    app.jinja_env.filters["removal_ground"] = lambda code: vocabulary.REMOVAL_GROUNDS.get(code, code)
    app.jinja_env.filters["activity_labels"] = lambda codes: ", ".join(vocabulary.labels(codes, vocabulary.ACTIVITIES))
    app.jinja_env.filters["equipment_labels"] = lambda codes: ", ".join(vocabulary.labels(codes, vocabulary.EQUIPMENT))
    app.jinja_env.filters["ght_support"] = ght_support_words
    app.jinja_env.filters["departement"] = geography.departement_label
    app.jinja_env.filters["region"] = geography.region_label
    app.jinja_env.globals.update(PARTNER_TYPES=vocabulary.PARTNER_TYPES, ACTIVITIES=vocabulary.ACTIVITIES,
                                 THEMES=vocabulary.THEMES,
                                 FILTER_ERROR_HEADING="Certains critères ont été ignorés")


def ght_support_words(value: str | None) -> str:
    """How a hospital's GHT support establishment reads on its pages."""
    if value is None:
        return "non renseigné"
    if value == vocabulary.GHT_SELF:
        return "l'hôpital relève de l'établissement support lui-même"
    return f"FINESS {value}"
