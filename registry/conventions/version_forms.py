"""The convention page's forms for draft versions: receive the partner's Word file, choose two versions to compare."""

from flask_wtf.file import FileField, FileRequired
from wtforms import TextAreaField
from wtforms.validators import Length, Optional

from registry.conventions.draft_versions import COMMENT_LENGTH
from registry.organisations.forms import FrenchForm

DOCX_ACCEPT = ".docx,application/vnd.openxmlformats-officedocument.wordprocessingml.document"


class PartnerVersionForm(FrenchForm):
    # The content is checked, never the name or the browser's type (documents/received.py).
    file = FileField("Document Word reçu du partenaire (.docx)",
                     validators=[FileRequired("Choisissez le document Word reçu du partenaire.")],
                     render_kw={"accept": DOCX_ACCEPT},
                     description="Déposé tel quel : ses modifications suivies et ses commentaires sont conservés.")
    comment = TextAreaField("Commentaire sur cette version (facultatif)",
                            render_kw={"rows": 2, "maxlength": COMMENT_LENGTH},
                            validators=[Optional(), Length(max=COMMENT_LENGTH, message=(
                                f"Le commentaire ne doit pas dépasser {COMMENT_LENGTH} caractères."))],
                            description="Par exemple : « retour du service juridique du CHU du 2 décembre ».")
