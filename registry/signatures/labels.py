"""French wording of the checks: codes used by the API and JSON, labels shown to people."""

#: Overall label of a PDF without any electronic signature.
HANDWRITTEN = "signature manuscrite (copie numérisée)"

# Certificate trust, reported apart from integrity (codes → labels).
TRUSTED = "verifie"
UNTRUSTED = "non_verifie"
REVOKED = "revoque"
TRUST_LABELS = {
    TRUSTED: "certificat vérifié",
    UNTRUSTED: "certificat non vérifié",
    REVOKED: "certificat révoqué",
}

# Verdict of one signature, worst first: the summary of a document is the label of its worst signature.
ALTERED = "alteree"
MODIFIED = "modifiee"
CERT_REVOKED = "integre_certificat_revoque"
UNREADABLE = "illisible"
INTACT_UNTRUSTED = "integre_certificat_non_verifie"
INTACT_TRUSTED = "integre_certificat_verifie"
VERDICT_LABELS = {
    ALTERED: "altérée",
    MODIFIED: "modifiée après signature",
    CERT_REVOKED: "intègre, certificat révoqué",
    UNREADABLE: "signature électronique illisible",
    INTACT_UNTRUSTED: "intègre, certificat non vérifié",
    INTACT_TRUSTED: "intègre, certificat vérifié",
}
VERDICTS_WORST_FIRST = tuple(VERDICT_LABELS)
#: Verdicts that set a signed copy aside until a user confirms it: the signed bytes changed, the document was
#: changed after signing beyond what signing allows (the signature covers less than the whole document), or the
#: signature cannot be read. A revoked or unverified certificate says nothing of the document's integrity.
ALERT_VERDICTS = (ALTERED, MODIFIED, UNREADABLE)

# Kinds of embedded signature.
SIGNATURE = "signature"
DOCUMENT_TIMESTAMP = "horodatage"

# Active content found in an accepted PDF (codes → warnings shown beside the copy).
JAVASCRIPT = "javascript"
LAUNCH = "launch"
AUTO_ACTION = "auto_action"
EMBEDDED_FILE = "embedded_file"
OWNER_PASSWORD = "owner_password"
#: The PDF's structure breaks the standard's strict rules (cross-reference sections out of order or misplaced,
#: as some signing tools write them): it was read the tolerant way every PDF reader uses.
LENIENT = "lecture_toleree"
WARNINGS = {
    JAVASCRIPT: "contient du JavaScript : à ne pas ouvrir dans un lecteur qui l'exécute",
    LAUNCH: "contient une action qui lance un programme ou ouvre un fichier : à ne pas ouvrir dans un lecteur "
            "qui l'exécute",
    AUTO_ACTION: "contient des actions déclenchées automatiquement (à l'ouverture ou sur un événement)",
    EMBEDDED_FILE: "contient des fichiers joints : ne les ouvrir qu'avec prudence",
    OWNER_PASSWORD: "protégé contre la modification par un mot de passe (s'ouvre sans mot de passe)",
    LENIENT: "structure du PDF irrégulière (tables de références mal placées, comme l'écrivent certains logiciels "
             "de signature) : lu en mode tolérant, comme le font les lecteurs PDF",
}
