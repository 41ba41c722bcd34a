"""The codes shared by the API, the CLI and the exports (INTERFACE.md, "Vocabulary"), with their French labels."""

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

ROLES = {
    "admin": "Administrateur",
    "hospital": "Établissement",
    "ars": "ARS",
}


def labels(codes, vocabulary: dict) -> list[str]:
    return [vocabulary.get(code, code) for code in codes or ()]


def unknown_codes(codes, vocabulary: dict) -> list[str]:
    return [code for code in codes or () if code not in vocabulary]
