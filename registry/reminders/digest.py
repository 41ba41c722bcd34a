"""The digest mail, in French: one per recipient, naming each convention (reference, partners), its deadline and
the link to its page (absolute, from BASE_URL)."""

from datetime import date
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid, parseaddr

from flask import current_app, url_for

from registry.accounts.models import ROLE_ARS
from registry.core import clock
from registry.core.errors import DomainError
from registry.core.french import french_date, french_join
from registry.reminders.due import END, LATE, NOTICE, STATUTORY, Digest, Reminder, delays

APPLICATION = "Registre des hôpitaux de proximité"
SECTIONS = {
    NOTICE: "Préavis à donner",
    END: "Conventions qui prennent fin",
    STATUTORY: "Conventions obligatoires (articles L6111-3-2 et L6111-3-3) à conclure",
}


def base_url() -> str:
    """BASE_URL without its trailing slash; sending without it would put links nobody can open in the mails."""
    value = (current_app.config.get("BASE_URL") or "").strip().rstrip("/")
    if not value.startswith(("http://", "https://")):
        raise DomainError("BASE_URL n'est pas configuré (adresse de l'application, par exemple "
                          "https://hdp.ars-bfc.fr) : les liens des courriels ne peuvent être écrits.")
    return value


def _in_days(days: int) -> str:
    if days == 0:
        return "aujourd'hui"
    if days < 0:
        return f"dépassé depuis {-days} jour{'s' if days < -1 else ''}"
    return f"dans {days} jour{'s' if days > 1 else ''}"


def line(reminder: Reminder) -> str:
    """What the reminder says, in one sentence (also the dry run's listing)."""
    when = f"le {french_date(reminder.deadline)} ({_in_days(reminder.days_left)})"
    if reminder.kind == STATUTORY:
        if reminder.delay_days == LATE:
            return (f"{reminder.hospital} (FINESS {reminder.hospital_finess}) : {reminder.title} — délai d'un an "
                    f"depuis l'inscription sur la liste expiré le {french_date(reminder.deadline)}, aucune "
                    "convention en vigueur.")
        return (f"{reminder.hospital} (FINESS {reminder.hospital_finess}) : {reminder.title} — aucune convention en "
                f"vigueur, à conclure au plus tard {when}.")
    partners = french_join(list(reminder.partners)) or "aucun partenaire enregistré"
    head = f"{reminder.reference} « {reminder.title} » ({reminder.hospital} ; partenaires : {partners})"
    if reminder.kind == NOTICE:
        if reminder.tacit_renewal:
            return (f"{head} : à dénoncer au plus tard {when} pour qu'elle prenne fin le {french_date(reminder.end)} ; "
                    "sans dénonciation, elle est reconduite tacitement.")
        return f"{head} : date limite de préavis {when}, avant sa fin le {french_date(reminder.end)}."
    return f"{head} : prend fin {when}."


def page_url(reminder: Reminder) -> str:
    """The convention's page, or the hospital's compliance page for a statutory convention."""
    if reminder.convention_id is not None:
        return url_for("conventions.show", convention_id=reminder.convention_id, _external=True)
    return url_for("compliance.hospital", finess=reminder.hospital_finess, _external=True)


def subject_of(digest: Digest) -> str:
    count = len(digest.reminders)
    if digest.role == ROLE_ARS:
        return (f"{APPLICATION} : {count} convention{'s' if count > 1 else ''} obligatoire{'s' if count > 1 else ''} "
                "manquante" + ("s" if count > 1 else "") + " ou en retard")
    return f"{APPLICATION} : {count} échéance{'s' if count > 1 else ''} de convention{'s' if count > 1 else ''}"


def body(digest: Digest, at: date) -> str:
    """The text of the mail; call inside ``links_context()`` so that the links are absolute."""
    if digest.role == ROLE_ARS:
        intro = (f"Voici, au {french_date(at)}, les conventions que la loi demande aux hôpitaux de proximité de votre "
                 "région de conclure dans l'année de leur inscription sur la liste, et qu'aucune convention en "
                 "vigueur ne remplit encore.")
        overview = "Tableau de conformité : " + url_for("compliance.dashboard", _external=True)
    else:
        intro = (f"Voici, au {french_date(at)}, les échéances à venir des conventions de "
                 f"{'vos hôpitaux' if len({item.hospital_id for item in digest.reminders}) > 1 else 'votre hôpital'}.")
        overview = "Toutes les échéances : " + url_for("conventions.followup", _external=True)
    parts = ["Bonjour,", "", intro]
    for kind, title in SECTIONS.items():
        items = [item for item in digest.reminders if item.kind == kind]
        if not items:
            continue
        parts += ["", title, "-" * len(title)]
        for item in items:
            parts += [f"- {line(item)}", f"  {page_url(item)}"]
    parts += ["", overview, "",
              "Ce courriel est envoyé automatiquement par le registre ; chaque rappel n'est envoyé qu'une fois par "
              "échéance et par délai (" + ", ".join(f"{days} jours" for days in delays()) + " avant).", ""]
    return "\n".join(parts)


def links_context():
    """A request context on BASE_URL, for url_for(..., _external=True) outside any request."""
    root = base_url()
    return current_app.test_request_context("/", base_url=root)


def compose(digest: Digest, at: date, sender: str) -> EmailMessage:
    """The mail of one digest (call inside ``links_context()``)."""
    message = EmailMessage()
    message["Subject"] = subject_of(digest)
    message["From"] = sender
    message["To"] = digest.email
    message["Date"] = format_datetime(clock.now())
    message["Message-ID"] = make_msgid(domain=parseaddr(sender)[1].rpartition("@")[2] or None)
    message["Auto-Submitted"] = "auto-generated"
    message.set_content(body(digest, at))
    return message
