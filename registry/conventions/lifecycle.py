"""The convention lifecycle as data: stored statuses, allowed transitions and their guards, derived states.

Nothing here touches the database: ``Convention`` methods call these rules, ``transitions.py`` records the
events and audit entries. docs/lifecycle.md explains each rule and the readings chosen.
"""

from dataclasses import dataclass
from datetime import date, timedelta

from registry.conventions.statuses import Status
from registry.core.errors import Conflict
from registry.documents.context import add_months, end_date

#: Short names for the stored statuses, declared once in statuses.py (label, badge, flags).
BROUILLON, EN_NEGOCIATION, A_SIGNER, SIGNEE, RESILIEE = STATUSES = tuple(Status)

#: Derived states (never stored), computed from the dates and the day asked about.
EN_VIGUEUR, A_RENOUVELER, EXPIREE, PAS_ENCORE_EN_VIGUEUR = STATES = (
    "en_vigueur", "a_renouveler", "expiree", "pas_encore_en_vigueur")
STATE_LABELS = {EN_VIGUEUR: "En vigueur", A_RENOUVELER: "À renouveler", EXPIREE: "Expirée",
                PAS_ENCORE_EN_VIGUEUR: "Pas encore en vigueur", RESILIEE: "Résiliée"}
#: The renewal window opens this many months before the notice deadline (docs/lifecycle.md, « À renouveler »).
RENEWAL_MARGIN_MONTHS = 3


class TransitionRefused(Conflict):
    """A transition the rules do not allow (409); ``details`` lists what is missing, in French."""


@dataclass(frozen=True)
class Transition:
    source: Status
    target: Status
    #: The action's French label, for the convention page's buttons.
    label: str
    #: A comment is required (the reason for going back, the reason for terminating).
    needs_reason: bool = False
    #: A date is required: the signature date (signée) or the day the termination takes effect (résiliée).
    needs_date: bool = False
    #: A signed copy (document of kind "signed") must have been uploaded.
    needs_signed_copy: bool = False
    #: Only for a convention drafted outside the application (no template): registering it as signed.
    registered_only: bool = False


TRANSITIONS = (
    Transition(BROUILLON, EN_NEGOCIATION, "Mettre en négociation"),
    Transition(EN_NEGOCIATION, A_SIGNER, "Envoyer à la signature"),
    Transition(A_SIGNER, EN_NEGOCIATION, "Revenir en négociation", needs_reason=True),
    Transition(A_SIGNER, SIGNEE, "Enregistrer la signature", needs_date=True, needs_signed_copy=True),
    Transition(BROUILLON, SIGNEE, "Enregistrer comme signée", needs_date=True, needs_signed_copy=True,
               registered_only=True),
    Transition(SIGNEE, RESILIEE, "Résilier", needs_reason=True, needs_date=True),
)
RULES = {(rule.source, rule.target): rule for rule in TRANSITIONS}


def rule_for(source: str, target: str) -> Transition | None:
    return RULES.get((source, target))


def possible_transitions(convention) -> list[Transition]:
    """The transitions the table offers from the convention's status (guards on data are checked on request)."""
    return [rule for rule in TRANSITIONS if rule.source == convention.status
            and (not rule.registered_only or convention.template_version_id is None)]


def refusal_reasons(convention, target: str, *, comment: str | None, on: date | None,
                    today: date) -> list[str]:
    """Everything that keeps ``convention`` from going to ``target``, in French; empty when allowed."""
    if not Status.known(target):
        return [f"statut inconnu : « {target} »"]
    rule = rule_for(convention.status, target)
    if rule is None:
        return [_not_in_table(convention.status, target)]
    reasons = []
    if rule.registered_only and convention.template_version_id is not None:
        reasons.append("seule une convention rédigée hors de l'application peut être enregistrée signée "
                       "directement depuis « Brouillon » ; celle-ci passe par la négociation et « À signer »")
    if target == A_SIGNER and convention.template_version_id is not None and not convention.drafts:
        reasons.append("produisez d'abord un projet de convention à signer")
    if rule.needs_reason and not (comment or "").strip():
        reasons.append("indiquez le motif de la résiliation" if target == RESILIEE
                       else "indiquez le motif du retour en négociation")
    if rule.needs_signed_copy and not convention.has_signed_copy:
        reasons.append("déposez la copie signée")
    if rule.needs_date:
        reasons += _date_problems(convention, target, on, today)
    if convention.parent_id is not None and target == SIGNEE and not Status(convention.parent.status).active:
        reasons.append("la convention principale n'est pas (ou plus) signée")
    return reasons


