"""What the convention page shows of the lifecycle: the derived state, the forms of the allowed actions (editors
only), the signed copies with their signature report in French, and the timeline from the creation.

The page's route computes ``convention_lifecycle(convention, can_edit, failure=...)`` (convention_page.py) and
passes it to show.html as ``life``; after a refusal the action routes (lifecycle_routes.py) pass the refused form
so that the page shows it again with its message and typed values.
Constant queries whatever the number of events, copies or avenants (tested).
"""

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import NamedTuple

from flask import current_app
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from registry.audit.models import AuditLog
from registry.conventions.editing import CORRECTION_ACTION, REASON_KEY, change_history
from registry.conventions.lifecycle_forms import (AbandonForm, AvenantForm, LegalBasesForm, SignedCopyForm,
                                                  SupersedeForm, TransmissionForm, review_forms, transition_form)
from registry.conventions.models import (COPY_CONFIRMED, COPY_DISCARDED, COPY_SET_ASIDE, KIND_SIGNED, Convention,
                                         ConventionDocument)
from registry.conventions.signed_copies import copy_alerts, may_attach_copy
from registry.conventions.statuses import Status, arrival
from registry.core import clock
from registry.core.french import PARIS, french_date, french_datetime
from registry.extensions import db
from registry.signatures import count_label, labels

#: Bootstrap colours of a signature verdict; the words always say the same (colour is never the only signal).
VERDICT_CLASSES = {labels.ALTERED: "text-bg-danger", labels.MODIFIED: "text-bg-danger",
                   labels.CERT_REVOKED: "text-bg-warning", labels.UNREADABLE: "text-bg-warning",
                   labels.INTACT_UNTRUSTED: "text-bg-info", labels.INTACT_TRUSTED: "text-bg-success"}
REVIEW_EVENTS = {COPY_CONFIRMED: "confirmée malgré l'alerte de signature", COPY_DISCARDED: "écartée définitivement"}


@dataclass
class SignedCopy:
    """A signed copy as the page shows it: the stored document and its signature report, in French."""

    document: ConventionDocument
    #: The confirm and discard forms of a set-aside copy, for editors.
    confirm_form: object = None
    discard_form: object = None

    @property
    def set_aside(self) -> bool:
        return self.document.review == COPY_SET_ASIDE

    @property
    def confirmed(self) -> bool:
        """Confirmed despite the alert: may be current, and always shown flagged."""
        return self.document.review == COPY_CONFIRMED

    @property
    def discarded(self) -> bool:
        return self.document.review == COPY_DISCARDED

    @property
    def alerts(self) -> list[str]:
        """Why the check raised an alert, in French; [] for a copy without alert."""
        return copy_alerts(self.report)

    @property
    def count_label(self) -> str:
        """« 2 signatures, 1 horodatage »: document timestamps are no signers."""
        return count_label(self.report.get("signatures", []))

    @property
    def review_text(self) -> str | None:
        """« écartée », « confirmée malgré l'alerte : <raison> », « écartée définitivement »; None without alert."""
        reason = self.document.review_reason
        if self.confirmed:
            return f"confirmée malgré l'alerte : {reason}"
        if self.discarded:
            return "écartée définitivement" + (f" : {reason}" if reason else "")
        return "écartée : en attente de confirmation" if self.set_aside else None

    @property
    def report(self) -> dict:
        return self.document.signature_report or {}

    @property
    def label(self) -> str:
        return self.report.get("label", "signature non vérifiée")

    @property
    def signatures(self) -> list[dict]:
        return [{**signature, "signing_time_fr": _french_time(signature.get("signing_time")),
                 "css": VERDICT_CLASSES.get(signature.get("verdict"), "text-bg-light border")}
                for signature in self.report.get("signatures", [])]

    @property
    def css(self) -> str:
        verdicts = [signature.get("verdict") for signature in self.report.get("signatures", [])]
        worst = next((v for v in labels.VERDICTS_WORST_FIRST if v in verdicts), None)
        return VERDICT_CLASSES.get(worst, "text-bg-light border")

    @property
    def pdf(self) -> dict:
        return self.report.get("pdf", {})

    @property
    def last_signature_day(self) -> date | None:
        """The day (in Paris) of the latest electronic signature the PDF carries, document timestamps aside: the
        signature date entered for the convention should be that one."""
        times = [datetime.fromisoformat(signature["signing_time"]) for signature in self.report.get("signatures", [])
                 if signature.get("signing_time") and signature.get("kind") != labels.DOCUMENT_TIMESTAMP]
        return max(clock.as_utc(moment) for moment in times).astimezone(PARIS).date() if times else None

    @property
    def created_at(self) -> datetime:
        return clock.as_utc(self.document.created_at)


