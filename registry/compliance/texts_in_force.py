"""The texts in force for hôpitaux de proximité since the 2021 reform (ordonnance n° 2021-582 and décret
n° 2021-586 du 12 mai 2021), one Requirement per obligation, each with its citation and the application's reading.

Three kinds: the two statutory conventions (L6111-3-2, L6111-3-3), due within a year of the listing and sent to
the ARS; the eligibility conditions of R6111-24 II that the file can show (their lasting loss is a ground for
removal from the list, R6111-25 III c); and the partnerships the 2016 text required (EHPAD, SSR/USLD,
coordination), now only recommended: shown with their state, never « manquant ». The French quotations were read
in a Markdown copy of the LEGI database (docs/compliance-rules.md names what could not be read).
"""

from dataclasses import replace
from datetime import date
from functools import partial

from registry.compliance import r6111_26
from registry.compliance.requirements import (BY_CONVENTIONS, BY_CPOM, BY_EQUIPMENT, BY_STATUTORY, NON_EVALUE,
                                              NON_REQUIS, Citation, EquipmentNeed, Requirement, Route)
from registry.core.vocabulary import EQUIPMENT

ORDONNANCE = "ordonnance n° 2021-582 du 12 mai 2021"
DECRET = "décret n° 2021-586 du 12 mai 2021"
TEXT_DATE = date(2021, 5, 12)
#: Partner types of primary-care actors (L1411-11): CPTS, MSP, centre de santé, community GPs (« other »).
PRIMARY_CARE = r6111_26.PRIMARY_CARE
#: Months after the listing within which the statutory conventions must be concluded (« dans un délai d'un an »).
ONE_YEAR = 12
REMOVAL = ("Condition d'éligibilité : si elle cesse d'être remplie de manière durable, le directeur général de "
           "l'ARS peut retirer l'hôpital de la liste (R6111-25, III, c).")

law = partial(Citation, text_version=ORDONNANCE, text_date=TEXT_DATE)
decree = partial(Citation, "R6111-24", text_version=DECRET, text_date=TEXT_DATE)

PARTNERS_CONVENTION = Requirement(
    code="l6111_3_2",
    title="Convention avec les partenaires (article L6111-3-2)",
    citation=law("L6111-3-2", item="I", quote=(
        "Les hôpitaux de proximité, ou l'établissement de santé dont ils relèvent lorsqu'ils sont dépourvus de la "
        "personnalité morale, organisent des coopérations avec les acteurs de soins du premier recours des "
        "territoires qu'ils desservent et concluent à ces fins, dans un délai d'un an à compter de leur inscription "
        "sur la liste régionale mentionnée à l'article L. 6111-3-1, une convention avec leurs partenaires."),
        note=("I et II lus en français ; le III (transmission de la convention à l'ARS) n'a été lu que dans une "
              "traduction anglaise non officielle, et l'ordonnance qui a créé l'article n'est connue que par des "
              "sources secondaires : à vérifier sur Légifrance.")),
    evaluation=BY_STATUTORY,
    routes=(Route(PRIMARY_CARE, legal_basis="L6111-3-2",
                  label="des acteurs de soins du premier recours (CPTS, MSP, centre de santé ou médecins "
                        "généralistes libéraux enregistrés comme « Autre partenaire ») sur le fondement de l'article "
                        "L6111-3-2"),),
    deadline_months=ONE_YEAR,
    reading=(
        "Satisfait par une convention dont le fondement juridique enregistré est l'article L6111-3-2, signée et en "
        "vigueur à la date d'évaluation, comptant parmi ses partenaires un acteur du premier recours (CPTS, MSP, "
        "centre de santé ou « Autre partenaire » pour les médecins généralistes libéraux), et transmise à l'ARS au "
        "plus tard à cette date. « À risque » quand une telle convention est en vigueur mais n'a pas été transmise "
        "ou prend fin dans les 90 jours, ou quand aucune n'est encore en vigueur mais que le délai d'un an depuis "
        "l'inscription sur la liste court encore. « Manquant » quand aucune n'est en vigueur et que ce délai est "
        "passé. « Non évalué » quand la date d'inscription n'est pas enregistrée et qu'aucune n'est en vigueur. Le "
        "contenu de la convention (champ des coopérations, partage d'information, instance de suivi) se vérifie "
        "sur le document signé ; l'application ne lit pas le texte."),
)

