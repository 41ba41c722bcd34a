"""The spreadsheet's columns: the contract of the stock import (the header names the model file writes and the
reader looks for; docs/registering-conventions.md is checked against ``COLUMNS``)."""

from dataclasses import dataclass

from registry.core.vocabulary import LEGAL_BASES, PARTNER_TYPES, THEMES

DATE_HELP = "AAAA-MM-JJ ou JJ/MM/AAAA"


@dataclass(frozen=True)
class Column:
    name: str
    required: bool
    example: str
    help: str


#: The import's columns, in the model's order (the header names are the contract; other columns are ignored).
COLUMNS = (
    Column("titre", False, "Convention de partenariat avec l'EHPAD", "Intitulé de la convention (300 caractères "
           "au plus). Vide : « Convention – » suivi du nom des partenaires."),
    Column("finess_partenaires", True, "210001236", "FINESS ET (établissement) de chaque partenaire, séparés par "
           "des virgules pour une convention à plusieurs partenaires. L'hôpital est partie d'office."),
    Column("types_partenaires", True, "ehpad", "Types de partenariat couverts, séparés par des virgules : leurs "
           "codes (" + ", ".join(PARTNER_TYPES) + ") ou leurs libellés (feuille « Codes » du modèle ; majuscules "
           "et accents indifférents)."),
    Column("themes", True, "coordination,retour_domicile", "Thèmes couverts, séparés par des virgules : leurs "
           "codes (" + ", ".join(THEMES) + ") ou leurs libellés (feuille « Codes » du modèle ; majuscules et "
           "accents indifférents)."),
    Column("date_effet", True, "01/01/2019", f"Date d'effet ({DATE_HELP}) ; une date passée est acceptée."),
    Column("duree_mois", True, "36", "Durée en mois, de 1 à 240."),
    Column("reconduction_tacite", True, "oui", "oui ou non."),
    Column("preavis_mois", True, "3", "Préavis de résiliation en mois, de 0 à 24."),
    Column("date_signature", True, "15/12/2018", f"Date de signature ({DATE_HELP}), pas dans le futur."),
    Column("fichier_pdf", True, "convention-ehpad-2019.pdf", "Nom du PDF signé dans l'archive ZIP (avec son "
           "dossier si deux fichiers portent le même nom)."),
    Column("signataire_hopital", False, "Marie Durand", "Nom de la personne qui a signé pour l'hôpital."),
    Column("qualite_signataire_hopital", False, "Directrice", "Sa qualité."),
    Column("signataires_partenaires", False, "Paul Martin", "Noms des signataires des partenaires, séparés par "
           "des barres verticales (|) dans l'ordre des FINESS."),
    Column("qualites_signataires_partenaires", False, "Directeur", "Leurs qualités, séparées par des barres "
           "verticales (|) dans le même ordre."),
    Column("fondements", False, "D6124-204", "Articles sur lesquels repose la convention, séparés par des "
           "virgules : " + ", ".join(LEGAL_BASES) + ". Vide : aucun."),
    Column("date_transmission_ars", False, "10/01/2019", f"Date de transmission à l'ARS ({DATE_HELP}), pas avant "
           "la signature ni dans le futur. Vide : non transmise."),
)
COLUMN_NAMES = tuple(column.name for column in COLUMNS)
REQUIRED_COLUMNS = tuple(column.name for column in COLUMNS if column.required)