def _not_in_table(source: str, target: str) -> str:
    if source == target:
        return f"la convention est déjà « {Status(source).label} »"
    targets = [rule.target.label for rule in TRANSITIONS if rule.source == source]
    allowed = ("aucun changement de statut n'est possible depuis ce statut" if not targets else
               "depuis ce statut : " + ", ".join(f"« {label} »" for label in dict.fromkeys(targets)))
    if Status(source).deletable and target == RESILIEE:
        allowed = "une convention jamais signée ne se résilie pas : supprimez-la"
    return f"passage de « {Status(source).label} » à « {Status(target).label} » impossible ({allowed})"


def _date_problems(convention, target: str, on: date | None, today: date) -> list[str]:
    if target == SIGNEE:
        if on is None:
            return ["indiquez la date de signature"]
        if on > today:
            return ["la date de signature ne peut pas être dans le futur"]
        return []
    if on is None:
        return ["indiquez la date d'effet de la résiliation"]
    if convention.signed_on is not None and on < convention.signed_on:
        return ["la résiliation ne peut pas prendre effet avant la signature"]
    return []


def ensure_transition(convention, target: str, *, comment: str | None, on: date | None, today: date) -> Transition:
    reasons = refusal_reasons(convention, target, comment=comment, on=on, today=today)
    if reasons:
        label = Status.label_of(target)
        raise TransitionRefused(f"Passage à « {label} » refusé : " + " ; ".join(reasons) + ".", details=reasons)
    return rule_for(convention.status, target)


def ensure_editable(convention) -> None:
    if not Status(convention.status).editable:
        raise Conflict("Les champs de la convention sont figés depuis son passage « à signer » : "
                       "repassez-la « en négociation » (avec un motif) pour la modifier.")


# --- Derived dates and states ---------------------------------------------------------------------------------

def period_end(effective: date | None, months: int | None, tacit_renewal: bool, at: date) -> date | None:
    """Last day in force of the period that contains ``at`` (the first period before it starts).

    Without tacit renewal there is one period. With it, the convention renews by periods of its duration, each
    computed from the effective date (1 + k × duration months, clamped to the month's end) so days never drift.
    """
    if effective is None or not months:
        return None
    first_end = end_date(effective, months)
    if not tacit_renewal or at <= first_end:
        return first_end
    elapsed = (at.year - effective.year) * 12 + at.month - effective.month
    k = max(0, elapsed // months - 1)
    while end_date(effective, (k + 1) * months) < at:
        k += 1
    return end_date(effective, (k + 1) * months)


def renewed_by(effective: date | None, months: int | None, tacit_renewal: bool, at: date) -> bool:
    """Whether a convention under tacit renewal has renewed at least once by ``at`` (its first period is over)."""
    return bool(tacit_renewal and effective is not None and months) and at > end_date(effective, months)


def notice_deadline(end: date, notice_months: int) -> date:
    """Last day to give notice so that the convention stops at ``end`` (notice_months before the next day)."""
    return add_months(end + timedelta(days=1), -notice_months) - timedelta(days=1)


def renewal_window_opens(end: date, notice_months: int) -> date:
    """First day of « à renouveler »: RENEWAL_MARGIN_MONTHS before the notice period that ends at ``end``."""
    return add_months(end + timedelta(days=1), -(notice_months + RENEWAL_MARGIN_MONTHS))


def end_on(convention, at: date) -> date | None:
    """Last day in force as seen on ``at``: the current period's end, or the day before a termination."""
    if convention.parent_id is not None:
        return end_on(convention.parent, at)
    end = period_end(convention.effective_date, convention.duration_months, convention.tacit_renewal, at)
    if convention.status == RESILIEE and convention.terminated_on is not None:
        last = convention.terminated_on - timedelta(days=1)
        end = last if end is None else min(end, last)
    return end


def state_on(convention, at: date) -> str | None:
    """en_vigueur, a_renouveler, expiree, pas_encore_en_vigueur or resiliee; None before signature."""
    if not Status(convention.status).signed:
        return None
    if convention.status == RESILIEE and convention.terminated_on <= at:
        return RESILIEE
    if convention.parent_id is not None:
        starts = convention.effective_date or convention.signed_on
        return PAS_ENCORE_EN_VIGUEUR if starts > at else state_on(convention.parent, at)
    if convention.effective_date is not None and convention.effective_date > at:
        return PAS_ENCORE_EN_VIGUEUR
    end = end_on(convention, at)
    if end is None:
        return EN_VIGUEUR
    if end < at:
        return EXPIREE
    if Status(convention.status).active and at >= renewal_window_opens(end, convention.notice_months):
        return A_RENOUVELER
    return EN_VIGUEUR
