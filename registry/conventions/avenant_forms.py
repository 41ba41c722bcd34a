"""The « Préparer un avenant » form: object, effective date, the articles rewritten, the avenant template's fields
and who signs for each party of the convention.

The form reads what is typed; the rules (which convention may get an avenant, what an amended article needs) are
the domain's (conventions/avenants.py), which answers in French. The articles' rows carry no validator of their
own for that reason: a row left empty is ignored, a half-filled one is refused by the domain.
"""

from wtforms import Form, StringField, SubmitField, TextAreaField
from wtforms.fields import FieldList, FormField
from wtforms.validators import DataRequired, Length

from registry.conventions.avenants import (ARTICLE_NUMBER_LENGTH, ARTICLE_TEXT_LENGTH, MAX_ARTICLES,
                                           SIGNATORY_LENGTH, AmendedArticle)
from registry.conventions.forms import FIELD_PREFIX, ConventionFormBase, _manifest_field, signing_place_of
from registry.conventions.lifecycle_forms import _date_field
from registry.conventions.models import Convention
from registry.documents.manifest import Manifest
from registry.organisations.forms import FrenchForm

#: Rows of amended articles shown at first; « Ajouter un article » adds one (up to MAX_ARTICLES).
FIRST_ROWS = 2


class AmendedArticleForm(Form):
    number = StringField("Article n°", render_kw={"maxlength": ARTICLE_NUMBER_LENGTH},
                         description="Le numéro de l'article de la convention, par exemple « 5 ».")
    text = TextAreaField("Nouvelle rédaction de l'article", render_kw={"rows": 4, "maxlength": ARTICLE_TEXT_LENGTH},
                         description="Le texte qui remplace l'article en entier ; un alinéa par ligne.")


class AvenantFormBase(FrenchForm):
    title = StringField("Objet de l'avenant", validators=[
        DataRequired("Indiquez l'objet de l'avenant."), Length(max=300, message="300 caractères au plus.")],
        description="Complète la phrase « Le présent avenant a pour objet … », par exemple « l'ouverture de "
                    "consultations avancées de cardiologie ».")
    effective_date = _date_field("Date d'effet de l'avenant",
                                 "Facultative : sans date, l'avenant prend effet à sa signature. Il suit la durée "
                                 "de la convention.")
    articles = FieldList(FormField(AmendedArticleForm), min_entries=FIRST_ROWS, max_entries=MAX_ARTICLES)
    add_article = SubmitField("Ajouter un article")
    submit = SubmitField("Créer l'avenant et produire son projet")

    manifest: Manifest
    template_field_names: tuple[str, ...] = ()
    signatory_organisations: tuple[int, ...] = ()
    template_fields = ConventionFormBase.template_fields
    signatory_fields = ConventionFormBase.signatory_fields
    template_values = ConventionFormBase.template_values
    signatories = ConventionFormBase.signatories

    def amended_articles(self) -> list[AmendedArticle]:
        """The rows typed, the empty ones left out."""
        rows = [AmendedArticle((row.form.number.data or "").strip(), (row.form.text.data or "").strip())
                for row in self.articles]
        return [row for row in rows if row.number or row.text]


def avenant_form(convention: Convention, manifest: Manifest, *, data: dict | None = None) -> AvenantFormBase:
    """The form for an avenant to ``convention``: one field per avenant-template field, two per party."""
    attributes = {FIELD_PREFIX + spec.name: _manifest_field(spec) for spec in manifest.fields}
    for party in convention.parties:
        organisation, length = party.organisation, Length(max=SIGNATORY_LENGTH, message="120 caractères au plus.")
        attributes[f"signataire_{organisation.id}_nom"] = StringField(
            f"Nom du signataire pour {organisation.display_name}", validators=[length])
        attributes[f"signataire_{organisation.id}_qualite"] = StringField(
            f"Qualité du signataire pour {organisation.display_name}", validators=[length])
    attributes.update(manifest=manifest, template_field_names=tuple(spec.name for spec in manifest.fields),
                      signatory_organisations=tuple(party.organisation_id for party in convention.parties))
    return type("AvenantForm", (AvenantFormBase,), attributes)(data=data)


def initial_data(convention: Convention, manifest: Manifest) -> dict:
    """What the form shows first: the convention's signatories and its hospital's town as the signing place."""
    data = {}
    if "signing_place" in manifest.field_names:
        data[FIELD_PREFIX + "signing_place"] = signing_place_of(convention.hospital)
    for party in convention.parties:
        name, title = party.signatory
        data[f"signataire_{party.organisation_id}_nom"] = name
        data[f"signataire_{party.organisation_id}_qualite"] = title
    return data
