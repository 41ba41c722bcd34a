"""LISEZMOI.txt: what the bundle is, when and by whom it was made, and how to check it, in French."""

from datetime import date

from registry.bundles.names import MAX_COMPONENT, PUNCTUATION
from registry.core.french import french_date, french_size

TEMPLATE = """\
Lot des conventions signées : {scope}
{underline}

Ce fichier ZIP rassemble la dernière copie signée (PDF) de chaque convention et de chaque avenant signés
(en vigueur, expirés ou résiliés) enregistrés dans le registre des hôpitaux de proximité pour :
{scope}.

Constitué le {date} par {made_by}.
Contenu : {files} ({size}) de {hospitals}.
{hospital_lines}
Fichiers
- <département>/<FINESS> <hôpital>/<référence> <partenaires>.pdf : les copies signées, une par convention
  ou avenant. Les noms sont écrits sans accents ; ils gardent les lettres, les chiffres, les espaces et
  les signes {punctuation} ; tout autre caractère devient une espace. Chaque nom compte au plus
  {max_length} caractères ; deux noms identiques sont distingués par « (2) », « (3) »… ;
- manifest.csv : une ligne par copie : chemin, taille, empreinte SHA-256, référence, parties et leurs
  identifiants (FINESS, SIRET ou RNA), types de partenariat, statut, état à la date du lot, dates, version
  de la copie et résultat du contrôle des signatures électroniques fait au dépôt (séparateur « ; »,
  UTF-8 ; s'ouvre dans un tableur). Une copie dont le contrôle a relevé une signature altérée ou une
  modification après signature n'est dans le lot que si l'hôpital l'a confirmée malgré l'alerte : la
  colonne « Confirmée malgré l'alerte » donne alors son motif ;
- manifest.json : le même contenu pour un programme, avec l'empreinte des autres fichiers du lot ;
- conformite.csv : les verdicts de conformité aux textes en vigueur (articles L6111-3-2, L6111-3-3 et
  R6111-24 du code de la santé publique) pour les hôpitaux du lot, évalués au {date} ;
- LISEZMOI.txt : ce fichier.

Vérifier le lot
- À la main, sans autre logiciel que le système : décompressez le lot, calculez l'empreinte SHA-256 d'un
  fichier et comparez-la à celle de la colonne SHA-256 de manifest.csv (ouvert dans un tableur) ;
  elles doivent être identiques (Windows écrit l'empreinte en majuscules : la casse ne compte pas).
    Windows (PowerShell) : Get-FileHash -Algorithm SHA256 "<chemin>"
    Linux : sha256sum "<chemin>"
    macOS : shasum -a 256 "<chemin>"
- Avec l'application du registre (sur le serveur qui l'héberge) : flask --app wsgi verify-bundle FICHIER.zip
  La commande compare chaque fichier au manifeste ; elle se termine sans erreur (code 0) quand tout
  correspond et, sinon, liste les fichiers modifiés, ajoutés ou absents.

Le lot est reproductible : pour un même périmètre, une même date et un même auteur, le registre produit
exactement le même fichier tant que les conventions n'ont pas changé. Chaque téléchargement est inscrit
au journal d'audit de l'application, avec l'heure exacte et l'empreinte SHA-256 de manifest.json.
"""


def readme(*, scope_label: str, at: date, made_by: str, files: int, size: int, hospitals: list[tuple]) -> bytes:
    """``hospitals``: (FINESS, name, number of files) of each hospital of the scope, in bundle order."""
    title = f"Lot des conventions signées : {scope_label}"
    lines = "".join(f"  - {finess or 'sans FINESS'} {name} : {_files(count)}\n" for finess, name, count in hospitals)
    text = TEMPLATE.format(
        scope=scope_label, underline="=" * len(title), date=french_date(at), made_by=made_by, files=_files(files),
        size=french_size(size), hospitals=_count(len(hospitals), "hôpital", "hôpitaux"),
        hospital_lines=lines, punctuation=" ".join(PUNCTUATION.strip()), max_length=MAX_COMPONENT)
    return text.replace("\n", "\r\n").encode("utf-8")


def _files(count: int) -> str:
    return _count(count, "fichier", "fichiers")


def _count(count: int, one: str, many: str) -> str:
    return f"{count} {one if count <= 1 else many}"
