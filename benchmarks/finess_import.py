"""FINESS import at national scale: 100,000 establishments (plus their geolocation lines) generated from the real
sample rows, imported through the application, against a raw csv.reader + sqlite3 executemany of the same rows
(SQLite) or a raw csv.reader + psycopg COPY of the same rows (PostgreSQL).

Three figures: `finess_import`, the first import into an empty database, and `finess_reimport`, the same file
imported again (every row looked up and compared, all unchanged: the daily case), both timed around
import_finess() in a child process of its own (so that its peak RSS is its own); and `finess_import_process`,
what a user waits for: the whole `flask --app wsgi import-finess FILE` process (start-up included) on a migrated
empty database, against the raw import as a whole process of its own (`--raw`, the standard library only). Both
processes run with bytecode cached as on an installed machine (a temporary PYTHONPYCACHEPREFIX), PROCESS_ROUNDS
times each, taking turns, each time on an empty database; the best run of each counts, as in the other figures.

The same three again with a `_postgresql` suffix when a PostgreSQL server answers at BENCH_POSTGRES_URL (default
postgresql+psycopg://postgres@127.0.0.1:5432/postgres): each on a scratch database `bench_finess_<pid>_<n>` of its
own, dropped afterwards, against `--raw-copy` (psycopg's COPY into a table LIKE the application's).

Run alone: `.venv/bin/python -m benchmarks.finess_import`. Figures before and after the COPY and parser work are
in docs/finess-import.md.
"""

import csv
import json
import os
import random
import sqlite3
import subprocess
import sys
import tempfile
import time
from contextlib import contextmanager
from itertools import count
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "tests" / "data" / "finess" / "etalab-cs1100502-20260512-sample-lines.csv"
ESTABLISHMENTS = 100_000
#: Latin-1 like the historical extracts, so that the encoding detection does its full work.
ENCODING = "cp1252"
#: FINESS number prefix (4 characters) of the overseas départements that appear in the sample.
OVERSEAS_PREFIX = {"9A": "9701", "9B": "9702", "9C": "9703", "9D": "9704", "9F": "9805", "9J": "9806"}
LAMBERT_SOURCE = "1,ATLASANTE,100,IGN,BD_ADRESSE,V2.2,LAMBERT_93"
UTM_SOURCE = "1,ATLASANTE,100,IGN,BD_ADRESSE,V2.2,UTM_N20"
#: The PostgreSQL server of the PostgreSQL figures (a scratch database is created on it, then dropped).
POSTGRES_URL = os.environ.get("BENCH_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres")
_scratch_numbers = count(1)
#: Rounds of the whole-process figures (each process on an empty database, the app's and the raw one in turn).
PROCESS_ROUNDS = 3


