"""Convention, its parties, documents and events; the lifecycle rules are in lifecycle.py, called from here."""

import datetime as dt
from datetime import date, datetime

from sqlalchemy import (JSON, BigInteger, Boolean, CheckConstraint, ColumnElement, Date, DateTime, ForeignKey, Integer,
                        String, Text, TypeDecorator, UniqueConstraint, or_, text)
from sqlalchemy.orm import Mapped, mapped_column, relationship, validates

from registry.accounts.models import User
from registry.conventions import lifecycle
from registry.conventions.statuses import Status
from registry.core import clock
from registry.core.models import TimestampMixin, utcnow
from registry.documents.models import TemplateVersion
from registry.extensions import db
from registry.hospitals.models import HospitalProfile
from registry.organisations.models import Organisation

PARTY_HOSPITAL = "hospital"
PARTY_PARTNER = "partner"
KIND_DRAFT = "draft"
KIND_SIGNED = "signed"
#: Where a draft version comes from: rendered by the application from its template, or received (the partner's
#: Word file, tracked changes and comments included, stored byte for byte).
ORIGIN_GENERATED = "generated"
ORIGIN_RECEIVED = "received"
ORIGIN_LABELS = {ORIGIN_GENERATED: "produite par l'application", ORIGIN_RECEIVED: "version reçue du partenaire"}
#: Review of a signed copy whose signature check raised an alert (altered, modified after signing, unreadable):
#: set aside until a user confirms it (then it may be the current copy, flagged) or discards it.
#: No review (None) is the ordinary case: a copy without alert.
COPY_SET_ASIDE = "ecartee"
COPY_CONFIRMED = "confirmee"
COPY_DISCARDED = "rejetee"
#: Review states of a copy that may be the current one.
USABLE_REVIEWS = (None, COPY_CONFIRMED)


def _sql_list(statuses) -> str:
    return ", ".join(f"'{status}'" for status in statuses)


class StatusColumn(TypeDecorator):
    """A status stored as its plain code (VARCHAR), read back as a ``Status`` member so its flags are at hand."""

    impl = String(20)
    cache_ok = True

    def process_bind_param(self, value, dialect):
        return None if value is None else str(value)

    def process_result_value(self, value, dialect):
        return None if value is None else Status(value)


class ReferenceCounter(db.Model):
    """The last reference number given per hospital and year; incremented in the creating transaction."""

    __tablename__ = "convention_reference_counters"

    hospital_id: Mapped[int] = mapped_column(ForeignKey("hospital_profiles.id", ondelete="CASCADE"),
                                             primary_key=True)
    year: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    last_number: Mapped[int] = mapped_column(default=0)


