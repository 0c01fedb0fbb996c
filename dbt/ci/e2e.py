#!/usr/bin/env python3
"""The dbt package end to end, against the Concur simulator (run by dbt/ci/run.sh in the PyAirbyte virtualenv).

1. starts the simulator (the PyAirbyte check's small fixed tenant) and syncs it through PyAirbyte into a DuckDB
   cache and, with --postgres, a PostgreSQL cache;
2. removes an entry from a report in the simulator (which stamps the report) and edits another report, then syncs
   again: incremental, merged by primary key, so the removed entry stays in the synced table;
3. runs `dbt build` (models and their tests) on each warehouse with dbt-duckdb and dbt-postgres;
4. checks the models against the simulator's ground truth: the current entries are exactly the simulator's
   entries, the removed one is still in the synced table but not in the model, and for every report the sum of
   its current expense lines equals the report's Total; on DuckDB it also runs the SQL example of the user
   guide's "Custom fields" section and compares its rows with the ground truth.

Prints "OK: <warehouse>: ..." per warehouse; exits 1 naming the problems otherwise.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
import time
import urllib.request
from collections import defaultdict
from decimal import Decimal
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from sync import REPO_ROOT, CheckFailed, Simulator, offline_workdir, run_check, sources, sync, wrapper  # noqa: E402

PROJECT_DIR = REPO_ROOT / "dbt"
GUIDE = REPO_ROOT / "docs" / "sap-concur.md"
GUIDE_HEADING = "### Custom fields"
MODELS_SCHEMA = "concur_models"
CENT = Decimal("0.01")


def ndjson(simulator: Simulator, path: str) -> list[dict[str, Any]]:
    return [json.loads(line) for line in simulator.get(path).decode("utf-8").split("\n") if line.strip()]


def mutate(simulator: Simulator, body: dict[str, int]) -> dict[str, Any]:
    request = urllib.request.Request(f"{simulator.url}/_sim/mutate", data=json.dumps(body).encode(), method="POST")
    with urllib.request.urlopen(request, timeout=60) as response:  # noqa: S310 (loopback only)
        return json.loads(response.read())


# ------------------------------------------------------------------------------------------------------ warehouses


class Warehouse:
    """A PyAirbyte cache the package reads, and the dbt target that builds into it."""

    name: str

    def cache(self) -> Any: ...
    def profile(self) -> dict[str, Any]: ...
    def dbt_vars(self) -> dict[str, Any]: ...
    def query(self, sql: str) -> list[tuple[Any, ...]]: ...
    raw_table: str


class DuckDB(Warehouse):
    name = "duckdb"

    def __init__(self, workdir: Path) -> None:
        self.cache_path = workdir / "concur_cache.duckdb"
        self.models_path = workdir / "warehouse.duckdb"
        self.raw_table = "concur_cache.concur.expense_entries"

    def cache(self) -> Any:
        from airbyte.caches import DuckDBCache

        return DuckDBCache(db_path=str(self.cache_path), schema_name="concur")

    def profile(self) -> dict[str, Any]:
        # The models go to a file of their own; the cache is attached read-only, named by the concur_database var.
        return {"type": "duckdb", "path": str(self.models_path), "schema": MODELS_SCHEMA, "threads": 2,
                "attach": [{"path": str(self.cache_path), "alias": "concur_cache", "read_only": True}]}

    def dbt_vars(self) -> dict[str, Any]:
        return {"concur_database": "concur_cache", "concur_schema": "concur"}

    def query(self, sql: str) -> list[tuple[Any, ...]]:
        import duckdb  # type: ignore[import-not-found]

        with duckdb.connect(str(self.models_path), read_only=True) as db:
            db.execute(f"ATTACH '{self.cache_path}' AS concur_cache (READ_ONLY)")
            db.execute(f"USE warehouse.{MODELS_SCHEMA}")
            return db.execute(sql).fetchall()


class Postgres(Warehouse):
    name = "postgres"

    def __init__(self, host: str, port: int, user: str, database: str) -> None:
        self.host, self.port, self.user, self.database = host, port, user, database
        self.raw_table = "concur.expense_entries"

    def cache(self) -> Any:
        from airbyte.caches import PostgresCache

        # The test server trusts local connections; PyAirbyte wants a password all the same.
        return PostgresCache(host=self.host, port=self.port, username=self.user, password="unused",
                             database=self.database, schema_name="concur")

    def profile(self) -> dict[str, Any]:
        return {"type": "postgres", "host": self.host, "port": self.port, "user": self.user, "password": "unused",
                "dbname": self.database, "schema": MODELS_SCHEMA, "threads": 2}

    def dbt_vars(self) -> dict[str, Any]:
        return {"concur_schema": "concur"}

    def query(self, sql: str) -> list[tuple[Any, ...]]:
        import psycopg2  # type: ignore[import-not-found]

        connection = psycopg2.connect(host=self.host, port=self.port, user=self.user, dbname=self.database)
        try:
            with connection.cursor() as cursor:
                cursor.execute(f"SET search_path TO {MODELS_SCHEMA}")
                cursor.execute(sql)
                return list(cursor.fetchall())
        finally:
            connection.close()


# ------------------------------------------------------------------------------------------------------------ dbt


def dbt_build(dbt: str, warehouse: Warehouse, workdir: Path) -> None:
    profiles = workdir / f"profiles-{warehouse.name}"
    profiles.mkdir()
    (profiles / "profiles.yml").write_text(
        json.dumps({"concur": {"target": warehouse.name, "outputs": {warehouse.name: warehouse.profile()}}}), encoding="utf-8"
    )
    env = {**os.environ, "DBT_SEND_ANONYMOUS_USAGE_STATS": "false", "DBT_TARGET_PATH": str(workdir / f"dbt-target-{warehouse.name}"),
           "DBT_LOG_PATH": str(workdir / f"dbt-logs-{warehouse.name}"), "DBT_USE_COLORS": "false"}
    command = [dbt, "build", "--project-dir", str(PROJECT_DIR), "--profiles-dir", str(profiles),
               "--vars", json.dumps(warehouse.dbt_vars())]
    started = time.monotonic()
    done = subprocess.run(command, cwd=workdir, env=env, stdin=subprocess.DEVNULL, capture_output=True, text=True, timeout=600)
    summary = [line for line in done.stdout.split("\n") if "PASS=" in line or "ERROR" in line or "FAIL" in line]
    print(f"dbt build ({warehouse.name}): exit {done.returncode} in {time.monotonic() - started:.1f} s; " + "; ".join(s.strip() for s in summary[-1:]))
    if done.returncode != 0:
        raise CheckFailed(f"dbt build on {warehouse.name} exited with {done.returncode}:\n{done.stdout[-6000:]}\n{done.stderr[-2000:]}")


# ---------------------------------------------------------------------------------------------------- the checks


def check_models(warehouse: Warehouse, simulator: Simulator, removed: list[str], touched: list[str]) -> str:
    entries = ndjson(simulator, "/_sim/data/entries")
    reports = ndjson(simulator, "/_sim/data/reports")
    problems: list[str] = []

    current = {row[0] for row in warehouse.query("select entry_id from stg_concur__expense_entries")}
    truth = {entry["ID"] for entry in entries}
    if current != truth:
        problems.append(f"stg_concur__expense_entries: {len(current - truth)} entries not in the simulator "
                        f"{sorted(current - truth)[:5]}, {len(truth - current)} missing {sorted(truth - current)[:5]}")
    # The report an entry was removed from: exactly its current entries, as Concur lists them now.
    for report_id in touched:
        model = {row[0] for row in warehouse.query(f"select entry_id from stg_concur__expense_entries where report_id = '{report_id}'")}
        now = {entry["ID"] for entry in entries if entry["ReportID"] == report_id}
        if model != now:
            problems.append(f"report {report_id}: stg_concur__expense_entries has {sorted(model)}, the simulator {sorted(now)}")
    raw = {row[0] for row in warehouse.query(f"select id from {warehouse.raw_table}")}
    for entry_id in removed:
        if entry_id not in raw:
            problems.append(f"the removed entry {entry_id} is not in the synced table {warehouse.raw_table}: the test shows nothing")
        if entry_id in current:
            problems.append(f"the removed entry {entry_id} is still in stg_concur__expense_entries")

    sums = {row[0]: Decimal(str(row[1])) for row in warehouse.query(
        "select report_id, sum(posted_amount) from fct_expense_lines group by report_id")}
    wrong = [(r["ID"], r["Total"], sums.get(r["ID"])) for r in reports
             if Decimal(str(r["Total"])).quantize(CENT) != sums.get(r["ID"], Decimal(0)).quantize(CENT)]
    if wrong:
        problems.append(f"{len(wrong)} of {len(reports)} reports: Total in the simulator != sum of fct_expense_lines: {wrong[:5]}")
    unknown = set(sums) - {r["ID"] for r in reports}
    if unknown:
        problems.append(f"fct_expense_lines has lines of reports the simulator does not have: {sorted(unknown)[:5]}")
    problems += check_v4_keys(warehouse, simulator)
    if problems:
        raise CheckFailed("\n  ".join(problems))
    return (f"{len(current)} current entries, as in the simulator; the removed entry {', '.join(removed)} still among the"
            f" {len(raw)} synced rows and not in the model; every report's Total ({len(reports)}) = the sum of its current expense lines;"
            f" the {len(V4_MODELS)} current-API staging models and the group policies hold exactly the simulator's records")


# The staging models of the current-API streams: model, its key columns, the simulator's collection, its key fields.
V4_MODELS = (
    ("stg_concur__attendees_v4", "attendee_id", "attendees_v4", ("id",)),
    ("stg_concur__attendee_types_v4", "attendee_type_id", "attendee_types_v4", ("id",)),
    ("stg_concur__lists_v4", "list_id", "lists_v4", ("id",)),
    ("stg_concur__list_items_v4", "list_id || '/' || list_item_id", "list_items_v4", ("listId", "id")),
    ("stg_concur__expense_group_configurations_v4", "hierarchy_node_id", "group_configurations_v4", ("hierarchyNodeId",)),
)


def check_v4_keys(warehouse: Warehouse, simulator: Simulator) -> list[str]:
    """Each v4 staging model holds exactly the simulator's records, by key; the group policies one row per
    group and policy."""
    problems = []
    for model, key, collection, fields in V4_MODELS:
        got = {row[0] for row in warehouse.query(f"select {key} from {model}")}
        want = {"/".join(str(r[f]) for f in fields) for r in ndjson(simulator, f"/_sim/data/{collection}")}
        if got != want:
            problems.append(f"{model}: {len(got - want)} keys not in the simulator {sorted(got - want)[:3]}, {len(want - got)} missing {sorted(want - got)[:3]}")
    groups = ndjson(simulator, "/_sim/data/group_configurations_v4")
    want_policies = {(g["hierarchyNodeId"], p["policyId"], p["isDefault"]) for g in groups for p in g["policies"]}
    got_policies = {(r[0], r[1], bool(r[2])) for r in warehouse.query("select hierarchy_node_id, policy_id, is_default from stg_concur__expense_group_policies_v4")}
    if got_policies != want_policies:
        problems.append(f"stg_concur__expense_group_policies_v4: {sorted(got_policies ^ want_policies)[:4]} differ from the simulator")
    return problems


def guide_sql() -> str:
    """The one ```sql block of the user guide's Custom fields section."""
    text = GUIDE.read_text(encoding="utf-8")
    start = text.find(f"\n{GUIDE_HEADING}\n")
    if start < 0:
        raise CheckFailed(f"docs/sap-concur.md has no heading {GUIDE_HEADING!r}")
    section = re.split(r"\n#{1,3} ", text[start + len(GUIDE_HEADING) + 2 :], maxsplit=1)[0]
    blocks = re.findall(r"```sql\n(.*?)```", section, re.S)
    if len(blocks) != 1:
        raise CheckFailed(f"{GUIDE_HEADING}: expected one ```sql block, found {len(blocks)}")
    return blocks[0]