def generate(path: Path, count: int = ESTABLISHMENTS, seed: int = 2154) -> None:
    """A cs1100507-like extract: header, every structureet line, then every geolocalisation line."""
    from registry.core.geography import DEPARTEMENTS, OVERSEAS_INSEE_PREFIX
    from registry.organisations.identifiers import finess_with_key

    metropolitan = sorted(code for code in DEPARTEMENTS if code not in OVERSEAS_INSEE_PREFIX)
    rng = random.Random(seed)
    with SAMPLE.open(encoding="utf-8", newline="") as handle:
        header, *templates = list(csv.reader(handle, delimiter=";"))
    serials: dict[str, int] = {}
    geolocations = []
    with path.open("w", encoding=ENCODING, newline="") as out:
        writer = csv.writer(out, delimiter=";", lineterminator="\n")
        writer.writerow(header)
        for index in range(count):
            fields = list(templates[index % len(templates)])
            overseas = index % 30 == 0  # about the national share of overseas establishments
            departement = fields[13] if overseas and fields[13] in OVERSEAS_PREFIX else \
                metropolitan[index % len(metropolitan)]
            prefix = OVERSEAS_PREFIX.get(departement, departement)
            serial = serials[prefix] = serials.get(prefix, 0) + 1
            fields[1] = finess_with_key(f"{prefix}{serial:0{8 - len(prefix)}d}")
            fields[2] = finess_with_key(f"{prefix}{(serial + 500000) % 10 ** (8 - len(prefix)):0{8 - len(prefix)}d}")
            fields[3] = f"{fields[3][:30]} {index}"
            fields[13] = departement
            if departement in OVERSEAS_PREFIX:
                geolocations.append((fields[1], rng.uniform(300_000, 700_000), rng.uniform(1_500_000, 2_000_000),
                                     UTM_SOURCE))
            else:
                fields[12] = f"{rng.randint(1, 899):03d}"
                fields[15] = f"{departement.replace('A', '0').replace('B', '0')}{rng.randint(0, 999):03d} VILLE {index}"
                geolocations.append((fields[1], rng.uniform(100_000, 1_200_000), rng.uniform(6_100_000, 7_100_000),
                                     LAMBERT_SOURCE))
            writer.writerow(fields)
        for finess_et, x, y, source in geolocations:
            writer.writerow(["geolocalisation", finess_et, f"{x:.1f}", f"{y:.1f}", source, "2026-05-12", ""])


def app_import(path: Path, url: str, runs: int) -> dict:
    """In this (child) process: a migrated empty database, then the application's import `runs` times; the last
    run is timed."""
    from registry.core.migrations import upgrade

    from benchmarks._process import own_peak_rss_mb
    from registry import create_app
    from registry.extensions import db
    from registry.finess.importer import import_finess

    app = create_app({"DATABASE_URL": url, "SECRET_KEY": "bench"}, instance_path=str(path.parent / "instance"))
    with app.app_context():
        upgrade()
        for _run in range(runs):
            started = time.perf_counter()
            report = import_finess(path)
            db.session.commit()
            seconds = time.perf_counter() - started
    rows = report.created + report.updated + report.unchanged
    return {"rows": rows, "rejected": report.rejected, "seconds": seconds,
            "peak_rss_mb": own_peak_rss_mb()}


def raw_import(path: Path, workdir: Path, app_database: Path, name: str = "raw.sqlite3") -> dict:
    """The floor: csv.reader and one executemany into a table of the same schema, no checks, no conversion."""
    schema = sqlite3.connect(app_database)
    ddl = [sql for (sql,) in schema.execute(
        "SELECT sql FROM sqlite_master WHERE tbl_name = 'organisations' AND sql IS NOT NULL ORDER BY type DESC")]
    columns = [row[1] for row in schema.execute("PRAGMA table_info(organisations)")]
    schema.close()
    connection = sqlite3.connect(workdir / name)
    for statement in ddl:
        connection.execute(statement)
    insert = f"INSERT INTO organisations ({', '.join(columns)}) VALUES ({', '.join('?' * len(columns))})"
    started = time.perf_counter()
    with path.open(encoding=ENCODING, newline="") as handle:
        rows = [_raw_row(fields, columns) for fields in csv.reader(handle, delimiter=";")
                if fields and fields[0] == "structureet"]
    with connection:
        connection.executemany(insert, rows)
    seconds = time.perf_counter() - started
    connection.close()
    return {"rows": len(rows), "seconds": seconds}