class Convention(TimestampMixin, db.Model):
    __tablename__ = "conventions"
    __table_args__ = (
        UniqueConstraint("hospital_id", "year", "number", "amendment_number"),
        CheckConstraint(f"status IN ({_sql_list(Status)})", name="status"),
        CheckConstraint("(parent_id IS NULL AND amendment_number = 0)"
                        " OR (parent_id IS NOT NULL AND amendment_number > 0)", name="avenant_number"),
        CheckConstraint(f"status NOT IN ({_sql_list(Status.having('signed'))}) OR signed_on IS NOT NULL",
                        name="signed_on"),
        CheckConstraint(f"status <> '{Status.RESILIEE}'"
                        " OR (terminated_on IS NOT NULL AND termination_reason IS NOT NULL)", name="termination"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    #: "<FINESS ET>-<year>-<number on 3 digits>", unique per hospital and year; "<parent's>-A<n>" for an avenant.
    reference: Mapped[str] = mapped_column(String(30), unique=True)
    hospital_id: Mapped[int] = mapped_column(ForeignKey("hospital_profiles.id"), index=True)
    year: Mapped[int]
    number: Mapped[int]
    title: Mapped[str] = mapped_column(String(300))
    #: Stored status (statuses.Status: brouillon … resiliee); in force / expired are derived.
    status: Mapped[Status] = mapped_column(StatusColumn(), default=Status.BROUILLON)
    #: The template version it is drafted from; null for a convention drafted elsewhere and registered.
    template_version_id: Mapped[int | None] = mapped_column(ForeignKey("template_versions.id"))
    #: Optional clauses ticked (codes of the template's manifest).
    clauses: Mapped[list[str]] = mapped_column(JSON, default=list)
    #: Values of the template's own fields, as entered ({name: value}).
    fields: Mapped[dict] = mapped_column(JSON, default=dict)
    #: What the convention covers, which R6111-26 counts (codes of core.vocabulary).
    partner_types: Mapped[list[str]] = mapped_column(JSON, default=list)
    themes: Mapped[list[str]] = mapped_column(JSON, default=list)
    #: The articles it rests on (core.vocabulary.LEGAL_BASES): the template's, or given when registered.
    legal_bases: Mapped[list[str]] = mapped_column(JSON, default=list, server_default=text("'[]'"))
    #: The day the hospital sent it to the ARS (L6111-3-2 III, L6111-3-3, D6124-204 ask for it).
    transmitted_to_ars_on: Mapped[date | None] = mapped_column(Date)
    effective_date: Mapped[date | None] = mapped_column(Date)
    #: The duration is stored; the end date is derived from it (never both).
    duration_months: Mapped[int | None]
    tacit_renewal: Mapped[bool] = mapped_column(Boolean, default=True)
    notice_months: Mapped[int] = mapped_column(default=3)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    #: For an avenant, the convention it amends (it shares its hospital, year and number); null otherwise.
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("conventions.id"), index=True)
    #: 0 for a convention; 1, 2... for its avenants (reference suffix -A1, -A2...).
    amendment_number: Mapped[int] = mapped_column(default=0, server_default="0")
    #: The day the parties signed; set by the transition to « signée ».
    signed_on: Mapped[date | None] = mapped_column(Date)
    #: The day the résiliation takes effect: the convention is no longer in force from that day on.
    terminated_on: Mapped[date | None] = mapped_column(Date)
    termination_reason: Mapped[str | None] = mapped_column(Text)
    #: The convention that replaces this one; that one's ``supersedes`` lists the conventions it replaces.
    superseded_by_id: Mapped[int | None] = mapped_column(ForeignKey("conventions.id", ondelete="SET NULL"),
                                                         index=True)

    hospital: Mapped[HospitalProfile] = relationship()
    template_version: Mapped[TemplateVersion | None] = relationship()
    created_by: Mapped[User | None] = relationship()
    parties: Mapped[list["ConventionParty"]] = relationship(
        back_populates="convention", cascade="all, delete-orphan", order_by="ConventionParty.position")
    documents: Mapped[list["ConventionDocument"]] = relationship(
        back_populates="convention", cascade="all, delete-orphan", order_by="ConventionDocument.id")
    events: Mapped[list["ConventionEvent"]] = relationship(
        back_populates="convention", cascade="all, delete-orphan", order_by="[ConventionEvent.at, ConventionEvent.id]")
    parent: Mapped["Convention | None"] = relationship(
        back_populates="avenants", remote_side="Convention.id", foreign_keys=[parent_id])
    avenants: Mapped[list["Convention"]] = relationship(
        back_populates="parent", foreign_keys=[parent_id], order_by="Convention.amendment_number")
    superseded_by: Mapped["Convention | None"] = relationship(
        back_populates="supersedes", remote_side="Convention.id", foreign_keys=[superseded_by_id])
    supersedes: Mapped[list["Convention"]] = relationship(
        back_populates="superseded_by", foreign_keys=[superseded_by_id], order_by="Convention.id")

    @validates("status")
    def _as_status(self, key: str, value: str) -> Status | str:
        """A status set in Python is a ``Status`` at once, as one read back is; an unknown code is left for the
        database's CHECK constraint to refuse."""
        return Status(value) if Status.known(value) else value

    @classmethod
    def was_signed_clause(cls, model=None) -> ColumnElement[bool]:
        """SQL: the convention (or the aliased ``model``) was signed: ``Status.signed``."""
        return (model if model is not None else cls).status.in_(Status.having("signed"))

    @property
    def renews_tacitly(self) -> bool:
        """Under tacit renewal and still active (signed, not terminated): its period's end is no end."""
        return bool(self.tacit_renewal) and Status(self.status).active

    @property
    def partners(self) -> list["ConventionParty"]:
        return [party for party in self.parties if party.role == PARTY_PARTNER]

    @property
    def drafts(self) -> list["ConventionDocument"]:
        return [document for document in self.documents if document.kind == KIND_DRAFT]

    @property
    def signed_copies(self) -> list["ConventionDocument"]:
        """Every signed copy uploaded, oldest first, set-aside and discarded ones included."""
        return [document for document in self.documents if document.kind == KIND_SIGNED]

    @property
    def has_signed_copy(self) -> bool:
        """A signed copy is on file: the current one, or one set aside awaiting a decision (not a discarded one)."""
        return any(document.review != COPY_DISCARDED for document in self.signed_copies)

    @property
    def current_signed_copy(self) -> "ConventionDocument | None":
        """The newest signed copy without an alert or confirmed despite it; None when there is none."""
        usable = [document for document in self.signed_copies if document.usable]
        return max(usable, key=lambda document: document.version) if usable else None

    @property
    def is_avenant(self) -> bool:
        return self.parent_id is not None

    @property
    def kind(self) -> str:
        """"avenant" or "convention": derived from ``parent_id``, never stored twice."""
        return "avenant" if self.is_avenant else "convention"

    # --- Lifecycle (rules in lifecycle.py; transitions.py records the audit entry) -----------------------------

    def ensure_editable(self) -> None:
        """Raise Conflict once the fields are frozen (from « à signer » on); every editing service calls it."""
        lifecycle.ensure_editable(self)

    def possible_transitions(self) -> list[lifecycle.Transition]:
        """The transitions offered from the current status: the page's allowed actions."""
        return lifecycle.possible_transitions(self)

    def apply_transition(self, target: str, *, actor=None, comment: str | None = None, on: dt.date | None = None,
                         today: dt.date | None = None) -> "ConventionEvent":
        """Move to ``target`` when the guards allow it (else TransitionRefused), set its dates, add the event."""
        today = today or clock.today()
        rule = lifecycle.ensure_transition(self, target, comment=comment, on=on, today=today)
        comment = (comment or "").strip() or None
        source = self.status
        if target == Status.SIGNEE:
            self.signed_on = on
        elif target == Status.RESILIEE:
            self.terminated_on, self.termination_reason = on, comment
        self.status = target
        event = ConventionEvent(
            actor_id=actor.id if actor is not None else None, actor_label=actor.email if actor is not None else
            "système", from_status=source, to_status=target, comment=comment, date=on if rule.needs_date else None)
        self.events.append(event)
        return event

    def sign(self, on: dt.date, *, actor=None) -> "ConventionEvent":
        return self.apply_transition(Status.SIGNEE, actor=actor, on=on)

    def terminate(self, on: dt.date, reason: str, *, actor=None) -> "ConventionEvent":
        return self.apply_transition(Status.RESILIEE, actor=actor, on=on, comment=reason)

    def end_on(self, at: dt.date | None = None) -> dt.date | None:
        """Last day in force as seen on ``at`` (default today): derived, never stored."""
        return lifecycle.end_on(self, at or clock.today())

    def state_on(self, at: dt.date | None = None) -> str | None:
        """Derived state on ``at`` (default today): en_vigueur, a_renouveler, expiree, pas_encore_en_vigueur,
        resiliee; None while unsigned."""
        return lifecycle.state_on(self, at or clock.today())


class ConventionParty(db.Model):
    """A party to a convention (the hospital, one or more partners) and who signs for it."""

    __tablename__ = "convention_parties"
    __table_args__ = (UniqueConstraint("convention_id", "organisation_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    convention_id: Mapped[int] = mapped_column(ForeignKey("conventions.id", ondelete="CASCADE"), index=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"))
    role: Mapped[str] = mapped_column(String(10))
    position: Mapped[int] = mapped_column(default=0)
    signatory_name: Mapped[str | None] = mapped_column(String(120))
    #: The signatory's qualité (« Directeur », « Présidente »...).
    signatory_title: Mapped[str | None] = mapped_column(String(120))

    convention: Mapped[Convention] = relationship(back_populates="parties")
    organisation: Mapped[Organisation] = relationship(lazy="joined")

    @property
    def signatory(self) -> tuple[str, str]:
        """(name, title) of who signs: the signatory given for this convention, else the legal representative
        recorded for the organisation (a partner outside FINESS); « » for what is unknown."""
        if self.signatory_name or self.signatory_title:
            return self.signatory_name or "", self.signatory_title or ""
        return self.organisation.representative


class ConventionDocument(db.Model):
    """A stored document of a convention: its drafts now, its signed copies next. Bytes are in the store."""

    __tablename__ = "convention_documents"
    __table_args__ = (UniqueConstraint("convention_id", "kind", "version"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    convention_id: Mapped[int] = mapped_column(ForeignKey("conventions.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(20))
    #: 1, 2, 3... per convention and kind.
    version: Mapped[int]
    sha256: Mapped[str] = mapped_column(String(64))
    size: Mapped[int]
    #: For a signed copy: the CRC-32 of its bytes, recorded at upload so that a bundle need not compute it
    #: (bundles/stream.py); None for a draft, and for a copy stored before it was recorded.
    crc32: Mapped[int | None] = mapped_column(BigInteger)
    filename: Mapped[str] = mapped_column(String(200))
    media_type: Mapped[str] = mapped_column(String(120))
    template_version_id: Mapped[int | None] = mapped_column(ForeignKey("template_versions.id"))
    #: For a draft: the exact context it was rendered from, so it can be explained and rendered again. Loaded when
    #: read, not with the row: a convention's page, answer or bundle lists its documents, never their contexts.
    context: Mapped[dict | None] = mapped_column(JSON, deferred=True)
    #: For a signed copy: the content check and every electronic signature's report, as checked on upload.
    signature_report: Mapped[dict | None] = mapped_column(JSON)
    #: For a draft: ORIGIN_GENERATED (rendered from the template) or ORIGIN_RECEIVED (uploaded, kept as sent).
    origin: Mapped[str] = mapped_column(String(20), default=ORIGIN_GENERATED, server_default=ORIGIN_GENERATED)
    #: The uploader's note on a received version (« retour du CHU après relecture juridique »...).
    comment: Mapped[str | None] = mapped_column(Text)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    #: For a signed copy whose check raised an alert: COPY_SET_ASIDE, COPY_CONFIRMED or COPY_DISCARDED; else None.
    review: Mapped[str | None] = mapped_column(String(12))
    #: Why it was confirmed despite the alert (mandatory) or discarded (optional), by whom and when.
    review_reason: Mapped[str | None] = mapped_column(Text)
    reviewed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    reviewed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

    convention: Mapped[Convention] = relationship(back_populates="documents")
    template_version: Mapped[TemplateVersion | None] = relationship()
    created_by: Mapped[User | None] = relationship(foreign_keys=[created_by_id])
    reviewed_by: Mapped[User | None] = relationship(foreign_keys=[reviewed_by_id])

    @property
    def usable(self) -> bool:
        """May be the current signed copy: no alert, or confirmed despite it."""
        return self.review in USABLE_REVIEWS

    @classmethod
    def usable_clause(cls):
        """``usable`` in SQL."""
        return or_(cls.review.is_(None), cls.review == COPY_CONFIRMED)

    @property
    def origin_label(self) -> str:
        return ORIGIN_LABELS.get(self.origin, self.origin)

    @property
    def is_received(self) -> bool:
        return self.origin == ORIGIN_RECEIVED


class ConventionEvent(db.Model):
    """One transition of a convention: who, when, from which status to which, why, and its date if any."""

    __tablename__ = "convention_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    convention_id: Mapped[int] = mapped_column(ForeignKey("conventions.id", ondelete="CASCADE"), index=True)
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    #: Who acted, as text, so the timeline survives the deletion of an account ("système" for commands).
    actor_label: Mapped[str] = mapped_column(String(254))
    from_status: Mapped[str] = mapped_column(String(20))
    to_status: Mapped[str] = mapped_column(String(20))
    #: The reason given (required to go back from « à signer » and to terminate).
    comment: Mapped[str | None] = mapped_column(Text)
    #: The signature date (to « signée ») or the day the termination takes effect (to « résiliée »).
    date: Mapped[dt.date | None] = mapped_column(Date)

    convention: Mapped[Convention] = relationship(back_populates="events")
    actor: Mapped[User | None] = relationship()
