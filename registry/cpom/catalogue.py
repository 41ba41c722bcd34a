"""The « lien ville-hôpital » engagements of an ARS CPOM sheet as data: the catalogue an ARS builds a CPOM's
engagements from.

Source: ARS Île-de-France, fiche méthodologique « Volet lien ville-hôpital » des CPOM, read from a scanned
text: the wording is the sheet's, its garbled words restored. ``CATALOGUE_VERSION`` changes whenever an entry does.
One entry is not the sheet's: ``convention_l6111_3_2`` is proved by the registry's own records (the convention of
article L6111-3-2 signed, in force and sent to the ARS), never typed.
"""

from dataclasses import dataclass, field

CATALOGUE_VERSION = "ars-idf-lien-ville-hopital, version 2"
SOURCE_SHEET = ("ARS Île-de-France, fiche méthodologique CPOM « lien ville-hôpital » : déclaration de "
                "l'établissement + mise à disposition de preuve sur demande de l'ARS")

#: How an indicator's value is given (docs/interface.md).
OUI_NON, LISTE, RATIO, POURCENTAGE, NOMBRE, TEXTE = KINDS = (
    "oui_non", "liste", "ratio", "pourcentage", "nombre", "texte")
#: Where a value comes from: declared by the establishment, or read from the registry's records.
DECLARED, REGISTRY = "declaration", "registre"

COMMUNICATION = "Communication + Information"
COORDINATION = "Coordination / Parcours / Transversalité"
OFFRE = "Offre de soins"
DECLARATION = "Déclaration de l'établissement + mise à disposition de preuve sur demande de l'ARS"


@dataclass(frozen=True)
class Indicator:
    code: str
    theme: str
    objective: str
    label: str
    kind: str
    unit: str
    #: The sheet's target, as it words it (a CPOM's engagement sets a comparable one).
    target: str
    #: « Structures concernées »: to whom the engagement applies.
    structures: str = "L'ensemble des structures"
    #: « Intérêts pour les contractants ».
    interest: str = ""
    source: str = DECLARATION
    origin: str = DECLARED
    #: For a checklist (LISTE): the actions that can be ticked.
    items: tuple[str, ...] = ()
    calculation: str = ""
    frequency: str = "Annuelle"

    @classmethod
    def from_dict(cls, entry: dict) -> "Indicator":
        """An entry as ``as_dict`` wrote it (a loaded catalogue's row)."""
        return cls(**{name: tuple(entry[name]) if name == "items" else entry[name]
                      for name in cls.__dataclass_fields__ if name in entry})

    def as_dict(self) -> dict:
        return {"code": self.code, "theme": self.theme, "objective": self.objective, "label": self.label,
                "kind": self.kind, "unit": self.unit, "target": self.target, "source": self.source,
                "structures": self.structures, "items": list(self.items), "calculation": self.calculation,
                "frequency": self.frequency, "origin": self.origin,
                "interest": self.interest}