def check_guide_example(warehouse: Warehouse, simulator: Simulator) -> str:
    """The guide's example: posted spend per value of the entry field labeled 'Client', per report currency."""
    rows = warehouse.query(guide_sql())
    got = {(r[0], r[1]): (int(r[2]), Decimal(str(r[3])).quantize(CENT)) for r in rows}

    labels = {(f["FormId"], f["Id"]): f["Label"] for f in ndjson(simulator, "/_sim/data/form_fields")}
    currency = {r["ID"]: r["CurrencyCode"] for r in ndjson(simulator, "/_sim/data/reports")}
    expected: dict[tuple[str, str], list[Any]] = defaultdict(lambda: [0, Decimal(0)])
    for entry in ndjson(simulator, "/_sim/data/entries"):
        for n in range(1, 41):
            field = entry.get(f"Custom{n}")
            if field and field.get("Value") is not None and labels.get((entry["FormID"], f"Custom{n}")) == "Client":
                key = (field["Value"], currency[entry["ReportID"]])
                expected[key][0] += 1
                expected[key][1] += Decimal(str(entry["PostedAmount"]))
    want = {key: (count, total.quantize(CENT)) for key, (count, total) in expected.items()}
    if not want:
        raise CheckFailed("the simulator has no entry field labeled 'Client': the guide's example shows nothing")
    if got != want:
        raise CheckFailed(f"the guide's Custom fields example returned {sorted(got.items())[:6]}, the ground truth is {sorted(want.items())[:6]}")
    return f"the guide's Custom fields example returns the ground truth ({len(rows)} rows)"


