"""Article R6111-26 of the code de la santé publique as created by décret n° 2016-658 (the seed the application
implements), one Requirement per obligation, each with its citation and the application's reading."""

from datetime import date
from functools import partial

from registry.compliance.requirements import BY_CPOM, Citation, Requirement, Route

TEXT_VERSION = "décret n° 2016-658 du 20 mai 2016"
TEXT_DATE = date(2016, 5, 20)
NUMBERING_NOTE = ("Numérotation de la rédaction de 2016 ; les articles R6111-23 à R6111-27 ont été réorganisés en 2021 "
                  "(décret n° 2021-586 du 12 mai 2021) : vérifier l'article et l'alinéa dans la version en vigueur.")

cite = partial(Citation, "R6111-26", text_version=TEXT_VERSION, text_date=TEXT_DATE, note=NUMBERING_NOTE)

PRIMARY_CARE = frozenset({"cpts", "msp", "centre_sante", "other"})

PREMIER_RECOURS = Requirement(
    code="1_premier_recours",
    title="Coopération avec les professionnels de premier recours du territoire",
    citation=cite(item="I, 1°", quote=(
        "Il coopère avec les professionnels de santé de son territoire assurant des soins de premier recours [...] "
        "soit, grâce aux médecins généralistes exerçant en son sein à titre libéral [...] soit, par une convention "
        "conclue entre les acteurs concernés précisant les modalités de continuité médicale des soins et les "
        "actions de retour et de maintien à domicile des patients")),
    routes=(Route(PRIMARY_CARE, themes=(frozenset({"continuite_soins"}), frozenset({"retour_domicile"})),
                  on_territory=True,
                  label="des professionnels de premier recours du territoire (CPTS, MSP, centre de santé ou "
                        "médecins généralistes libéraux enregistrés comme « Autre partenaire »)"),),
    met_by_activities=frozenset({"medecins_liberaux"}),
    reading=(
        "Satisfait de l'une de deux façons, comme le texte le dit (« soit… soit… »). D'abord par des médecins "
        "généralistes libéraux exerçant au sein de l'hôpital : l'activité déclarée dans son profil vaut preuve une "
        "fois confirmée par l'ARS (une déclaration seule laisse l'exigence « non évaluée »), et "
        "l'application la tient pour l'engagement qu'ils suivent aussi leurs patients en ville. Sinon par une "
        "convention avec des professionnels de premier recours « de son territoire » (le partenaire doit être sur "
        "le territoire) : CPTS, MSP, centre de santé, ou médecins généralistes libéraux, que le vocabulaire "
        "enregistre comme « Autre partenaire » faute de type propre ; c'est alors la déclaration des thèmes qui "
        "qualifie la convention, et le motif nomme le partenaire pour que l'ARS le vérifie. La convention doit "
        "couvrir les deux objets du texte : la continuité médicale des soins ET le retour et maintien à domicile. "
        "Une maison médicale de garde ne compte pas à ce titre (son objet est la permanence des soins)."),
)

SECOND_RECOURS = Requirement(
    code="2a_second_recours",
    title="Partenariat avec un établissement de second recours",
    citation=cite(item="I, 2° a)", quote=(
        "avec un établissement exerçant des soins de deuxième recours [...] pour assurer en cas de nécessité "
        "l'orientation des patients et leur permettre d'accéder à des consultations avancées, notamment par une "
        "activité de télémédecine")),
    routes=(Route(frozenset({"second_recours"}),
                  themes=(frozenset({"orientation"}), frozenset({"consultations_avancees", "telemedecine"}))),),
    reading=(
        "Une convention avec un établissement de second recours couvrant l'orientation des patients ET l'accès à "
        "des consultations avancées, sur place ou par télémédecine : « notamment par une activité de télémédecine » "
        "fait de la télémédecine un moyen d'accès aux consultations avancées, non une exigence distincte. Le texte "
        "ne pose pas de condition de territoire pour le second recours."),
)

_SECOND_B_TWO = ("Le 2° b) est lu comme deux exigences distinctes (« avec un établissement gérant une activité "
                 "d'hébergement pour personnes âgées dépendantes [...] et un établissement exerçant une activité de "
                 "soins de suite et de réadaptation ou autorisées à dispenser des soins de longue durée ») : celle-ci "
                 "et {other}. ")
_SECOND_B_TERRITORY = (
    "« Situés sur son territoire ou exerçant une activité d'hospitalisation à domicile » qualifie ces "
    "établissements : l'HAD assouplit la condition de territoire, elle ne remplace pas la nature du partenaire. "
    "Compte donc {partner} du territoire, ou {partner_short} situé hors du territoire qui exerce aussi une activité "
    "d'HAD (son partenariat porte les deux types) ; un établissement d'HAD qui ne gère ni EHPAD, ni SSR/SMR, ni "
    "USLD ne compte pour aucune des deux exigences. ")


def _with_had(partner_types: set[str], label: str) -> Route:
    """The partner off the territory that counts: it plays one of ``partner_types`` and runs an HAD too."""
    return Route(frozenset(partner_types), also_types=frozenset({"had"}), label=label)