class Refusal(NamedTuple):
    """A form the domain (or the form itself) refused: shown again beside its key's place on the page."""

    key: str
    form: object
    message: str | None


@dataclass
class TimelineEntry:
    at: datetime
    actor: str
    what: str
    source: str | None = None
    target: str | None = None
    comment: str | None = None
    date_text: str | None = None
    #: For an edit or a correction: (what, « new (auparavant : old) ») per value changed.
    changes: list[tuple[str, str]] = field(default_factory=list)
    correction: bool = False


@dataclass
class Lifecycle:
    """Everything show.html needs beyond the record: state, actions (editors only), copies, links, timeline."""

    convention: Convention
    state: str | None
    end: date | None
    transitions: list = field(default_factory=list)
    copy_form: SignedCopyForm | None = None
    avenant_form: AvenantForm | None = None
    abandon_form: AbandonForm | None = None
    supersede_form: SupersedeForm | None = None
    transmission_form: TransmissionForm | None = None
    legal_bases_form: LegalBasesForm | None = None
    copies: list[SignedCopy] = field(default_factory=list)
    timeline: list[TimelineEntry] = field(default_factory=list)
    #: The refusal to show beside the form named ``failed`` (or above the actions when no form matches).
    failed: str | None = None
    failed_form: object = None
    error: str | None = None
    max_upload_mb: int = 25
    today: date = field(default_factory=clock.today)
    #: « Modifier » (still negotiated) and « Corriger » (signed or terminated): editors, main conventions only.
    may_edit: bool = False
    may_correct: bool = False
    #: « Modifier l'avenant »: an avenant drafted from the avenant template, still negotiated (avenant_routes.py).
    may_edit_avenant: bool = False

    @property
    def current_copy(self) -> SignedCopy | None:
        """The newest copy without alert or confirmed despite it (set-aside and discarded ones never are)."""
        return next((copy for copy in self.copies if copy.document.usable), None)

    @property
    def set_aside_copies(self) -> list[SignedCopy]:
        return [copy for copy in self.copies if copy.set_aside]

    @property
    def has_actions(self) -> bool:
        return bool(self.transitions or self.abandon_form or self.supersede_form or self.transmission_form
                    or self.legal_bases_form)

    @property
    def stray_error(self) -> bool:
        """A refusal for an action the page does not show (posted by hand, or offered no longer)."""
        shown = {f"statut-{form.rule.target}" for form in self.transitions}
        shown |= {f"{verb}-v{copy.document.version}" for copy in self.copies if copy.confirm_form
                  for verb in ("confirmer", "ecarter")}
        shown |= {key for key, form in (("copie", self.copy_form), ("avenant", self.avenant_form),
                                        ("abandon", self.abandon_form), ("remplacement", self.supersede_form),
                                        ("transmission", self.transmission_form),
                                        ("fondements", self.legal_bases_form))
                  if form is not None}
        return self.failed is not None and self.failed not in shown


