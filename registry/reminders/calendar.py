"""The calendar feed (.ics, RFC 5545): a user's deadlines, the reminders' own (due.deadlines_of), as all-day events
behind a secret address that needs no session (calendar clients cannot log in). Only the token's SHA-256 is stored
(models.CalendarFeed), as for API tokens; the token is shown once. These functions flush; the caller commits."""

import secrets
from contextlib import nullcontext
from datetime import date, timedelta

from icalendar import Calendar, Event
from sqlalchemy import select

from registry.accounts.models import ApiToken, User
from registry.audit.services import record_audit
from registry.core import clock
from registry.core.errors import DomainError
from registry.core.french import french_date, french_join
from registry.extensions import db
from registry.reminders.digest import APPLICATION, base_url, links_context, page_url
from registry.reminders.due import END, LATE, NOTICE, STATUTORY, Reminder, deadlines_of
from registry.reminders.models import CalendarFeed

PRODID = "-//Registre des hôpitaux de proximité//Échéances des conventions//FR"
#: The right-hand part of every event's UID: the left one (convention id and kind of deadline, or hospital id and
#: requirement) stays the same as the deadline moves, so that a client updates the event instead of adding one.
UID_DOMAIN = "registre-hdp"


def feed_of(user: User) -> CalendarFeed | None:
    return db.session.scalar(select(CalendarFeed).where(CalendarFeed.user_id == user.id))


def issue_feed(user: User) -> str:
    """A new secret token for the user's feed, returned once; the previous one, if any, stops answering."""
    token = secrets.token_urlsafe(32)
    feed = feed_of(user)
    if feed is None:
        db.session.add(CalendarFeed(user_id=user.id, token_hash=ApiToken.hash(token), created_at=clock.now()))
        record_audit("calendar.create", user, f"Adresse de calendrier créée pour {user.email}", actor=user)
    else:
        feed.token_hash, feed.created_at = ApiToken.hash(token), clock.now()
        record_audit("calendar.regenerate", user, f"Adresse de calendrier de {user.email} régénérée (l'ancienne est "
                     "révoquée)", actor=user)
    db.session.flush()
    return token


def delete_feed(user: User) -> None:
    feed = feed_of(user)
    if feed is None:
        raise DomainError("Vous n'avez pas d'adresse de calendrier.")
    db.session.delete(feed)
    record_audit("calendar.delete", user, f"Adresse de calendrier de {user.email} supprimée", actor=user)
    db.session.flush()


def user_for_feed(token: str) -> User | None:
    """The active user whose feed has this token; None for an unknown or revoked token or an inactive user."""
    if not token:
        return None
    feed = db.session.scalar(select(CalendarFeed).where(CalendarFeed.token_hash == ApiToken.hash(token)))
    return feed.user if feed is not None and feed.user.active else None


def links():
    """Where links are written from: BASE_URL when configured (as in the mails), else the request's own address."""
    try:
        base_url()
    except DomainError:
        return nullcontext()
    return links_context()


def summary(item: Reminder) -> str:
    if item.kind == STATUTORY:
        late = " (délai dépassé)" if item.delay_days == LATE else ""
        return f"Convention obligatoire à conclure{late} : {item.hospital}"
    label = {NOTICE: "Préavis à donner", END: "Fin de la convention"}[item.kind]
    return f"{label} : {item.reference} « {item.title} »"


def description(item: Reminder) -> str:
    """What the event says (no « in N days »: a calendar keeps the text while the days go by)."""
    hospital = f"Hôpital : {item.hospital} (FINESS {item.hospital_finess})"
    if item.kind == STATUTORY:
        what = (f"{item.title} : aucune convention en vigueur. Le délai d'un an depuis l'inscription sur la liste des "
                f"hôpitaux de proximité {'a expiré' if item.delay_days == LATE else 'expire'} le "
                f"{french_date(item.deadline)}.")
        return "\n".join([hospital, what, "", f"Conformité de l'hôpital : {page_url(item)}"])
    if item.kind == NOTICE and item.tacit_renewal:
        what = (f"Dernier jour pour dénoncer la convention afin qu'elle prenne fin le {french_date(item.end)} ; sans "
                "dénonciation, elle est reconduite tacitement.")
    elif item.kind == NOTICE:
        what = f"Préavis à donner avant le {french_date(item.deadline)} ; la convention prend fin le " \
               f"{french_date(item.end)}."
    else:
        what = "Dernier jour d'application de la convention."
    return "\n".join([f"Référence : {item.reference}", f"Convention : {item.title}", hospital,
                      f"Partenaires : {french_join(list(item.partners)) or 'aucun partenaire enregistré'}", what, "",
                      f"Convention : {page_url(item)}"])


def event_of(item: Reminder, stamp) -> Event:
    event = Event()
    event.add("uid", f"{item.subject.replace(':', '-')}@{UID_DOMAIN}")
    event.add("dtstamp", stamp)
    event.add("dtstart", item.deadline)
    event.add("dtend", item.deadline + timedelta(days=1))
    event.add("summary", summary(item))
    event.add("description", description(item))
    event.add("url", page_url(item))
    event.add("transp", "TRANSPARENT")  # a deadline, not a meeting: the day stays free
    return event


def calendar_of(user: User, at: date | None = None) -> bytes:
    """The user's feed as seen on ``at`` (default today); call inside ``links()`` so that the links are absolute."""
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", f"Échéances des conventions — {APPLICATION}")
    stamp = clock.now()
    items = sorted(deadlines_of(user, at or clock.today()), key=lambda item: (item.deadline, item.subject))
    for item in items:
        calendar.add_component(event_of(item, stamp))
    return calendar.to_ical()