EHPAD = Requirement(
    code="2b_ehpad",
    title="Partenariat avec un établissement gérant un EHPAD",
    citation=cite(item="I, 2° b)", quote=(
        "s'il n'exerce pas de telles activités en son sein, avec un établissement gérant une activité "
        "d'hébergement pour personnes âgées dépendantes [...] situés sur son territoire ou exerçant une activité "
        "d'hospitalisation à domicile")),
    routes=(Route(frozenset({"ehpad"}), on_territory=True),
            _with_had({"ehpad"}, "un EHPAD qui exerce aussi une activité d'HAD, où qu'il soit situé")),
    waived_by_activities=frozenset({"ehpad"}),
    reading=(
        _SECOND_B_TWO.format(other="le partenariat SSR/USLD")
        + _SECOND_B_TERRITORY.format(partner="un EHPAD", partner_short="un EHPAD")
        + "« S'il n'exerce pas de telles activités en son sein » : non requis quand l'hôpital gère lui-même un "
          "EHPAD, activité déclarée dans son profil et confirmée par l'ARS ; une HAD gérée par l'hôpital ne l'en "
          "dispense pas."),
)

SSR_USLD = Requirement(
    code="2b_ssr_usld",
    title="Partenariat avec un établissement SSR/SMR ou USLD",
    citation=cite(item="I, 2° b)", quote=(
        "s'il n'exerce pas de telles activités en son sein, [...] et un établissement exerçant une activité de "
        "soins de suite et de réadaptation ou autorisées à dispenser des soins de longue durée, situés sur son "
        "territoire ou exerçant une activité d'hospitalisation à domicile")),
    routes=(Route(frozenset({"ssr", "usld"}), on_territory=True),
            _with_had({"ssr", "usld"}, "un établissement SSR/SMR ou une USLD qui exerce aussi une activité d'HAD, "
                                       "où qu'il soit situé")),
    waived_by_activities=frozenset({"ssr", "usld"}),
    reading=(
        _SECOND_B_TWO.format(other="le partenariat EHPAD")
        + "SSR et SMR (nom depuis 2022) sont un même type ; un établissement SSR/SMR ou une USLD suffit (« ou »). "
        + _SECOND_B_TERRITORY.format(partner="un établissement SSR/SMR ou une USLD",
                                     partner_short="un établissement SSR/SMR ou une USLD")
        + "Non requis quand l'hôpital exerce lui-même une activité de SSR/SMR ou d'USLD (l'une suffit), déclarée "
          "dans son profil et confirmée par l'ARS."),
)

COORDINATION = Requirement(
    code="3_coordination",
    title="Participation à la coordination du parcours de santé",
    citation=cite(item="I, 3°", quote=(
        "Il participe à la coordination du parcours de santé de ses patients afin, notamment, d'éviter les "
        "hospitalisations inutiles ou les ré-hospitalisations précoces, ainsi que les ruptures de parcours")),
    routes=(Route(frozenset({"dac"})), Route(frozenset({"cpts"})), Route(frozenset({"had"})),
            Route(themes=(frozenset({"coordination"}),))),
    reading=(
        "Le 3° ne désigne pas de convention : la participation se montre par des partenariats et par les "
        "indicateurs du CPOM. L'application le tient pour satisfait par une convention signée et en vigueur avec "
        "un DAC, une CPTS ou une HAD, quel qu'en soit l'objet, ou avec tout partenaire lorsque la convention couvre "
        "le thème « Coordination des parcours ». Une même convention peut compter aussi pour le 1° ou le 2° b). "
        "Le territoire du 3° est celui où résident les patients, non une condition sur le partenaire. Les "
        "indicateurs du CPOM (ré-hospitalisations, entrées par les urgences…) ne sont pas encore enregistrés et "
        "n'entrent pas dans le verdict."),
)

CPOM = Requirement(
    code="II_cpom",
    title="Engagements inscrits au CPOM",
    citation=cite(item="II", quote=(
        "Les engagements pris par l'hôpital de proximité en matière de coopération, de partenariat et de "
        "coordination du parcours de santé des patients sur le territoire mentionnés au 2° du I sont inscrits dans "
        "le contrat pluriannuel d'objectifs et de moyens")),
    evaluation=BY_CPOM,
    refers_to=("2a_second_recours", "2b_ehpad", "2b_ssr_usld"),
    reading=(
        "Le II demande que les partenariats du 2° du I soient inscrits au CPOM. Satisfait quand un CPOM enregistré "
        "couvrant l'hôpital est en vigueur à la date d'évaluation et compte au moins un engagement applicable ; "
        "« à risque » quand il n'est pas en vigueur ou ne compte aucun engagement ; « non évalué » quand aucun CPOM "
        "n'est enregistré. Le motif liste les conventions du 2° à retrouver dans le CPOM. Le second alinéa du II "
        "(le projet médical) n'est pas vérifié."),
)

REQUIREMENTS = (PREMIER_RECOURS, SECOND_RECOURS, EHPAD, SSR_USLD, COORDINATION, CPOM)