def convention_lifecycle(convention: Convention, can_edit: bool, *, failure: "Refusal | None" = None) -> Lifecycle:

    def form_for(key: str, make):
        return failure.form if failure and failure.key == key else make()

    copies = _signed_copies(convention)
    page = Lifecycle(convention=convention, state=convention.state_on(), end=convention.end_on(),
                     copies=[SignedCopy(document) for document in reversed(copies)],
                     timeline=_timeline(convention, copies), max_upload_mb=current_app.config["MAX_UPLOAD_MB"],
                     failed=failure.key if failure else None, failed_form=failure.form if failure else None,
                     error=failure.message if failure else None)
    if not can_edit:
        return page
    page.may_edit = not convention.is_avenant and convention.status.editable
    page.may_correct = not convention.is_avenant and convention.status.correctable
    for copy in page.set_aside_copies:
        version = copy.document.version
        fresh = review_forms(version, formdata=None)
        copy.confirm_form = form_for(f"confirmer-v{version}", lambda: fresh[0])
        copy.discard_form = form_for(f"ecarter-v{version}", lambda: fresh[1])
    page.may_edit_avenant = (convention.is_avenant and convention.template_version_id is not None
                             and convention.status.editable)
    page.transitions = [form_for(f"statut-{rule.target}", lambda rule=rule: transition_form(rule, formdata=None))
                        for rule in convention.possible_transitions()]
    if may_attach_copy(convention):
        page.copy_form = form_for("copie", lambda: SignedCopyForm(formdata=None))
        page.copy_form.file.description = (
            f"Le PDF signé, {page.max_upload_mb} Mo au plus. Son contenu est vérifié (PDF complet et lisible) "
            "ainsi que ses signatures électroniques ; une copie déjà déposée reste dans l'historique.")
    if not convention.is_avenant and convention.status.active:
        page.avenant_form = form_for("avenant", lambda: AvenantForm(formdata=None))
    if convention.status.deletable and not convention.avenants:
        page.abandon_form = form_for("abandon", lambda: AbandonForm(formdata=None))
    if convention.template_version_id is None and not convention.is_avenant:
        page.legal_bases_form = form_for("fondements", lambda: LegalBasesForm(
            formdata=None, data={"legal_bases": list(convention.legal_bases or ())}))
    if convention.status.signed:
        page.transmission_form = form_for("transmission", lambda: TransmissionForm(
            formdata=None, data={"date": convention.transmitted_to_ars_on}))
    if not convention.is_avenant and convention.status != Status.RESILIEE:
        candidates = _replaceable(convention)
        if candidates:
            page.supersede_form = form_for("remplacement", lambda: SupersedeForm(formdata=None))
            page.supersede_form.replaced.choices = [(c.id, f"{c.reference} · {c.title}") for c in candidates]
    return page


def _signed_copies(convention: Convention) -> list[ConventionDocument]:
    """Signed copies, oldest first, with their authors (one query whatever their number)."""
    return list(db.session.scalars(
        select(ConventionDocument).where(ConventionDocument.convention_id == convention.id,
                                         ConventionDocument.kind == KIND_SIGNED)
        .options(joinedload(ConventionDocument.created_by), joinedload(ConventionDocument.reviewed_by))
        .order_by(ConventionDocument.version)))


def _replaceable(convention: Convention) -> list[Convention]:
    """The hospital's signed (or terminated) main conventions not yet replaced: what this one may replace."""
    return list(db.session.scalars(select(Convention).where(
        Convention.hospital_id == convention.hospital_id, Convention.id != convention.id,
        Convention.parent_id.is_(None), Convention.superseded_by_id.is_(None),
        Convention.was_signed_clause()).order_by(Convention.reference)))


def _timeline(convention: Convention, copies: list[ConventionDocument]) -> list[TimelineEntry]:
    """The creation, every transition, every edit or correction and every signed copy deposited, oldest first."""
    entries = [TimelineEntry(convention.created_at, convention.created_by.label if convention.created_by else "—",
                             "Création", target=Status.BROUILLON)]
    entries += [TimelineEntry(event.at, event.actor_label, "Changement de statut", event.from_status,
                              event.to_status, event.comment,
                              f"{arrival(event.to_status).event_date} {french_date(event.date)}"
                              if event.date else None) for event in convention.events]
    entries += [TimelineEntry(copy.created_at, copy.created_by.label if copy.created_by else "—",
                              f"Copie signée v{copy.version} déposée"
                              + (" et mise à l'écart" if copy.review is not None else ""),
                              comment=(copy.signature_report or {}).get("label")) for copy in copies]
    entries += [_change_entry(audit) for audit in change_history(convention)]
    entries += [TimelineEntry(copy.reviewed_at, copy.reviewed_by.label if copy.reviewed_by else "—",
                              f"Copie signée v{copy.version} " + REVIEW_EVENTS[copy.review], comment=copy.review_reason)
                for copy in copies if copy.reviewed_at is not None and copy.review in REVIEW_EVENTS]
    for entry in entries:
        entry.at = clock.as_utc(entry.at)
    return sorted(entries, key=lambda entry: entry.at)  # stable: the creation stays first on a tie


def _change_entry(audit: AuditLog) -> TimelineEntry:
    from registry.hospitals.history import audit_changes  # the trail's sentences (old → new), said once

    changes = audit.changes or {}
    correction = audit.action == CORRECTION_ACTION
    return TimelineEntry(audit.at, audit.actor_label, "Correction" if correction else "Modification",
                         comment=(changes.get(REASON_KEY) or [None, None])[1], changes=audit_changes(changes),
                         correction=correction)


def _french_time(iso: str | None) -> str:
    return french_datetime(datetime.fromisoformat(iso)) if iso else "—"
