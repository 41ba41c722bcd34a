"""The days the application accepts from its users: 1900 to 2199, everywhere (forms, API, commands, filters), so
that date arithmetic on them (a five-year CPOM, a notice period, a tacit renewal) never leaves the calendar."""

from datetime import date

FIRST_DAY, LAST_DAY = date(1900, 1, 1), date(2199, 12, 31)
RANGE_MESSAGE = "date entre 1900 et 2199 attendue"


def parse_day(text: str) -> date:
    """An ISO day (AAAA-MM-JJ) within FIRST_DAY..LAST_DAY; ValueError with a French message otherwise."""
    try:
        day = date.fromisoformat(text.strip())
    except ValueError:
        raise ValueError(f"date attendue au format AAAA-MM-JJ (reçu « {text} »)") from None
    if not FIRST_DAY <= day <= LAST_DAY:
        raise ValueError(f"{RANGE_MESSAGE} (reçu « {text} »)")
    return day
