"""The forms of a CPOM's life after its signature, for the ARS (and administrators): its signed copy, avenants and
the targets they change, the conventions linked to an engagement, more sites of the legal entity, evaluations.

Each takes a prefix naming its CPOM, so that several CPOMs on one page never share fields. The forms read what is
typed; the rules are the domain's (services.py, avenants.py, evaluation.py).
"""

from flask_wtf.file import FileField, FileRequired
from wtforms import BooleanField, SelectField, TextAreaField
from wtforms.validators import InputRequired, Length

from sqlalchemy import select

from registry.conventions.models import Convention
from registry.cpom.catalogue import spec_of
from registry.cpom.evaluation import KIND_LABELS
from registry.cpom.forms import COMPARATOR_LABELS, _comment, _date, _number
from registry.extensions import db
from registry.hospitals.models import HospitalProfile
from registry.organisations.forms import FrenchForm, MultiCheckboxField, options
from registry.organisations.models import Organisation


def _engagement_choices(cpom) -> list:
    return options(((str(item.id), spec_of(item).label) for item in cpom.engagements), blank="—")


class SignedCopyForm(FrenchForm):
    file = FileField("Exemplaire signé du CPOM (PDF ou document bureautique)",
                     validators=[FileRequired("Choisissez le fichier de l'exemplaire signé.")])


class AvenantForm(FrenchForm):
    file = FileField("Exemplaire signé (facultatif)")
    signed_on = _date("Signé le")
    effective_on = _date("Date d'effet", "Les cibles qu'il change s'appliquent à partir de l'année de cette date.")
    object = TextAreaField("Objet", validators=[InputRequired("Indiquez l'objet de l'avenant."),
                                                Length(max=4000, message="4 000 caractères au plus.")],
                           render_kw={"rows": 2})


class TargetChangeForm(FrenchForm):
    engagement = SelectField("Engagement", choices=[], validate_choice=False)
    avenant = SelectField("Par l'avenant", choices=[], validate_choice=False)
    comparator = SelectField("Nouvelle cible", choices=options(COMPARATOR_LABELS.items()),
                             invalid_choice_message="Comparateur inconnu.")
    target_value = _number("Valeur cible", "Vide : selon négociation.")
    applicable = BooleanField("L'engagement s'applique", default=True)
    reason = _comment("Motif (obligatoire s'il ne s'applique plus)")

    def offer(self, cpom) -> "TargetChangeForm":
        self.engagement.choices = _engagement_choices(cpom)
        self.avenant.choices = options(((str(item.id), f"Avenant n° {item.number} — {item.object[:60]}")
                                        for item in cpom.avenants), blank="—")
        return self


class LinksForm(FrenchForm):
    engagement = SelectField("Engagement", choices=[], validate_choice=False)
    conventions = MultiCheckboxField("Conventions qui le mettent en œuvre", choices=[], validate_choice=False)

    def offer(self, cpom, conventions) -> "LinksForm":
        self.engagement.choices = _engagement_choices(cpom)
        self.conventions.choices = options((str(item.id), f"{item.reference} — {item.title or ''}".rstrip(" —"))
                                           for item in conventions)
        return self


class SiteForm(FrenchForm):
    hospital = SelectField("Autre site de l'entité juridique", choices=[], validate_choice=False)

    def offer(self, candidates) -> "SiteForm":
        self.hospital.choices = options(((item.finess_et, f"{item.name} ({item.finess_et})") for item in candidates),
                                        blank="—")
        return self


class EvaluationForm(FrenchForm):
    kind = SelectField("Évaluation", choices=options(KIND_LABELS.items()), invalid_choice_message="Type inconnu.")
    held_on = _date("Tenue le")
    minutes = TextAreaField("Compte rendu", validators=[Length(max=20000, message="20 000 caractères au plus.")],
                            render_kw={"rows": 3})


#: Each form of a CPOM's management section: (key prefix, form class).
FORMS = {"exemplaire": SignedCopyForm, "avenant": AvenantForm, "cible": TargetChangeForm, "liens": LinksForm,
         "site": SiteForm, "evaluation": EvaluationForm}


def candidate_sites(cpom) -> list:
    """The legal entity's other HdP sites the CPOM does not cover yet."""
    if not cpom.finess_ej:
        return []
    covered = {site.id for site in cpom.sites}
    return [hospital for hospital in db.session.scalars(
        select(HospitalProfile).join(Organisation).where(Organisation.finess_ej == cpom.finess_ej)
        .order_by(Organisation.name)) if hospital.id not in covered]


def covered_conventions(cpom) -> list:
    """The main conventions of the covered hospitals, that an engagement may be linked to."""
    return list(db.session.scalars(select(Convention).where(
        Convention.hospital_id.in_([site.id for site in cpom.sites]), Convention.parent_id.is_(None))
        .order_by(Convention.reference)))


def management_forms(cpom, refusal=None) -> dict:
    """{kind: form} of a CPOM's management section, the refused one kept as it was sent."""
    forms = {}
    for kind, form_class in FORMS.items():
        key = f"{kind}-{cpom.id}"
        form = refusal.form if refusal is not None and refusal.key == key else form_class(prefix=key, formdata=None)
        if kind == "cible":
            form.offer(cpom)
        elif kind == "liens":
            form.offer(cpom, covered_conventions(cpom))
        elif kind == "site":
            form.offer(candidate_sites(cpom))
        forms[kind] = form
    return forms
