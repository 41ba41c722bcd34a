"""What a signature report (as stored, JSON) says to people: its count of signatures and document timestamps,
and the French reasons a copy is set aside. Plain functions over ``SignatureReport.as_dict()`` items, so that
reports stored before these words existed read the same."""

from registry.signatures import labels


def alert_reasons(signatures: list[dict]) -> list[str]:
    """One French sentence per signature (or document timestamp) whose verdict sets the copy aside."""
    return [_reason(signature) for signature in signatures if signature.get("verdict") in labels.ALERT_VERDICTS]


def _reason(signature: dict) -> str:
    timestamp = signature.get("kind") == labels.DOCUMENT_TIMESTAMP
    who = signature.get("signer")
    subject = ((f"L'horodatage de {who}" if who else "Un horodatage du document") if timestamp
               else (f"La signature de {who}" if who else "Une signature électronique"))
    # (feminine « signature », masculine « horodatage »)
    e, it = ("", "il") if timestamp else ("e", "elle")
    verdict = signature.get("verdict")
    if verdict == labels.ALTERED:
        return (f"{subject} est altéré{e} : le contenu qu'{it} couvre a été modifié depuis la signature, ou {it} ne "
                "correspond plus à son certificat.")
    if verdict == labels.MODIFIED:
        return (f"Le document a été modifié après {_lowered(subject)} (contenu ou pages changés par une mise à jour "
                f"ultérieure) : {it} ne couvre pas le document entier.")
    return (f"{subject} (champ « {signature.get('field') or '?'} ») est illisible : {it} ne peut pas être "
            "vérifié" + e + ".")


def _lowered(subject: str) -> str:
    return subject[0].lower() + subject[1:]


def counts(signatures: list[dict]) -> tuple[int, int]:
    """(signatures, document timestamps): a timestamp is not a signer."""
    stamps = sum(1 for signature in signatures if signature.get("kind") == labels.DOCUMENT_TIMESTAMP)
    return len(signatures) - stamps, stamps


def count_label(signatures: list[dict]) -> str:
    """« 2 signatures, 1 horodatage », « 1 signature », « aucune signature électronique »."""
    signed, stamps = counts(signatures)
    parts = [f"{signed} signature{'s' if signed > 1 else ''}"] if signed else []
    parts += [f"{stamps} horodatage{'s' if stamps > 1 else ''}"] if stamps else []
    return ", ".join(parts) or "aucune signature électronique"