# --------------------------------------------------------------------------------------------------------- the run


def run(workdir: Path, dbt: str, postgres: str | None) -> None:
    warehouses: list[Warehouse] = [DuckDB(workdir)]
    if postgres:
        host, port, user, database = postgres.split(":")
        warehouses.append(Postgres(host, int(port), user, database))
    simulator = Simulator(workdir)
    try:
        print(f"simulator: {simulator.url}")
        made = sources(simulator, wrapper(workdir))
        caches = {w.name: w.cache() for w in warehouses}
        for w in warehouses:
            sync(made, caches[w.name], f"1 into {w.name}")
        change = mutate(simulator, {"removeEntries": 1, "editReports": 1})
        removed = change["removedEntryIds"]
        print(f"simulator: removed entry {removed} from report {change['reportIdsWithRemovedEntries']}, edited {change['editedReportIds']}")
        for w in warehouses:
            sync(made, caches[w.name], f"2 into {w.name}")
            caches[w.name].close()  # dbt opens the DuckDB file next
        problems = []
        for w in warehouses:
            try:
                dbt_build(dbt, w, workdir)
                said = [check_models(w, simulator, removed, change["reportIdsWithRemovedEntries"])]
                if isinstance(w, DuckDB):
                    said.append(check_guide_example(w, simulator))
                print(f"OK: {w.name}: dbt build passed; " + "; ".join(said))
            except CheckFailed as error:
                problems.append(f"{w.name}: {error}")
        if problems:
            raise CheckFailed("\n".join(problems))
    finally:
        simulator.stop()


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--dbt", required=True, help="the dbt executable (with dbt-duckdb and dbt-postgres)")
    parser.add_argument("--postgres", metavar="HOST:PORT:USER:DATABASE", help="also sync into and build on this server")
    parser.add_argument("--keep-temp", action="store_true")
    args = parser.parse_args(argv)
    workdir = offline_workdir("source-concur-dbt-")
    return run_check(lambda: run(workdir, args.dbt, args.postgres), workdir, args.keep_temp)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