def raw_copy(path: Path, url: str) -> dict:
    """The floor on PostgreSQL: csv.reader and one COPY into a table like the application's, no checks, no
    conversion (an empty value is NULL, so that the dates go through)."""
    import psycopg

    with psycopg.connect(_conninfo(url)) as connection:
        connection.execute("CREATE TABLE raw_organisations (LIKE organisations INCLUDING ALL)")
        columns = [name for (name,) in connection.execute(
            "SELECT column_name FROM information_schema.columns WHERE table_name = 'raw_organisations' "
            "AND column_name <> 'id' ORDER BY ordinal_position")]
        connection.commit()
        started = time.perf_counter()
        with path.open(encoding=ENCODING, newline="") as handle:
            rows = [tuple(value or None for value in _raw_row(fields, columns))
                    for fields in csv.reader(handle, delimiter=";") if fields and fields[0] == "structureet"]
        with connection.cursor().copy(f"COPY raw_organisations ({', '.join(columns)}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)
        connection.commit()
        seconds = time.perf_counter() - started
    return {"rows": len(rows), "seconds": seconds}


def _raw_row(fields: list[str], columns: list[str]) -> tuple:
    values = {"finess_et": fields[1], "finess_ej": fields[2], "name": fields[3], "long_name": fields[4],
              "category_code": fields[18], "category_label": fields[19], "aggregate_code": fields[20],
              "aggregate_label": fields[21], "address": f"{fields[7]} {fields[8]} {fields[9]}",
              "postal_code": fields[15][:5], "city": fields[15][6:], "commune_code": fields[13] + fields[12],
              "departement": fields[13], "siret": fields[22], "phone": fields[16], "fax": fields[17],
              "ape_code": fields[23], "sph_code": fields[26], "sph_label": fields[27], "opened_on": fields[28],
              "authorised_on": fields[29], "finess_updated_on": fields[30], "source": "finess",
              "manual_partner_types": "[]", "created_at": "2026-01-01 00:00:00", "updated_at": "2026-01-01 00:00:00"}
    return tuple(values.get(column) for column in columns)


def _conninfo(url: str) -> str:
    """The libpq form of a SQLAlchemy URL (postgresql+psycopg://... → postgresql://...)."""
    return url.replace("postgresql+psycopg://", "postgresql://", 1)


@contextmanager
def scratch_postgres():
    """A database of our own on POSTGRES_URL's server, dropped afterwards; None when the server does not answer."""
    import psycopg

    try:
        admin = psycopg.connect(_conninfo(POSTGRES_URL), autocommit=True, connect_timeout=3)
    except psycopg.OperationalError:
        yield None
        return
    name = f"bench_finess_{os.getpid()}_{next(_scratch_numbers)}"
    with admin:
        admin.execute(f'CREATE DATABASE "{name}"')
        try:
            yield POSTGRES_URL.rsplit("/", 1)[0] + f"/{name}"
        finally:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def run_app(path: Path, url: str, runs: int) -> dict:
    child = subprocess.run([sys.executable, "-m", "benchmarks.finess_import", "--app", str(path), url, str(runs)],
                           cwd=ROOT, capture_output=True, text=True, check=False)
    if child.returncode != 0:
        raise RuntimeError(f"application import failed:\n{child.stderr[-3000:]}")
    return json.loads(child.stdout.strip().splitlines()[-1])


def process_side_by_side(path: Path, workdir: Path, env: dict, postgresql: bool = False) -> tuple[dict, dict]:
    """`flask --app wsgi import-finess` and the raw import, each a whole process on an empty database of its own
    (SQLite, or a scratch PostgreSQL database, where the raw one COPYs), PROCESS_ROUNDS rounds taking turns; the
    best of each counts, as in the other figures (the run least disturbed by the rest of the machine)."""
    apps, raws = [], []
    for number in range(PROCESS_ROUNDS):
        if postgresql:
            with scratch_postgres() as url:
                app, raw = _process_round(path, workdir, env, number, url)
        else:
            app, raw = _process_round(path, workdir, env, number)
        apps.append(app)
        raws.append(raw)
    return min(apps, key=lambda run: run["seconds"]), min(raws, key=lambda run: run["seconds"])


def _process_round(path: Path, workdir: Path, env: dict, number: int, url: str | None = None) -> tuple[dict, dict]:
    from benchmarks._process import measured  # here: the raw import's own process loads the standard library only

    flask = [sys.executable, "-m", "flask", "--app", "wsgi"]
    database = workdir / f"process-{number}.sqlite3"
    env = {**env, "DATABASE_URL": url or f"sqlite:///{database}", "SECRET_KEY": "bench",
           "STORAGE_DIR": str(workdir / "storage")}
    subprocess.run([*flask, "init-db"], cwd=ROOT, env=env, check=True, capture_output=True)
    seconds, output, peak_mb = measured([*flask, "import-finess", str(path)], env)
    counts = dict(part.split(" ") for part in output.splitlines()[0].split(", "))  # created N, updated N, ...
    app = {"rows": int(counts["created"]) + int(counts["updated"]) + int(counts["unchanged"]),
           "rejected": int(counts["rejected"]), "seconds": seconds, "peak_rss_mb": peak_mb}
    raw = (["--raw-copy", str(path), url] if url else
           ["--raw", str(path), str(workdir), str(database), f"raw-process-{number}.sqlite3"])
    raw_seconds, output, _peak = measured([sys.executable, "-m", "benchmarks.finess_import", *raw], env)
    return app, {"rows": json.loads(output)["rows"], "seconds": raw_seconds}


def main() -> None:
    from benchmarks._process import installed_env

    with tempfile.TemporaryDirectory(prefix="bench-finess-") as tmp:
        workdir = Path(tmp)
        path = workdir / "etalab-cs1100507-stock-bench.csv"
        generate(path)
        env = installed_env(workdir / "pycache")
        first = run_app(path, f"sqlite:///{workdir / 'first.sqlite3'}", runs=1)
        again = run_app(path, f"sqlite:///{workdir / 'again.sqlite3'}", runs=2)
        raw = raw_import(path, workdir, workdir / "first.sqlite3")
        process, raw_process = process_side_by_side(path, workdir, env)
        figures = [("finess_import", first, raw), ("finess_reimport", again, raw),
                   ("finess_import_process", process, raw_process)]
        figures += postgres_figures(path, workdir, env)
    for name, app, raw in figures:
        if app["rows"] != raw["rows"] or app["rejected"]:
            raise RuntimeError(f"{name}: {app['rows']} rows ({app['rejected']} rejected), raw {raw['rows']}")
        app_rate, raw_rate = app["rows"] / app["seconds"], raw["rows"] / raw["seconds"]
        print(f"BENCH {name} app={app_rate:.0f} raw={raw_rate:.0f} unit=rows/s ratio={app_rate / raw_rate:.2f} "
              f"peak_rss_mb={app['peak_rss_mb']:.0f}", flush=True)


def postgres_figures(path: Path, workdir: Path, env: dict) -> list:
    """The same three figures on PostgreSQL, each on a scratch database, against a raw COPY of the same rows."""
    with scratch_postgres() as first_url:
        if first_url is None:
            print(f"finess_import: no PostgreSQL at {POSTGRES_URL}, its figures are left out", file=sys.stderr)
            return []
        first = run_app(path, first_url, runs=1)
        raw = raw_copy(path, first_url)
    with scratch_postgres() as again_url:
        again = run_app(path, again_url, runs=2)
    process, raw_process = process_side_by_side(path, workdir, env, postgresql=True)
    return [("finess_import_postgresql", first, raw), ("finess_reimport_postgresql", again, raw),
            ("finess_import_process_postgresql", process, raw_process)]


if __name__ == "__main__":
    if len(sys.argv) == 5 and sys.argv[1] == "--app":
        print(json.dumps(app_import(Path(sys.argv[2]), sys.argv[3], int(sys.argv[4]))))
    elif len(sys.argv) == 4 and sys.argv[1] == "--raw-copy":  # a whole process of its own: psycopg only
        print(json.dumps(raw_copy(Path(sys.argv[2]), sys.argv[3])))
    elif len(sys.argv) == 6 and sys.argv[1] == "--raw":  # a whole process of its own: the standard library only
        print(json.dumps(raw_import(Path(sys.argv[2]), Path(sys.argv[3]), Path(sys.argv[4]), sys.argv[5])))
    else:
        main()
