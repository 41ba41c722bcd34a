"""Public or private person, as far as the FINESS row tells: the one place that reads it.

Used for an HdP's legal status (public HdP must conclude the L6111-3-3 convention; the ARS can correct it on the
hospital's profile) and for the competent court of a convention (an administrative court only when a public
person is a party). FINESS's establishment file does not carry the legal entity's legal status; two columns
tell it for health establishments: the public-service code (codesph 1 = établissement public de santé, 6 = ESPIC,
a private person) and the categories that only public establishments have (CHR/CHU, CH, CH ex-hôpital local).
Anything else is unknown here, never guessed, except a partner created by hand (a CPTS, an MSP, a DAC association):
the application takes it as a private person.
"""

from registry.core.vocabulary import PRIVE, PUBLIC
from registry.organisations.models import SOURCE_MANUAL

#: codesph: 1 établissement public de santé; 6 établissement de santé privé d'intérêt collectif (ESPIC).
_SPH_PUBLIC, _SPH_ESPIC = "1", "6"
#: FINESS categories of public health establishments only: CHR/CHU, CH, CH ex-hôpital local
#: (shared data: data/finess/categories.md).
PUBLIC_CATEGORIES = frozenset({"101", "355", "106"})
#: Categories whose establishments are private persons whatever their manager: CPTS, MSP (an SISA or an
#: association), private SSR/SMR establishments (« établissement de santé privé autorisé en SSR »).
PRIVATE_CATEGORIES = frozenset({"604", "603", "109"})


def finess_legal_status(organisation) -> str | None:
    """« public », « prive » or None (unknown) for an Organisation, from its FINESS columns alone."""
    if organisation.sph_code == _SPH_PUBLIC or organisation.category_code in PUBLIC_CATEGORIES:
        return PUBLIC
    if organisation.sph_code == _SPH_ESPIC or organisation.category_code in PRIVATE_CATEGORIES:
        return PRIVE
    if organisation.source == SOURCE_MANUAL:
        return PRIVE
    return None
