"""Jinja filters and globals shared by every page (French dates, vocabulary labels)."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

from flask import Flask

from registry.core import geography, vocabulary

MONTHS = ("janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre", "octobre",
          "novembre", "décembre")
PARIS = ZoneInfo("Europe/Paris")


def french_date(value: date | datetime | None) -> str:
    """« 1er janvier 2027 »."""
    if value is None:
        return "—"
    if isinstance(value, datetime):
        value = value.astimezone(PARIS).date() if value.tzinfo else value.date()
    day = "1er" if value.day == 1 else str(value.day)
    return f"{day} {MONTHS[value.month - 1]} {value.year}"


def french_datetime(value: datetime | None) -> str:
    if value is None:
        return "—"
    local = value.astimezone(PARIS) if value.tzinfo else value
    return f"{french_date(local)} à {local:%H:%M}"


def register(app: Flask) -> None:
    app.jinja_env.filters["date_fr"] = french_date
    app.jinja_env.filters["datetime_fr"] = french_datetime
    app.jinja_env.filters["partner_type"] = lambda code: vocabulary.PARTNER_TYPES.get(code, code)
    app.jinja_env.filters["activity"] = lambda code: vocabulary.ACTIVITIES.get(code, code)
    app.jinja_env.filters["theme"] = lambda code: vocabulary.THEMES.get(code, code)
    app.jinja_env.filters["role"] = lambda code: vocabulary.ROLES.get(code, code)
    app.jinja_env.filters["departement"] = geography.departement_label
    app.jinja_env.filters["region"] = geography.region_label
    app.jinja_env.globals.update(PARTNER_TYPES=vocabulary.PARTNER_TYPES, ACTIVITIES=vocabulary.ACTIVITIES,
                                 THEMES=vocabulary.THEMES)
