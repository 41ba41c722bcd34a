"""Hospital forms: the HdP profile, a partnership (added or edited), a partner outside FINESS, removal."""

import re

from wtforms import BooleanField, SelectField, StringField, SubmitField, TextAreaField, ValidationError
from wtforms.validators import DataRequired, Length, Optional

from registry.core.geography import is_departement
from registry.core.vocabulary import ACTIVITIES, EQUIPMENT, GHT_SELF, LEGAL_STATUSES, REMOVAL_GROUNDS, THEMES
from registry.organisations.communes import CommuneError, find_commune, resolve_commune
from registry.organisations.forms import (DayField, FrenchForm, MultiCheckboxField, departement_choices, options,
                                          partner_type_choices)
from registry.organisations.identifiers import finess_problem
from registry.organisations.services import EXTERNAL_PARTNER_FIELDS

CODE_SEPARATORS = re.compile(r"[\s,;]+")


def split_codes(text: str | None) -> list[str]:
    """« 21, 71 ;89 » → ["21", "71", "89"]."""
    return [code.upper() for code in CODE_SEPARATORS.split(text or "") if code]


#: How the GHT support establishment is known: not yet, the HdP belongs to it, or by its FINESS number.
GHT_UNKNOWN, GHT_NUMBER = "inconnu", "finess"
GHT_CHOICES = options([(GHT_UNKNOWN, "Non renseigné"),
                       (GHT_SELF, "L'hôpital relève de l'établissement support lui-même"),
                       (GHT_NUMBER, "Établissement support identifié par son numéro FINESS")])


class ProfileForm(FrenchForm):
    """The hospital's profile: the ARS's part (listing, legal facts, confirmations) and the hospital's (territory,
    declarations). The page shows each side only to whoever may change it; the route keeps the other as it is."""

    listed_on = DayField("Date de l'arrêté d'inscription sur la liste", validators=[Optional()])
    decision_ref = StringField("Référence de l'arrêté du directeur général de l'ARS",
                               description="Par exemple : arrêté DOS/ASPU/2022-118 fixant la liste des hôpitaux de "
                                           "proximité de la région",
                               validators=[Optional(), Length(max=120, message="120 caractères au plus.")])
    legal_status = SelectField("Statut juridique", choices=options(LEGAL_STATUSES.items(), blank="D'après FINESS"), default="",
                               invalid_choice_message="Statut inconnu.")
    ght_mode = SelectField("Établissement support du GHT", choices=GHT_CHOICES, default=GHT_UNKNOWN,
                           invalid_choice_message="Choix inconnu.")
    ght_finess = StringField("Numéro FINESS de l'établissement support", description="Établissement ou entité "
                             "juridique, 9 caractères", validators=[Optional(), Length(max=9, message="9 caractères.")])
    removed_on = DayField("Date du retrait de la liste", validators=[Optional()])
    removal_ground = SelectField("Motif du retrait (article R6111-25, III)",
                                 choices=options(REMOVAL_GROUNDS.items(), blank="—"), default="", invalid_choice_message="Motif inconnu.")
    confirmed_activities = MultiCheckboxField("Activités déclarées que l'ARS confirme",
                                              choices=options(ACTIVITIES.items()),
                                              invalid_choice_message="Activité inconnue.")
    confirmed_equipment = MultiCheckboxField("Équipements déclarés que l'ARS confirme",
                                             choices=options(EQUIPMENT.items()),
                                             invalid_choice_message="Équipement inconnu.")
    departements = StringField("Départements du territoire",
                               description="Codes séparés par des virgules, par exemple : 21, 71",
                               validators=[Length(max=400, message="400 caractères au plus.")])
    communes = StringField("Communes du territoire",
                           description="Codes INSEE (5 caractères) séparés par des virgules, par exemple : 21231",
                           validators=[Length(max=2000, message="2 000 caractères au plus.")])
    activities = MultiCheckboxField("Activités exercées par l'hôpital lui-même", choices=options(ACTIVITIES.items()),
                                    invalid_choice_message="Activité inconnue.")
    equipment_declared = BooleanField("L'hôpital déclare ses équipements propres")
    own_equipment = MultiCheckboxField("Équipements dont l'hôpital dispose en propre",
                                       choices=options(EQUIPMENT.items()), invalid_choice_message="Équipement inconnu.")
    submit = SubmitField("Enregistrer le profil")

    def validate_ght_finess(self, field):
        if self.ght_mode.data == GHT_NUMBER:
            problem = finess_problem((field.data or "").strip().upper())
            if problem:
                raise ValidationError(problem[0].upper() + problem[1:] + ".")

    @property
    def ght_support(self) -> str | None:
        if self.ght_mode.data == GHT_NUMBER:
            return (self.ght_finess.data or "").strip().upper()
        return GHT_SELF if self.ght_mode.data == GHT_SELF else None

    def show_ght(self, ght_support: str | None) -> None:
        self.ght_mode.data = GHT_UNKNOWN if ght_support is None else GHT_SELF if ght_support == GHT_SELF else GHT_NUMBER
        self.ght_finess.data = None if ght_support in (None, GHT_SELF) else ght_support

    def validate_departements(self, field):
        unknown = [code for code in split_codes(field.data) if not is_departement(code)]
        if unknown:
            raise ValidationError("Département inconnu : " + ", ".join(unknown) + ".")

    def validate_communes(self, field):
        wrong = [code for code in split_codes(field.data) if not re.fullmatch(r"[0-9][0-9AB][0-9]{3}", code)]
        if wrong:
            raise ValidationError("Code commune INSEE invalide (5 caractères attendus) : " + ", ".join(wrong) + ".")

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        if valid and not split_codes(self.departements.data) and not split_codes(self.communes.data):
            self.departements.errors.append("Indiquez au moins un département ou une commune.")
            return False
        return valid


