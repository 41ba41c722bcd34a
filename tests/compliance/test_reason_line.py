"""A verdict's reason in one line (overview.reason_line), as the hospital page shows it."""

from datetime import date

import pytest

from registry.compliance.overview import reason_line
from registry.compliance.requirements import A_RISQUE, MANQUANT, NON_EVALUE, NON_REQUIS, SATISFAIT
from registry.compliance.verdicts import NOT_TRANSMITTED, Evidence, Verdict

AT = date(2026, 12, 2)


def _evidence(reference: str, state: str, last_day=None, effective=date(2026, 1, 1)) -> Evidence:
    return Evidence(reference, state, "signee", ("CPTS DU VAL",), ("cpts",), date(2025, 12, 1), effective, last_day)


def _verdict(verdict: str, reason: str = "Première phrase. Seconde phrase.", evidence=(), deadline=None,
             flags=()) -> Verdict:
    return Verdict("l6111_3_2", "Convention avec les partenaires", verdict, reason, "Art. L6111-3-2", "lecture",
                   "règles", tuple(evidence), (), deadline, tuple(flags))


@pytest.mark.parametrize("verdict, line", [
    (_verdict(SATISFAIT, evidence=[_evidence("A-1", "en_vigueur", date(2029, 5, 31))]),
     "Convention A-1 en vigueur jusqu'au 31 mai 2029."),
    (_verdict(SATISFAIT, evidence=[_evidence("A-1", "en_vigueur")]), "Convention A-1 en vigueur."),
    (_verdict(A_RISQUE, evidence=[_evidence("A-1", "en_vigueur")], flags=[NOT_TRANSMITTED]),
     "Convention A-1 en vigueur, sa transmission à l'ARS n'est pas enregistrée."),
    (_verdict(A_RISQUE, evidence=[_evidence("A-1", "prend_fin", date(2027, 1, 31))]),
     "Convention A-1 en vigueur jusqu'au 31 janvier 2027, à renouveler."),
    (_verdict(SATISFAIT, evidence=[_evidence("A-1", "prend_fin", date(2027, 1, 31)),
                                   _evidence("A-2", "pas_encore_en_vigueur", None, date(2027, 2, 1))]),
     "Convention A-1 en vigueur jusqu'au 31 janvier 2027, relayée par la convention A-2."),
    (_verdict(A_RISQUE, evidence=[_evidence("A-2", "pas_encore_en_vigueur", None, date(2027, 2, 1))]),
     "Convention A-2 signée, en vigueur à partir du 1er février 2027."),
    (_verdict(A_RISQUE, evidence=[_evidence("A-3", "non_signee")]), "Convention A-3 pas encore signée."),
    (_verdict(MANQUANT, deadline=date(2023, 5, 1)),
     "Aucune convention en vigueur ; le délai est dépassé depuis le 1er mai 2023."),
    (_verdict(A_RISQUE, deadline=AT),
     "Aucune convention en vigueur ; à conclure au plus tard le 2 décembre 2026."),
    (_verdict(MANQUANT, "Aucune convention signée et en vigueur avec une CPTS (« Autre partenaire »). Partenaire "
                        "sans convention : la CPTS « CPTS DU VAL »."),
     "Aucune convention signée et en vigueur avec une CPTS (« Autre partenaire »)."),
    (_verdict(NON_EVALUE, "Établissement support du GHT non renseigné : la convention ne peut être recherchée."),
     "Établissement support du GHT non renseigné : la convention ne peut être recherchée."),
    (_verdict(NON_REQUIS, "Partenariat recommandé, non exigé. Aucune convention signée."),
     "Partenariat recommandé, non exigé."),
    (_verdict(NON_EVALUE, "Article L6111-3-2 : délai d'un an (le 1er mai 2022, soit le 1er mai 2023). Sans elle."),
     "Article L6111-3-2 : délai d'un an (le 1er mai 2022, soit le 1er mai 2023)."),
])
def test_reason_line(verdict, line):
    assert reason_line(verdict, AT) == line
