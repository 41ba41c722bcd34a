"""Which partner types a FINESS category can play (documented in docs/partner-types.md).

Codes come from the FINESS "categetab" column (TRE_R66 code system). The category alone cannot tell every
activity (a CH may run SSR/SMR or USLD units, which FINESS lists as separate sites with their own category),
so a partnership can widen the types by hand.
"""

CATEGORY_PARTNER_TYPES: dict[str, tuple[str, ...]] = {
    # Second recours (L1411-12): hospitals with specialties.
    "101": ("second_recours",),  # Centre Hospitalier Régional (CHR/CHU)
    "355": ("second_recours",),  # Centre Hospitalier (CH)
    "114": ("second_recours",),  # Hôpital des armées
    "131": ("second_recours",),  # Centre de lutte contre le cancer
    "365": ("second_recours",),  # Etablissement de soins pluridisciplinaire
    "128": ("second_recours",),  # Etablissement de soins chirurgicaux
    "129": ("second_recours",),  # Etablissement de soins médicaux
    "122": ("second_recours",),  # Etablissement de soins obstétriques chirurgico-gynécologiques
    # Medico-social and follow-up care.
    "500": ("ehpad",),  # EHPAD (6° of L312-1 CASF); 501/502 EHPA and 202 résidences autonomie are not EHPAD
    "109": ("ssr",),  # Etablissement de santé privé autorisé en SSR (SMR since 2022)
    "362": ("usld",),  # Etablissement de soins longue durée
    "127": ("had",),  # Hospitalisation à domicile
    # Primary care and coordination.
    "124": ("centre_sante",),  # Centre de santé
    "636": ("centre_sante",),  # Centre de soins et de prévention
    "439": ("centre_sante",),  # Centre de santé polyvalent (TRE_R66 only)
    "603": ("msp",),  # Maison de santé (L6223-3)
    "604": ("cpts",),  # Communauté professionnelle territoriale de santé
    "606": ("dac",),  # Dispositif d'appui à la coordination (since 2022)
}

#: Categories of the establishments usually listed as hôpitaux de proximité (ex-hôpitaux locaux, CH, private MCO).
HOSPITAL_CATEGORIES = ("106", "355", "365", "129", "109")


def partner_types_for_category(category_code: str | None) -> list[str]:
    return list(CATEGORY_PARTNER_TYPES.get(category_code or "", ()))


def categories_for_partner_type(partner_type: str) -> list[str]:
    return sorted(code for code, types in CATEGORY_PARTNER_TYPES.items() if partner_type in types)