class PartnershipFields(FrenchForm):
    """What a partnership records when it is added."""

    partner_types = MultiCheckboxField("Rôles du partenaire pour l'hôpital", choices=partner_type_choices(),
                                       validators=[DataRequired("Choisissez au moins un type de partenaire.")],
                                       invalid_choice_message="Type de partenaire inconnu.")
    themes = MultiCheckboxField("Thèmes du partenariat", choices=options(THEMES.items()),
                                invalid_choice_message="Thème inconnu.")
    started_on = DayField("Date de début", validators=[Optional()])
    notes = TextAreaField("Notes", validators=[Length(max=2000, message="2 000 caractères au plus.")],
                          render_kw={"rows": 3})


class AddPartnershipForm(PartnershipFields):
    submit = SubmitField("Ajouter le partenaire")


class EditPartnershipForm(PartnershipFields):
    ended_on = DayField("Date de fin", validators=[Optional()])
    submit = SubmitField("Enregistrer le partenariat")

    def validate_ended_on(self, field):
        if field.data and self.started_on.data and field.data < self.started_on.data:
            raise ValidationError("La date de fin précède la date de début.")


class PartnerDetailsFields(FrenchForm):
    """What is recorded about a partner outside FINESS: identity, address, legal representative."""

    name = StringField("Nom du partenaire", validators=[
        DataRequired("Indiquez le nom du partenaire."), Length(max=200, message="200 caractères au plus.")])
    siret = StringField("SIRET", description="14 chiffres", validators=[
        Optional(), Length(max=20, message="Le SIRET compte 14 chiffres.")])
    rna = StringField("Numéro RNA", description="Pour une association : W suivi de 9 caractères", validators=[
        Optional(), Length(max=10, message="Le numéro RNA compte 10 caractères.")])
    address = StringField("Adresse du siège", description="Numéro et voie, par exemple : 3 rue de la Gare",
                          validators=[Optional(), Length(max=200, message="200 caractères au plus.")])
    postal_code = StringField("Code postal", description="Facultatif si la commune n'en a qu'un", validators=[
        Optional(), Length(max=5, message="Le code postal compte 5 chiffres.")])
    commune = StringField("Commune", description="Nom, code postal ou code INSEE ; par exemple Is-sur-Tille, "
                                                 "ou « Saint-Martin (32) » quand plusieurs communes ont ce nom",
                          validators=[Optional(), Length(max=100, message="100 caractères au plus.")],
                          render_kw={"list": "communes-proposees", "autocomplete": "off"})
    departement = SelectField("Département", description="Déduit de la commune s'il n'est pas choisi",
                              choices=departement_choices("D'après la commune"), validators=[Optional()],
                              invalid_choice_message="Département inconnu.")
    representative_name = StringField("Représentant légal", description="Par exemple : Mme Claire Martin",
                                      validators=[Optional(), Length(max=120, message="120 caractères au plus.")])
    representative_title = StringField("Fonction du représentant légal", description="Par exemple : présidente",
                                       validators=[Optional(), Length(max=120, message="120 caractères au plus.")])

    def validate_commune(self, field):
        if (field.data or "").strip():
            try:
                resolve_commune(field.data, self.departement.data or None)
            except CommuneError as error:
                raise ValidationError(error.message[0].upper() + error.message[1:] + ".") from None

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        if not (self.siret.data or "").strip() and not (self.rna.data or "").strip():
            self.siret.errors = [*self.siret.errors, "Indiquez le SIRET ou le numéro RNA du partenaire."]
            valid = False
        if not (self.commune.data or "").strip() and not self.departement.data:
            self.commune.errors = [*self.commune.errors, "Indiquez la commune ou le département du partenaire."]
            valid = False
        return valid

    def partner_details(self) -> dict:
        """The fields as create_external_partner and update_external_partner take them."""
        return {name: self[name].data for name in EXTERNAL_PARTNER_FIELDS}

    def show_partner(self, organisation) -> None:
        """Fill the fields from what is recorded (the commune by its unique label)."""
        for name in EXTERNAL_PARTNER_FIELDS:
            if name != "commune":
                self[name].data = getattr(organisation, name)
        commune = find_commune(organisation.commune_code)
        self.commune.data = commune.label if commune else organisation.city


class ExternalPartnerForm(PartnerDetailsFields, PartnershipFields):
    """A partner outside FINESS (a CPTS association, an MMG...), created and added in one step."""

    submit = SubmitField("Créer et ajouter le partenaire")


class EditExternalPartnerForm(PartnerDetailsFields):
    submit = SubmitField("Enregistrer le partenaire")


class RemovePartnerForm(FrenchForm):
    """Only a CSRF token: removing a partner is a POST."""

    submit = SubmitField("Retirer")
