"""Forms for registering conventions signed before the application: one with its signed PDF, or a whole stock
(a spreadsheet and a ZIP of PDFs, then a confirmation)."""


from flask_wtf.file import FileField, FileRequired
from wtforms import HiddenField, StringField, SubmitField, ValidationError
from wtforms.validators import InputRequired, Length

from registry.conventions.forms import REQUIRED, ConventionFormBase
from registry.conventions.signed_copies import check_signed_copy
from registry.core import clock
from registry.core.vocabulary import LEGAL_BASES
from registry.hospitals.models import HospitalProfile
from registry.organisations.forms import DayField, FrenchForm, MultiCheckboxField, options
from registry.signatures import SignedCopyRejected

#: Said beside the file field whenever the form comes back: browsers never send a chosen file twice.
PICK_AGAIN = "Le navigateur ne garde pas le fichier choisi : sélectionnez à nouveau la copie signée."


class RegisterConventionFormBase(ConventionFormBase):
    """The drafting form's convention fields (no clauses: no template), the signature date and the signed PDF."""

    clauses = None
    legal_bases = MultiCheckboxField("Fondement juridique", choices=options(LEGAL_BASES.items()),
                                     invalid_choice_message="Fondement inconnu.")
    signed_on = DayField("Date de signature", validators=[InputRequired(REQUIRED)],
                          description="La date de la dernière signature, pas dans le futur.")
    signed_copy = FileField("Copie signée (PDF)", validators=[
        FileRequired("Déposez la copie signée de la convention (PDF).")],
        description="Le PDF de la convention signée, scanné ou signé électroniquement ; il est vérifié par son "
                    "contenu et ses signatures électroniques.")
    submit = SubmitField("Enregistrer la convention signée")

    #: The signed copy's bytes once read and checked (validate_signed_copy), and the check's report (reused when
    #: the copy is attached: the PDF is verified once).
    signed_copy_bytes: bytes | None = None
    signature_report: dict | None = None
    signature_label: str | None = None

    def validate_signed_on(self, field):
        if field.data and field.data > clock.today():
            raise ValidationError("La date de signature ne peut pas être dans le futur.")

    def validate_signed_copy(self, field):
        """Checked like any signed copy (content and signatures) before anything is written."""
        data = field.data.read()
        try:
            report = check_signed_copy(data)
        except SignedCopyRejected as error:
            raise ValidationError(error.message) from None
        self.signed_copy_bytes, self.signature_report, self.signature_label = data, report, report["label"]


def register_form(hospital: HospitalProfile, *, data: dict | None = None,
                  base: type = RegisterConventionFormBase) -> RegisterConventionFormBase:
    """The form for this hospital (built on ``base``): its partners as choices, a name and a qualité per party."""
    organisations = [hospital.organisation, *(p.partner for p in hospital.partnerships)]
    attributes = {"signatory_organisations": tuple(organisation.id for organisation in organisations)}
    for organisation in organisations:
        length = Length(max=120, message="120 caractères au plus.")
        attributes[f"signataire_{organisation.id}_nom"] = StringField(
            f"Nom du signataire pour {organisation.display_name}", validators=[length])
        attributes[f"signataire_{organisation.id}_qualite"] = StringField(
            f"Qualité du signataire pour {organisation.display_name}", validators=[length])
    form = type("RegisterConventionForm", (base,), attributes)(data=data)
    form.partners.choices = [(p.id, p.partner.display_name) for p in hospital.partnerships]
    return form


class ImportForm(FrenchForm):
    spreadsheet = FileField("Tableur des conventions (.xlsx ou .csv)", validators=[
        FileRequired("Choisissez le tableur des conventions (.xlsx ou .csv).")],
        description="Une ligne par convention, avec les colonnes du modèle ; CSV séparé par des points-virgules.")
    archive = FileField("Archive ZIP des copies signées", validators=[
        FileRequired("Choisissez l'archive ZIP des copies signées.")],
        description="Les PDF signés que nomme la colonne fichier_pdf, dans une archive .zip.")
    submit = SubmitField("Vérifier avant d'importer")


class HeldImportForm(FrenchForm):
    """Confirming or abandoning the import shown in the preview (the token names that preview's uploads)."""

    token = HiddenField()
    submit = SubmitField("Confirmer l'import")
