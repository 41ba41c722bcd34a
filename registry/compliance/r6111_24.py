"""Article R6111-24 II (current wording, after the 2021 reorganisation): imaging, biology and telehealth, owned
or reached under a convention. Known to the project only through an unofficial English translation."""

from datetime import date

from registry.compliance.requirements import BY_EQUIPMENT, Citation, EquipmentNeed, Requirement, Route

IMAGERIE, BIOLOGIE, TELESANTE = "imagerie", "biologie", "telesante"
#: Equipment a hospital can have itself (HospitalFacts.own_equipment), with French labels.
EQUIPMENT = {IMAGERIE: "Imagerie", BIOLOGIE: "Biologie médicale", TELESANTE: "Équipements de télésanté"}

_PLATEAU = Route(themes=(frozenset({"plateau_technique"}),))

PLATEAU_TECHNIQUE = Requirement(
    code="R6111_24_plateau_technique",
    title="Imagerie, biologie et télésanté, en propre ou par convention",
    citation=Citation(
        "R6111-24", item="II (alinéa qui suit le 4°)",
        text_version="version en vigueur, issue du décret n° 2021-586 du 12 mai 2021",
        text_date=date(2021, 5, 12),
        quote=("It has its own imaging and medical biology technical platforms and telehealth equipment, or has "
               "access to them under an agreement, taking into account the resources available in the region."),
        note=("Texte français non consulté : extrait d'une traduction anglaise non officielle "
              "(french-business-law.com). Vérifier le texte et le numéro de l'alinéa sur Légifrance.")),
    evaluation=BY_EQUIPMENT,
    equipment=(EquipmentNeed(IMAGERIE, EQUIPMENT[IMAGERIE], _PLATEAU),
               EquipmentNeed(BIOLOGIE, EQUIPMENT[BIOLOGIE], _PLATEAU),
               EquipmentNeed(TELESANTE, EQUIPMENT[TELESANTE], Route(themes=(frozenset({"telemedecine"}),)))),
    in_interface=False,
    addition_note=("Ajout au-delà de la liste des codes R6111-26 d'INTERFACE.md : seconde règle des textes en "
                   "vigueur, demandée par l'issue 6."),
    reading=(
        "L'hôpital doit disposer en propre, ou par convention, d'un plateau d'imagerie, de biologie médicale et "
        "d'équipements de télésanté. Pour chaque équipement qu'il n'a pas en propre (déclaré dans son profil), il "
        "faut une convention signée et en vigueur : thème « Accès au plateau technique » pour l'imagerie et la "
        "biologie (le vocabulaire ne les distingue pas), thème « Télémédecine » pour la télésanté ; tout type de "
        "partenaire compte et aucune condition de territoire ne s'applique (« compte tenu des ressources "
        "disponibles dans la région »). Non requis quand l'hôpital a les trois en propre. Tant que les équipements "
        "propres ne sont pas renseignés, un équipement sans convention est « à risque » (à vérifier), non "
        "« manquant »."),
)