GHT_CONVENTION = Requirement(
    code="l6111_3_3",
    title="Convention avec l'établissement support du GHT (article L6111-3-3)",
    citation=law("L6111-3-3", item="", quote=(
        "Les hôpitaux de proximité de statut public, ou l'établissement de santé du groupement dont ils relèvent "
        "lorsqu'ils sont dépourvus de la personnalité morale et que l'établissement dont ils constituent un site "
        "n'est pas l'établissement support du groupement hospitalier de territoire, concluent avec l'établissement "
        "support du gr[oupement] [...]"),
        note=("Seuls les premiers mots ont été lus en français (french-business-law.com) ; le reste (délai d'un an, "
              "contenu, transmission à l'ARS, information de l'ARS quand l'hôpital relève de l'établissement "
              "support) dans une traduction anglaise non officielle : à vérifier sur Légifrance.")),
    evaluation=BY_STATUTORY,
    routes=(Route(legal_basis="L6111-3-3", ght_support=True,
                  label="l'établissement support du GHT sur le fondement de l'article L6111-3-3"),),
    deadline_months=ONE_YEAR,
    public_only=True,
    reading=(
        "Ne concerne qu'un hôpital de proximité public (statut enregistré par l'ARS, à défaut lu dans FINESS) : "
        "« non requis » pour un hôpital privé, et quand l'hôpital relève de l'établissement support lui-même (cet "
        "établissement informe alors l'ARS) ; « non évalué » tant que le statut ou l'établissement support du GHT "
        "n'est pas renseigné. Sinon, même lecture que pour l'article L6111-3-2, avec une convention dont le "
        "fondement enregistré est l'article L6111-3-3 et dont l'une des parties est l'établissement support du GHT "
        "(reconnu par son numéro FINESS d'établissement ou d'entité juridique)."),
)

PRIMARY_CARE_COOPERATION = Requirement(
    code="r6111_24_1_premier_recours",
    title="Coopération avec les acteurs du premier recours (R6111-24, II, 1°)",
    citation=decree(item="II, 1°", quote=(
        "L'établissement, ou le site, coopère avec les acteurs de santé de son territoire assurant des soins de "
        "premier recours définis à l'article L. 1411-11 dans les conditions prévues à l'article R. 6111-25. Cette "
        "coopération peut notamment prendre la forme d'un exercice à titre libéral ou salarié, au sein de l'hôpital "
        "de proximité, de professionnels de santé assurant le suivi des patients et la coordination des parcours de "
        "santé au sein de l'offre ambulatoire")),
    evaluation=BY_CONVENTIONS,
    routes=(Route(PRIMARY_CARE, label="des acteurs du premier recours (CPTS, MSP, centre de santé ou médecins "
                                      "généralistes libéraux enregistrés comme « Autre partenaire »)"),),
    met_by_activities=frozenset({"medecins_liberaux"}),
    reading=(
        "Lu comme « le dossier le montre-t-il ? ». Satisfait par une convention signée et en vigueur avec un acteur "
        "du premier recours, quel qu'en soit le fondement ou l'objet, ou par l'exercice de médecins généralistes "
        "libéraux au sein de l'hôpital une fois confirmé par l'ARS (déclaré seulement : « non évalué »). "
        "L'exercice salarié que le texte admet aussi n'est pas enregistré. " + REMOVAL),
)

CONSULTATIONS = Requirement(
    code="r6111_24_4_consultations",
    title="Consultations de spécialités par des médecins d'établissements partenaires (R6111-24, II, 4°)",
    citation=decree(item="II, 4°", quote=(
        "L'établissement, ou le site, propose en son sein des consultations de plusieurs spécialités, réalisées par "
        "des médecins exerçant soit à titre libéral, soit en qualité de salarié ou d'agent public dans "
        "l'établissement ou le site ou dans des établissements de santé partenaires")),
    evaluation=BY_CONVENTIONS,
    routes=(Route(themes=(frozenset({"consultations_avancees"}),)),),
    when_absent=(NON_EVALUE, "Les consultations assurées par les médecins de l'hôpital lui-même ne sont pas "
                             "enregistrées ; aucune convention n'en montre par des établissements partenaires. "),
    reading=(
        "Les consultations assurées par les médecins de l'hôpital lui-même ne sont pas enregistrées : seule la part "
        "assurée par des établissements partenaires peut être montrée, par une convention signée et en vigueur "
        "couvrant les consultations avancées. Sans elle, l'exigence est « non évaluée » (les médecins de "
        "l'hôpital peuvent assurer ces consultations), jamais « manquante ». " + REMOVAL),
)

_PLATEAU = Route(themes=(frozenset({"plateau_technique"}),))
_TELEMEDECINE = Route(themes=(frozenset({"telemedecine"}),))

