"""The administrators' template upload form: the Word file, and its manifest as a .json file or as text."""

from flask_wtf.file import FileAllowed, FileField, FileRequired
from wtforms import SubmitField, TextAreaField

from registry.organisations.forms import FrenchForm


class TemplateUploadForm(FrenchForm):
    document = FileField("Modèle Word (.docx)", validators=[
        FileRequired("Choisissez le fichier Word du modèle."),
        FileAllowed(["docx"], "Le modèle doit être un document Word au format .docx.")],
        description="Le document source, modifiable dans Word ; ses balises {{ … }} et {% … %} sont vérifiées.")
    manifest_file = FileField("Manifeste (fichier .json)", validators=[
        FileAllowed(["json"], "Le manifeste doit être un fichier .json.")],
        description="Facultatif si le manifeste est saisi ci-dessous ; le fichier l'emporte sur le texte.")
    manifest_text = TextAreaField("Manifeste (JSON)", render_kw={"rows": 16, "spellcheck": "false"},
                                  description="Code, nom, types de partenaire, champs du formulaire et clauses "
                                              "optionnelles du modèle.")
    submit = SubmitField("Vérifier et enregistrer")

    def manifest_source(self) -> bytes | str | None:
        """The manifest as sent: the uploaded file when there is one, else the text area."""
        if self.manifest_file.data:
            return self.manifest_file.data.read()
        return self.manifest_text.data