CATALOGUE = (
    Indicator("connaissance_offre", COMMUNICATION,
              "Développer la connaissance de l'offre de soins ambulatoire au sein des équipes de soins",
              "Document formel ou réunions formalisées ; utilisation du répertoire opérationnel des ressources",
              OUI_NON, "Oui/non", "Au moins une réunion",
              interest="Connaissance, par les praticiens et les cadres de santé, de leur environnement, devant permettre une meilleure articulation avec la ville"),
    Indicator("outils_communication", COMMUNICATION,
              "Développer des outils de communication (messagerie interprofessionnelle sécurisée, plate-forme "
              "d'échange entre professionnels de santé, répertoire des ressources)",
              "Existence d'un outil ou réflexion en cours", OUI_NON, "Oui/non", "Mise en place d'un outil au moins",
              interest="Optimiser les relations avec les acteurs de ville ; fidéliser les correspondants que sont les praticiens libéraux ; améliorer le parcours de soins de la personne"),
    Indicator("collaborations_ville", COORDINATION,
              "Renforcer les collaborations avec les acteurs de ville",
              "Procédure écrite ou document formel sur des actions", LISTE, "Oui/non",
              "Mise en place d'une action au moins",
              structures="Établissements ayant déjà initié ce type de démarches ou l'ayant dans leur projet",
              items=("Social", "Réseau", "Prescription", "Urgence", "1er recours",
                     "Qualité de la lettre de liaison"),
              interest="Favoriser les contacts et relations avec les acteurs de ville ; fidéliser les correspondants que sont les praticiens libéraux"),
    Indicator("entrees_sorties", COORDINATION,
              "Faciliter les entrées et sorties d'établissement et favoriser le maintien au domicile",
              "Procédure écrite sur le thème", OUI_NON, "Oui/non", "Mise en place d'une action au moins",
              interest="Fluidifier le parcours ; réduire les DMS ; préparer la sortie avec l'entourage et les acteurs de ville concernés"),
    Indicator("ip_dms", COORDINATION,
              "Faciliter les entrées et sorties d'établissement et favoriser le maintien au domicile",
              "Indice de performance de la durée moyenne de séjour (IP-DMS)", NOMBRE, "Indice",
              "Selon négociation", calculation="Durée moyenne de séjour de l'établissement / durée moyenne de "
                                                "séjour de référence à case-mix identique (données d'activité)",
              interest="Fluidifier le parcours ; réduire les DMS"),
    Indicator("admissions_urgences", COORDINATION,
              "Éviter le recours non adéquat et les passages systématiques aux urgences (filières "
              "d'hospitalisation directe programmées et non programmées)",
              "Taux d'admission via les urgences", RATIO, "Ratio", "Selon négociation",
              calculation="Nombre de GHM avec mode d'entrée urgences / nombre de GHM total (données d'activité)",
              interest="Fluidifier le parcours ; sécuriser les retours à domicile ou en EHPAD"),
    Indicator("articulation_pdsa", COORDINATION,
              "Mieux s'articuler avec les structures de la permanence des soins ambulatoires (maisons médicales "
              "de garde)", "Procédure ou convention écrite sur le thème", OUI_NON, "Oui/non",
              "Mise en œuvre de la procédure",
              structures="Si existence de structures ambulatoires à proximité de l'établissement",
              interest="Désengorger les urgences ; une réponse adaptée aux urgences ne relevant pas d'un service d'urgence"),
    Indicator("structure_premier_recours", OFFRE,
              "Créer une structure de premier recours en cas de besoin du territoire et de restructuration "
              "hospitalière", "Création de la structure", OUI_NON, "Oui/non", "Si établissement concerné",
              structures="Selon contexte et besoins locaux",
              interest="Répondre à une restructuration ; développer une activité de soins"),
    Indicator("ph_centres_sante", OFFRE,
              "Mettre à disposition des praticiens hospitaliers de l'établissement dans des centres de santé",
              "Part des praticiens hospitaliers mis à disposition", POURCENTAGE,
              "% de l'effectif de praticiens hospitaliers", "Selon négociation",
              calculation="Nombre de PH mis à disposition / nombre de PH total",
              structures="En priorité dans les zones déficitaires ou sous-denses",
              interest="Recrutement de patients pour du second recours ou des actes interventionnels dans l'établissement"),
    Indicator("convention_l6111_3_2", COORDINATION,
              "Conclure avec les partenaires la convention de l'article L6111-3-2 et la transmettre à l'ARS",
              "Convention L6111-3-2 signée, en vigueur et transmise à l'ARS", OUI_NON, "Oui/non",
              "Convention signée et transmise", source="Registre des conventions (application)", origin=REGISTRY),
)
BY_CODE = {indicator.code: indicator for indicator in CATALOGUE}


@dataclass(frozen=True)
class Catalogue:
    """A sheet of engagements: the built-in one (``id`` None) or an ARS's loaded one (``models.CpomCatalogue``)."""

    id: int | None
    name: str
    source: str
    indicators: tuple[Indicator, ...]
    by_code: dict = field(init=False, compare=False, repr=False)

    def __post_init__(self):
        object.__setattr__(self, "by_code", {indicator.code: indicator for indicator in self.indicators})

    def as_dict(self) -> dict:
        return {"id": self.id, "version": self.name, "source": self.source,
                "indicators": [indicator.as_dict() for indicator in self.indicators]}


BUILT_IN = Catalogue(None, CATALOGUE_VERSION, SOURCE_SHEET, CATALOGUE)
#: The entry the registry proves, offered in every catalogue (a loaded sheet may not redefine it).
REGISTRY_PROVED = BY_CODE["convention_l6111_3_2"]


def loaded(row) -> Catalogue:
    """The catalogue of a ``models.CpomCatalogue`` row (its rows plus the registry-proved entry), parsed once."""
    parsed = row.__dict__.get("_parsed")
    if parsed is None:
        indicators = tuple(Indicator.from_dict(entry) for entry in row.entries
                           if entry["code"] != REGISTRY_PROVED.code) + (REGISTRY_PROVED,)
        parsed = Catalogue(row.id, row.name, row.source, indicators)
        row.__dict__["_parsed"] = parsed
    return parsed


def catalogue_of(cpom) -> Catalogue:
    return BUILT_IN if cpom.catalogue is None else loaded(cpom.catalogue)


def spec_of(engagement) -> Indicator:
    """The catalogue entry of a CPOM's engagement."""
    return catalogue_of(engagement.cpom).by_code[engagement.indicator]
