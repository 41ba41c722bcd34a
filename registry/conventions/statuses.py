"""The stored convention statuses: the one declaration of each status, its label, its badge and what it allows.

``Status`` is a ``StrEnum``: a member equals its stored string, so database values, API values and URLs stay
the plain codes. The transitions between statuses live in ``lifecycle.TRANSITIONS``; everything else the code
asks about a status is a flag here (docs/lifecycle.md, « Adding a status »). Nothing here imports the rest of the
application: the compliance checker reads it too.
"""

from dataclasses import dataclass
from enum import StrEnum

#: The flags a status may carry; each one names a question the code asks about a status.
FLAGS = ("signed", "active", "editable", "deletable", "attachable", "bundled", "correctable")


class Status(StrEnum):
    """A stored status; ``label`` is its French name, ``badge`` the Bootstrap classes of its badge.

    Flags (each False unless listed on the member):

    - ``signed``: it was signed (signée, résiliée): it counts for compliance, is transmitted to the ARS, may be
      replaced by a successor, and holds a signature date.
    - ``active``: signed and not terminated: it renews tacitly, may become « à renouveler », may get avenants,
      and as a successor it takes over its predecessor.
    - ``editable``: its fields, clauses, parties and dates may change, and drafts be rendered.
    - ``deletable``: it never reached signature: it is deleted (abandoned) rather than terminated.
    - ``attachable``: a signed copy may be uploaded (a registered convention's « brouillon » too: signed_copies).
    - ``bundled``: its signed copy goes into the ZIP bundles and it may be ticked for one.
    - ``correctable``: a mistake in a signed convention is corrected (with a reason) rather than edited.
    """

    def __new__(cls, code: str, label: str, badge: str, *flags: str):
        unknown = set(flags) - set(FLAGS)
        if unknown:
            raise ValueError(f"Status {code}: unknown flags {sorted(unknown)}")
        member = str.__new__(cls, code)
        member._value_ = code
        member.label = label
        member.badge = badge
        for flag in FLAGS:
            setattr(member, flag, flag in flags)
        return member

    BROUILLON = "brouillon", "Brouillon", "text-bg-light border", "editable", "deletable"
    EN_NEGOCIATION = "en_negociation", "En négociation", "text-bg-light border", "editable", "deletable"
    A_SIGNER = "a_signer", "À signer", "text-bg-light border", "attachable"
    SIGNEE = "signee", "Signée", "text-bg-light border", "signed", "active", "attachable", "bundled", "correctable"
    RESILIEE = "resiliee", "Résiliée", "text-bg-light border", "signed", "bundled", "correctable"

    @classmethod
    def of(cls, code: str) -> "Status":
        """The member stored as ``code``; ValueError for an unknown code."""
        return cls(code)

    @classmethod
    def known(cls, code) -> bool:
        return code in cls._value2member_map_

    @classmethod
    def having(cls, flag: str) -> tuple["Status", ...]:
        """The statuses carrying ``flag``, in declaration order (for SQL ``IN`` clauses and choices)."""
        if flag not in FLAGS:
            raise ValueError(f"unknown status flag {flag!r}")
        return tuple(status for status in cls if getattr(status, flag))

    @classmethod
    def label_of(cls, code: str) -> str:
        """The French label of ``code``, or the code itself when it is unknown (an old export, a typo in a URL)."""
        status = cls._value2member_map_.get(code)
        return status.label if status is not None else code


@dataclass(frozen=True)
class Arrival:
    """The words of a transition's form and of the timeline for the status it reaches (``lifecycle.TRANSITIONS``
    says whether the transition asks for a date or a reason)."""

    date_label: str | None = None
    date_help: str | None = None
    reason_label: str | None = None
    #: How the convention's timeline introduces the event's date (« signée le 3 mars 2026 »).
    event_date: str = "date :"


ARRIVALS = {
    Status.SIGNEE: Arrival("Date de signature", "Le jour où la dernière partie a signé ; pas dans le futur.",
                           event_date="signée le"),
    Status.RESILIEE: Arrival("Date d'effet de la résiliation", "Premier jour où la convention n'est plus en vigueur.",
                             "Motif de la résiliation", event_date="résiliation à compter du"),
    Status.EN_NEGOCIATION: Arrival(reason_label="Motif du retour en négociation"),
}


def arrival(status: str) -> Arrival:
    """The words for reaching ``status`` (empty ones for a status reached without a date or reason)."""
    return ARRIVALS.get(status, Arrival())
