"""A convention's terms: what the drafting and registering forms, the API's payloads and the stock import's rows
all give to create or register a convention (services.create_convention, services.register_convention,
registering.register_signed). Each builder makes one ``ConventionTerms``; the services check it."""

from dataclasses import dataclass, field
from datetime import date


@dataclass
class Signatory:
    name: str = ""
    title: str = ""


@dataclass(frozen=True)
class ConventionTerms:
    #: The hospital's partnerships whose partners sign the convention.
    partnerships: list
    effective_date: date | None
    duration_months: int | None
    #: None: the template's own (a drafted convention); required for a registered one.
    partner_types: list[str] | None = None
    #: A drafted convention's themes are its articles'; a registered one declares them.
    themes: list[str] = field(default_factory=list)
    tacit_renewal: bool = True
    notice_months: int | None = 3
    #: None or blank: a title made from the template's name (or « Convention ») and the partners' names.
    title: str | None = None
    #: Who signs for each organisation (by organisation id).
    signatories: dict[int, Signatory] = field(default_factory=dict)
    #: A drafted convention's legal bases are its template's; a registered one declares them.
    legal_bases: list[str] = field(default_factory=list)
