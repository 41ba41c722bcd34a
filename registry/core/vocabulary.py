"""The codes shared by the API, the CLI and the exports (docs/interface.md, "Vocabulary"), with their French labels."""

PARTNER_TYPES = {
    "second_recours": "Établissement de second recours",
    "ehpad": "EHPAD",
    "ssr": "SSR / SMR",
    "usld": "USLD",
    "had": "Hospitalisation à domicile (HAD)",
    "cpts": "CPTS",
    "mmg": "Maison médicale de garde",
    "dac": "Dispositif d'appui à la coordination (DAC)",
    "msp": "Maison de santé pluriprofessionnelle (MSP)",
    "centre_sante": "Centre de santé",
    "other": "Autre partenaire",
}

#: Activities an hôpital de proximité can run itself; R6111-26 2° b) depends on them.
ACTIVITIES = {
    "ehpad": "EHPAD",
    "ssr": "SSR / SMR",
    "usld": "USLD",
    "had": "HAD",
    "medecins_liberaux": "Médecins généralistes libéraux exerçant en son sein",
}

THEMES = {
    "continuite_soins": "Continuité médicale des soins",
    "retour_domicile": "Retour et maintien à domicile",
    "orientation": "Orientation des patients",
    "consultations_avancees": "Consultations avancées",
    "telemedecine": "Télémédecine (téléconsultation, téléexpertise)",
    "plateau_technique": "Accès au plateau technique",
    "entrees_directes": "Entrées directes sans passage aux urgences",
    "pdsa": "Permanence des soins ambulatoires (PDSA)",
    "coordination": "Coordination des parcours",
    "information_partagee": "Partage d'information",
}

#: Legal bases a convention can rest on (article numbers as the code de la santé publique writes them); a
#: convention drafted from a template takes the template's, a registered one is given them by its hospital.
LEGAL_BASES = {
    "L6111-3-2": "Convention de l'hôpital de proximité avec ses partenaires (art. L6111-3-2)",
    "L6111-3-3": "Convention avec l'établissement support du GHT (art. L6111-3-3)",
    "D6124-204": "Convention entre une HAD et un établissement médico-social avec hébergement (art. D6124-204)",
    "R6111-24": "Conditions de l'hôpital de proximité : consultations, imagerie, biologie, télésanté (art. R6111-24)",
    "L6316-1": "Télésanté (art. L6316-1)",
    "R6315-3": "Permanence des soins ambulatoires (art. R6315-3)",
    "L6327-2": "Dispositif d'appui à la coordination (art. L6327-2)",
}

#: Equipment an hôpital de proximité has itself or reaches under a convention (R6111-24 II 4°).
EQUIPMENT = {"imagerie": "Imagerie", "biologie": "Biologie médicale", "telesante": "Équipements de télésanté"}

#: Legal status of an HdP (docs/interface.md): a public person or a private one.
PUBLIC, PRIVE = "public", "prive"
LEGAL_STATUSES = {PUBLIC: "Public", PRIVE: "Privé"}

#: The GHT support establishment of an HdP that belongs to it itself (PUT /hospitals' ``ght_support``).
GHT_SELF = "self"

#: Grounds for removing an HdP from the regional list (R6111-25 III).
REMOVAL_GROUNDS = {
    "a": "a) à la demande de l'établissement",
    "b": "b) il ne remplit plus les conditions du 2° ou du 3° du II de l'article R6111-24",
    "c": "c) il ne remplit plus, de manière durable, les conditions du 1°, du 4° ou du 5° du II de l'article "
         "R6111-24",
    "d": "d) circonstances particulières",
}

ROLES = {
    "admin": "Administrateur",
    "hospital": "Établissement",
    "ars": "ARS",
}


def labels(codes, vocabulary: dict) -> list[str]:
    return [vocabulary.get(code, code) for code in codes or ()]


def unknown_codes(codes, vocabulary: dict) -> list[str]:
    return [code for code in codes or () if code not in vocabulary]
