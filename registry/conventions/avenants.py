"""Avenants drafted from the avenant template: prepare one on a signed convention (docs/lifecycle.md, « Avenants »).

``prepare_avenant`` creates the avenant as ``transitions.create_avenant`` does (reference ``<parent>-A<n>``, the
parent's parties), then gives it the current version of the avenant template, its values (the articles of the
convention it rewrites, the stipulations it adds, the signing place) and its signatories. Its drafts are then
produced by ``services.generate_draft`` like a convention's, and it goes through negotiation and signature by the
same transitions. It flushes and never commits: the caller commits.
"""

from dataclasses import dataclass
from datetime import date

from registry.conventions.context import ARTICLES_KEY, AVENANT_TEMPLATE, amended_articles, convention_context
from registry.conventions.editing import edit_convention
from registry.conventions.models import Convention
from registry.conventions.terms import Signatory
from registry.conventions.transitions import avenant_problems, create_avenant
from registry.core import clock
from registry.core.errors import DomainError
from registry.documents.context import ContextError
from registry.documents.manifest import parse_manifest
from registry.documents.versions import current_version

MAX_ARTICLES = 20
ARTICLE_NUMBER_LENGTH = 20
ARTICLE_TEXT_LENGTH = 10_000  # said « 10 000 » in the messages
SIGNATORY_LENGTH = 120


@dataclass(frozen=True)
class AmendedArticle:
    """An article of the convention and its new wording (one paragraph a line)."""

    number: str
    text: str


def article_problems(articles: list[AmendedArticle], additions: list[str]) -> list[str]:
    """What is wrong with the articles an avenant rewrites, in French; an avenant changes at least one thing."""
    problems, seen = [], set()
    for position, article in enumerate(articles, start=1):
        number, text = (article.number or "").strip(), (article.text or "").strip()
        where = f"article modifié n° {position}"
        if not number:
            problems.append(f"{where} : indiquez le numéro de l'article de la convention")
        elif len(number) > ARTICLE_NUMBER_LENGTH:
            problems.append(f"{where} : le numéro d'article dépasse {ARTICLE_NUMBER_LENGTH} caractères")
        elif number.lower() in seen:
            problems.append(f"l'article {number} est modifié deux fois : réunissez sa nouvelle rédaction")
        seen.add(number.lower())
        if not text:
            problems.append(f"{where} : indiquez la nouvelle rédaction de l'article {number}".rstrip())
        elif len(text) > ARTICLE_TEXT_LENGTH:
            problems.append(f"{where} : la nouvelle rédaction dépasse 10 000 caractères")
    if len(articles) > MAX_ARTICLES:
        problems.append(f"un avenant modifie {MAX_ARTICLES} articles au plus")
    if not articles and not additions:
        problems.append("indiquez au moins un article modifié (son numéro et sa nouvelle rédaction) ou une "
                        "stipulation ajoutée")
    return problems


def prepare_avenant(convention: Convention, *, title: str, effective_date: date | None,
                    articles: list[AmendedArticle], fields: dict | None = None,
                    signatories: dict[int, Signatory] | None = None, actor=None) -> Convention:
    """An avenant to ``convention`` drafted from the current avenant template, in « brouillon » (no draft yet).

    ``fields`` are the template's own values (signing place, stipulations added, powers to sign);
    ``signatories`` maps an organisation id to who signs the avenant for it (the parent's by default).
    DomainError (422) lists in French everything refused; nothing is created then.
    """
    version = current_version(AVENANT_TEMPLATE)
    fields = {name: value for name, value in (fields or {}).items() if name != ARTICLES_KEY}
    additions = [line for line in fields.get("additions") or () if str(line).strip()]
    problems = avenant_problems(convention, title) + article_problems(articles, additions)
    problems += _signatory_problems(signatories or {})
    if problems:
        raise DomainError("Avenant refusé : " + " ; ".join(problems) + ".", details=problems)
    avenant = create_avenant(convention, title, effective_date=effective_date, actor=actor)
    # The column too, not only the relationship: the checks that read it (possible transitions, an edit) may come
    # before any flush gives it its value.
    avenant.template_version, avenant.template_version_id = version, version.id
    avenant.legal_bases = list(parse_manifest(version.manifest).legal_bases)
    avenant.fields = {**fields, ARTICLES_KEY: [{"number": a.number.strip(), "text": a.text.strip()}
                                               for a in articles]}
    for party in avenant.parties:
        signatory = (signatories or {}).get(party.organisation_id)
        if signatory is not None:
            party.signatory_name = signatory.name.strip() or None
            party.signatory_title = signatory.title.strip() or None
    try:
        convention_context(avenant, generated_on=clock.today())
    except ContextError as error:
        raise DomainError("Avenant refusé : " + " ".join(error.messages), details=error.messages) from error
    return avenant


def articles_of(avenant: Convention) -> list[AmendedArticle]:
    return [AmendedArticle(article["number"], article["text"]) for article in amended_articles(avenant)]


def recorded_article_problems(avenant: Convention) -> list[str]:
    """What is wrong with the articles and stipulations an avenant records (an edit through the API gives them
    as it likes): ``[{"number": str, "text": str}]`` checked as at the preparation."""
    fields = avenant.fields or {}
    articles, additions = fields.get(ARTICLES_KEY) or [], fields.get("additions") or []
    if not isinstance(articles, list) or not all(
            isinstance(item, dict) and set(item) == {"number", "text"}
            and all(isinstance(value, str) for value in item.values()) for item in articles):
        return [f"« {ARTICLES_KEY} » doit être une liste d'articles {{« number », « text »}}"]
    additions = [line for line in additions if str(line).strip()] if isinstance(additions, list) else [additions]
    return article_problems([AmendedArticle(item["number"], item["text"]) for item in articles], additions)


def edit_avenant(avenant: Convention, *, title: str, effective_date: date | None, articles: list[AmendedArticle],
                 fields: dict | None = None, signatories: dict[int, Signatory] | None = None, actor=None) -> dict:
    """Change a drafted avenant still negotiated (« brouillon », « en négociation »): every value the preparation
    set, through ``editing.edit_convention`` (row lock, frozen from « à signer » on, the articles checked as at the
    preparation by ``recorded_article_problems``, one audit entry listing each value changed). Returns the changes
    recorded ({} when nothing changed)."""
    if avenant.template_version_id is None:
        raise DomainError("Cet avenant a été rédigé hors de l'application : il n'a ni articles ni projet.")
    problems = _signatory_problems(signatories or {})
    if problems:
        raise DomainError("Modification refusée : " + " ; ".join(problems) + ".", details=problems)
    fields = {name: value for name, value in (fields or {}).items() if name != ARTICLES_KEY}
    return edit_convention(avenant, {
        "title": title, "effective_date": effective_date, "signatories": signatories or {},
        "fields": {**fields, ARTICLES_KEY: [{"number": a.number.strip(), "text": a.text.strip()} for a in articles]}},
        actor=actor)


def _signatory_problems(signatories: dict[int, Signatory]) -> list[str]:
    return [f"le nom ou la qualité d'un signataire dépasse {SIGNATORY_LENGTH} caractères"
            for signatory in signatories.values()
            if len(signatory.name or "") > SIGNATORY_LENGTH or len(signatory.title or "") > SIGNATORY_LENGTH][:1]