PLATFORM = Requirement(
    code="r6111_24_4_plateau_technique",
    title="Imagerie, biologie et télésanté, en propre ou par convention (R6111-24, II, 4°)",
    citation=decree(item="II (alinéa qui suit le 4°)", quote="Il dispose en son sein ou a accès par v[oie de "
                                                             "convention] [...]",
                    note=("Seuls ces premiers mots ont été lus en français ; la suite (plateaux techniques "
                          "d'imagerie et de biologie médicale, équipements de télésanté, « compte tenu des ressources "
                          "disponibles dans la région ») n'est connue que par une traduction anglaise non officielle "
                          "(french-business-law.com). Vérifier le texte et le numéro de l'alinéa sur Légifrance.")),
    evaluation=BY_EQUIPMENT,
    equipment=(EquipmentNeed("imagerie", EQUIPMENT["imagerie"], _PLATEAU),
               EquipmentNeed("biologie", EQUIPMENT["biologie"], _PLATEAU),
               EquipmentNeed("telesante", EQUIPMENT["telesante"], _TELEMEDECINE)),
    reading=(
        "Pour chaque équipement (imagerie, biologie médicale, télésanté) que l'hôpital n'a pas en propre, il faut "
        "une convention signée et en vigueur : thème « Accès au plateau technique » pour l'imagerie et la biologie "
        "(le vocabulaire ne les distingue pas), thème « Télémédecine » pour la télésanté ; tout partenaire compte "
        "et aucune condition de territoire ne s'applique. Un équipement propre compte une fois déclaré par "
        "l'hôpital et confirmé par l'ARS. Sans convention, un équipement déclaré mais non confirmé, ou des "
        "équipements non déclarés, laissent l'exigence « non évaluée » ; « manquant » seulement quand l'hôpital "
        "déclare ne pas l'avoir en propre. " + REMOVAL),
)

CPOM = Requirement(
    code="cpom",
    title="Engagements de coopération inscrits au CPOM",
    citation=Citation("L6114-1", item="", text_version="ordonnance n° 2020-1407 du 18 novembre 2020",
                      text_date=date(2020, 11, 18), quote=(
                          "L'agence régionale de santé conclut avec chaque établissement de santé [...] un contrat "
                          "pluriannuel d'objectifs et de moyens d'une durée de cinq ans")),
    evaluation=BY_CPOM,
    refers_to=("l6111_3_2", "l6111_3_3"),
    reading=(
        "Le CPOM de l'établissement porte ses engagements, dont ceux de coopération de l'hôpital de proximité. "
        "Satisfait quand un CPOM enregistré couvrant l'hôpital est en vigueur à la date d'évaluation et compte au "
        "moins un engagement applicable (suivi année par année) ; « à risque » quand le CPOM enregistré n'est pas "
        "en vigueur à cette date ou ne compte aucun engagement ; « non évalué » quand aucun CPOM n'est enregistré. "
        "Le motif nomme les conventions obligatoires à y retrouver."),
)

_RECOMMENDED = ("Partenariat recommandé : l'article R6111-26 dans sa rédaction de 2016 l'exigeait ; les textes en "
                "vigueur (L6111-3-1 à L6111-3-3, R6111-24) ne l'exigent plus, et l'article L6111-3-1 II cite la "
                "coopération avec les établissements médico-sociaux et l'hospitalisation à domicile parmi les "
                "missions de l'hôpital de proximité. Montré avec son état, jamais « manquant » : sans convention, "
                "« non requis ». Lecture de 2016 : ")
_MISSIONS = Citation("L6111-3-1", item="II", text_version="loi n° 2019-774 du 24 juillet 2019",
                     text_date=date(2019, 7, 24), quote=(
    "En prenant en compte les projets de santé des communautés professionnelles territoriales de santé et en "
    "coopération avec les structures et les professionnels de la médecine ambulatoire, les établissements et les "
    "services médico-sociaux et d'autres établissements et acteurs de santé, dont les établissements "
    "d'hospitalisation à domicile, les hôpitaux de proximité : [...]"),
    note=("Partenariat recommandé : la rédaction de 2016 de l'article R6111-26 qui l'exigeait n'est plus en vigueur. "
          "I et II lus en français ; la loi qui a donné cette rédaction est identifiée par une source secondaire."))


def recommended(requirement: Requirement, code: str) -> Requirement:
    return replace(requirement, code=code, title=requirement.title + " (recommandé)", citation=_MISSIONS,
                   recommended=True, reading=_RECOMMENDED + requirement.reading,
                   when_absent=(NON_REQUIS, "Partenariat recommandé, non exigé par les textes en vigueur. "))


REQUIREMENTS = (
    PARTNERS_CONVENTION, GHT_CONVENTION, PRIMARY_CARE_COOPERATION, CONSULTATIONS, PLATFORM, CPOM,
    recommended(r6111_26.EHPAD, "recommande_ehpad"),
    recommended(r6111_26.SSR_USLD, "recommande_ssr_usld"),
    recommended(r6111_26.COORDINATION, "recommande_coordination"),
)
