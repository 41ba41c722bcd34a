"""French wording of dates, durations and lists, shared by pages and generated documents."""

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

MONTHS = ("janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre", "octobre",
          "novembre", "décembre")
PARIS = ZoneInfo("Europe/Paris")


def french_date(value: date | datetime | None, empty: str = "") -> str:
    """« 1er janvier 2027 », « 2 février 2027 »; ``empty`` for no date."""
    if value is None:
        return empty
    if isinstance(value, datetime):
        value = _paris(value).date()
    day = "1er" if value.day == 1 else str(value.day)
    return f"{day} {MONTHS[value.month - 1]} {value.year}"


def french_datetime(value: datetime | None, empty: str = "—") -> str:
    if value is None:
        return empty
    local = _paris(value)
    return f"{french_date(local)} à {local:%H:%M}"


def _paris(value: datetime) -> datetime:
    """Stored times are UTC; SQLite gives them back without a zone, so a naive time is read as UTC."""
    return (value if value.tzinfo else value.replace(tzinfo=UTC)).astimezone(PARIS)


def french_duration(months: int) -> str:
    """« 5 ans », « 1 an », « 18 mois », « 2 ans et 6 mois »."""
    years, rest = divmod(int(months), 12)
    parts = []
    if years:
        parts.append(f"{years} an" + ("s" if years > 1 else ""))
    if rest or not years:
        parts.append(f"{rest} mois")
    return " et ".join(parts)


def french_join(items: list[str]) -> str:
    """« A », « A et B », « A, B et C »."""
    items = [item for item in items if item]
    if len(items) < 2:
        return "".join(items)
    return ", ".join(items[:-1]) + " et " + items[-1]


def french_size(size: int) -> str:
    """« 850 octets », « 24 Ko », « 1,2 Mo »."""
    if size < 1024:
        return f"{size} octets"
    if size < 1024 * 1024:
        return f"{round(size / 1024)} Ko"
    return f"{size / 1024 / 1024:.1f} Mo".replace(".", ",")


def upper_first(text: str) -> str:
    """The text with its first letter capitalised and the rest untouched (str.capitalize lowers « FINESS »)."""
    return text[:1].upper() + text[1:]
