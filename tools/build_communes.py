"""Derive registry/organisations/data/communes.csv.gz from the communes.json of @etalab/decoupage-administratif.

    cd /tmp && npm pack @etalab/decoupage-administratif@6.0.0 && tar xzf etalab-decoupage-administratif-6.0.0.tgz
    python tools/build_communes.py /tmp/package/data/communes.json

Keeps the current communes only (type « commune-actuelle »: no communes déléguées or associées, no municipal
arrondissements) whose département the registry knows, with the département as FINESS writes it (9A for 971...).
Columns: code (INSEE), nom, departement, codes_postaux (space-separated). The output is deterministic (gzip
without a timestamp), so that rebuilding it from the same version changes nothing.
"""

import csv
import gzip
import io
import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from registry.core.geography import DEPARTEMENTS, OVERSEAS_INSEE_PREFIX  # noqa: E402

OUTPUT = Path(__file__).resolve().parents[1] / "registry" / "organisations" / "data" / "communes.csv.gz"
FINESS_DEPARTEMENT = {insee: finess for finess, insee in OVERSEAS_INSEE_PREFIX.items()}


def rows(communes: list[dict]):
    for commune in sorted(communes, key=lambda c: c["code"]):
        if commune.get("type") != "commune-actuelle":
            continue
        departement = FINESS_DEPARTEMENT.get(commune["departement"], commune["departement"])
        if departement not in DEPARTEMENTS:
            continue
        yield commune["code"], commune["nom"], departement, " ".join(sorted(commune.get("codesPostaux", [])))


def main(source: str) -> None:
    communes = json.loads(Path(source).read_text(encoding="utf-8"))
    text = io.StringIO()
    writer = csv.writer(text, lineterminator="\n")
    writer.writerow(["code", "nom", "departement", "codes_postaux"])
    count = 0
    for row in rows(communes):
        writer.writerow(row)
        count += 1
    OUTPUT.parent.mkdir(parents=True, exist_ok=True)
    with OUTPUT.open("wb") as raw, gzip.GzipFile(fileobj=raw, mode="wb", mtime=0, filename="") as out:
        out.write(text.getvalue().encode("utf-8"))
    print(f"{count} communes written to {OUTPUT}")


if __name__ == "__main__":
    main(sys.argv[1])
