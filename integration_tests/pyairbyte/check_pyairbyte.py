#!/usr/bin/env python3
"""End-to-end check of source-concur through PyAirbyte, against the offline Concur simulator.

An external check of the connector's output only (nothing here is product code):

1. starts the simulator (a small fixed tenant) on a free port;
2. runs the connector CLI directly (spec, check, discover, read with a full-refresh catalog from discover) and
   validates EVERY stdout line: one JSON object per line, and an AirbyteMessage of the Airbyte protocol models
   (`airbyte_protocol.models`, pydantic v1 or v2, whichever is installed; optionally also under other
   interpreters given with --protocol-python);
3. runs the connector through PyAirbyte as a local executable (`source.check()`, then `source.read()` into a
   DuckDB cache in a temporary directory), with a company grant;
4. for each of the twenty-five streams asserts: rows in DuckDB == records the connector emitted in the PyAirbyte run
   == records of the direct CLI run == the count derived from the simulator's ground truth (/_sim/data);
5. runs the README's PyAirbyte snippet (the python block under "## PyAirbyte", which docs/sap-concur.md must
   repeat word for word) as written, with only its credentials and token_url substituted, once per grant
   (password, company, refresh_token), each in an empty working directory with `source-concur` put on PATH by
   `npm install -g .` (into a temporary prefix); then asserts that every stream the connector's discover offers
   for that config has a table in the snippet's default DuckDB cache holding exactly the simulator's ground
   truth count for that grant, and that everything the snippet wrote is git-ignored.

Usage (see run.sh, which makes the virtualenvs):
    python check_pyairbyte.py [--protocol-python PYTHON ...] [--keep-temp]
    python check_pyairbyte.py --validate-only FILE ...     # validate Airbyte message files, nothing else

Exits 0 with per-stream tables on success, 1 with a message naming the problems otherwise.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import selectors
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import traceback
import urllib.parse
import urllib.request
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

REPO_ROOT = Path(__file__).resolve().parents[2]
CONNECTOR_ENTRY = REPO_ROOT / "bin" / "source-concur.js"
SIMULATOR_ENTRY = REPO_ROOT / "simulator" / "bin" / "concur-simulator.js"

# A small, fixed tenant. --from/--to are explicit (and in the past) so that every generated timestamp lies before
# "now": the connector reads up to now, and the expected counts below must not depend on the day the check runs.
SIMULATOR_ARGS = ["--seed", "7", "--reports", "40", "--users", "6", "--from", "2024-01-01", "--to", "2026-06-30"]

# Simulator defaults (simulator/README.md): the three grants. The administrator (a Web Services Administrator) is
# the user of the password grant and the owner of the initial refresh token.
CLIENT = {"client_id": "sim-client-id", "client_secret": "sim-client-secret"}
ADMIN_LOGIN = "admin@example.com"
COMPANY_CREDENTIALS = {
    "auth_type": "company",
    **CLIENT,
    "company_id": "7a3c9f1e-4b2d-4e8a-9c61-5f0d2b8e4a17",
    "company_request_token": "sim-company-request-token",
}
PASSWORD_CREDENTIALS = {"auth_type": "password", **CLIENT, "username": ADMIN_LOGIN, "password": "sim-admin-password"}
REFRESH_TOKEN_CREDENTIALS = {"auth_type": "refresh_token", **CLIENT, "refresh_token": "sim-refresh-token"}

# (grant, credentials, the Concur user the token acts as: None for the company)
GRANTS: list[tuple[str, dict[str, str], str | None]] = [
    ("password", PASSWORD_CREDENTIALS, ADMIN_LOGIN),
    ("company", COMPANY_CREDENTIALS, None),
    ("refresh_token", REFRESH_TOKEN_CREDENTIALS, ADMIN_LOGIN),
]

SIM_START_TIMEOUT_S = 20
CLI_TIMEOUT_S = 300


@dataclass(frozen=True)
class Truth:
    """Where a stream's expected record count comes from: the records of GET /_sim/data/{collection}?{params}
    (NDJSON, every record as the API serves it), optionally only those whose field `where[0]` equals `where[1]`.
    No collection: the stream must be empty."""

    collection: str | None
    params: dict[str, str] = field(default_factory=dict)
    where: tuple[str, str] | None = None


EMPTY = Truth(None)

# How many records each stream must yield with a company token, from the simulator's ground truth. Derived from
# src/streams/** and simulator/src/routes/{admin,ground-truth}.ts; the config is the company grant with user=ALL
# and every other option at its default. It agrees with the company view of test/integration/ground-truth.ts.
# Every stream has a reliable ground-truth mapping, so none falls back to the connector's own count: the direct
# CLI read is compared in addition to the ground truth, not instead of it.
EXPECTED_SOURCES: dict[str, Truth] = {
    # v3 report list with user=ALL: every report of the company (no date range configured).
    "expense_reports": Truth("reports"),
    # One GET /reports/{id}?user=<owner> per listed report: one row per report.
    "expense_reports_detail": Truth("reports"),
    # Children read per report (reportID + the owner's login): every entry / itemization / allocation.
    "expense_entries": Truth("entries"),
    "expense_itemizations": Truth("itemizations"),
    "expense_allocations": Truth("allocations"),
    # Read per entry that has attendees: every entry-attendee association.
    "entry_attendee_associations": Truth("entry_attendee_associations"),
    # Token-user scope: with user=ALL the connector sends no `user` (src/streams/env.ts singleUser), so the list
    # shows what the token's own principal sees. A company token is no user: it sees the shared attendees only
    # (one EMPLOYEE attendee per user + the shared guests, owned by ConcurSystem), never the users' private
    # guests. The ground truth of exactly that view is /_sim/data/attendees?visibleTo=company.
    "expense_attendees": Truth("attendees", {"visibleTo": "company"}),
    # Attendees v4 per owner: with a company token, every Identity user's own attendees (userId), owner by owner.
    "attendees_v4": Truth("attendees_v4"),
    "expense_attendee_types": Truth("attendee_types"),
    # Attendee Types v4 lists every type, the deleted one included (company tokens only).
    "attendee_types_v4": Truth("attendee_types_v4"),
    "expense_group_configurations": Truth("group_configurations"),
    # Expense Configuration v4: every group of the company, each whole (policies, payment types, attendee types).
    "expense_group_configurations_v4": Truth("group_configurations_v4"),
    # One row per form (form types -> forms -> one Fields request per form, the fields nested in the row),
    # so the count is the number of forms, not of form types or form fields.
    "expense_form": Truth("forms"),
    # Token-user streams whose APIs have no way to name another user: delegators of the token user, the token
    # user's unassigned card charges, the token user's receipt images (the connector sends no `user` with
    # user=ALL). A company request token acts as the company, which is no Concur user and owns none of these,
    # so all three are empty here. (Their ground truth, card_charges/delegators/receipt_images, exists only
    # per user login.) The simulator must also have served none of those items (checked via /_sim/stats).
    "expense_delegators": EMPTY,
    "company_card_transactions": EMPTY,
    "receipt_images": EMPTY,
    # Expense Report v2 details: the list is read per status bucket; the default config asks every bucket, the
    # seven non-ACTIVE buckets partition the reports and the engine reads a report once per sync, so there is
    # one row per report: the report_details collection.
    "reports_detail": Truth("report_details"),
    "list_items": Truth("list_items"),
    # List v4 without a filter: the live lists. Their items walked list by list with isDeleted=true: every item
    # of a live list, deleted ones included, once per list (the ground truth adds the list walked, listId).
    "lists_v4": Truth("lists_v4"),
    "list_items_v4": Truth("list_items_v4"),
    # No location_countries configured: the whole table.
    "locations": Truth("locations"),
    "extract_definitions": Truth("extract_definitions"),
    # Jobs of every definition, as the job list shows them (Concur lists only the last 100 per definition): the
    # ground truth is exactly the listed jobs (ground-truth.ts listedJobs), not every job ever run.
    "extract_jobs": Truth("extract_jobs"),
    # Trips of every user (userid_value=ALL) with the trip date range opened wide, includeCanceledTrips=true and
    # includeVirtualTrip=1, as the connector asks: every trip, i.e. /_sim/data/trips with the same two flags.
    "travel_itineraries": Truth("trips", {"includeCanceledTrips": "true", "includeVirtualTrip": "1"}),
    # Default user_information_api is identity_v4_1: every SCIM user of the company (admin included).
    "user_information": Truth("identity_users"),
}


def expected_sources(login: str | None) -> dict[str, Truth]:
    """The ground truth of every stream for a token acting as `login` (None: the company), with user=ALL and
    every other option at its default. As test/integration/ground-truth.ts: a user token of a Web Services
    Administrator reads the company-wide streams as a company token does, while the token-user streams hold
    that user's own data."""
    if login is None:
        return dict(EXPECTED_SOURCES)
    return {
        **EXPECTED_SOURCES,
        # The token user's view: the shared attendees plus the user's own private guests.
        "expense_attendees": Truth("attendees", {"visibleTo": login}),
        # Attendees v4 without userId: the token user's own attendees.
        "attendees_v4": Truth("attendees_v4", {"user": login}),
        # Expense Configuration v4 answers a user token with that user's own group.
        "expense_group_configurations_v4": Truth("group_configurations_v4", {"user": login}),
        "expense_delegators": Truth("delegators", {"user": login}),
        "company_card_transactions": Truth("card_charges", {"user": login}),
        "receipt_images": Truth("receipt_images", {"user": login}),
        # Identity v4.1 answers company tokens only; a user token can read the stream through User v1
        # (user_information_api: user_v1), which gives the token user's own profile.
        "user_information": Truth("user_profiles", where=("LoginId", login)),
    }


# Streams discover may leave out for a user-level token: user_information's default API (Identity v4.1) and
# Attendee Types v4 answer company tokens only. Any other stream of the mapping missing from discover is a failure.
MAY_BE_WITHHELD_FROM_USER_TOKENS = frozenset({"user_information", "attendee_types_v4"})

# The token-user collections whose itemsServed must stay 0 with a company token.
TOKEN_USER_COLLECTIONS = ("receipt_images", "card_charges", "delegators")

# The README's PyAirbyte snippet, and the user guide's copy of it.
README = REPO_ROOT / "README.md"
README_HEADING = "## PyAirbyte"
GUIDE = REPO_ROOT / "docs" / "sap-concur.md"
GUIDE_HEADING = "### Step 5: Use it from PyAirbyte"
# The only two places of the snippet the check changes: the `credentials = {` ... `}` literal (one dict literal,
# closed by a `}` line of its own), and the commented `"token_url": ...` line, uncommented with the simulator's URL.
SNIPPET_CREDENTIALS = re.compile(r"^credentials = \{\n(?:.*\n)*?\}$", re.M)
SNIPPET_TOKEN_URL = re.compile(r'^(?P<indent>[ \t]*)# "token_url": "[^"\n]*",.*$', re.M)
# PyAirbyte's default DuckDB cache, relative to the directory it runs in (AIRBYTE_PROJECT_DIR and AIRBYTE_CACHE_ROOT
# would move it; the snippet runs with neither set).
DEFAULT_CACHE_DB = Path(".cache") / "default_cache" / "default_cache.duckdb"


class CheckFailed(Exception):
    """A mismatch or invalid output: the message says what and where."""


# --------------------------------------------------------------------------------------------- protocol validation


def _load_message_model() -> tuple[Any, Any, str]:
    try:
        from airbyte_protocol import models  # type: ignore[import-not-found]
    except ImportError as error:  # pragma: no cover - environment problem
        raise CheckFailed(f"airbyte_protocol.models is not importable with {sys.executable}: {error}") from error
    import pydantic  # type: ignore[import-not-found]

    return models.AirbyteMessage, models.ConfiguredAirbyteCatalog, f"{_versions('airbyte-protocol-models', 'airbyte-protocol-models-pdv2')}, pydantic {pydantic.VERSION}"


def _versions(*distributions: str) -> str:
    """'name version' of the installed distributions among these."""
    from importlib import metadata

    found = []
    for name in distributions:
        try:
            found.append(f"{name} {metadata.version(name)}")
        except metadata.PackageNotFoundError:
            pass
    return ", ".join(found)


def _validate_model(model: Any, obj: dict[str, Any]) -> Any:
    """pydantic v2 models have model_validate; v1 models (airbyte-protocol-models) have parse_obj."""
    if hasattr(model, "model_validate"):
        return model.model_validate(obj)
    return model.parse_obj(obj)


# The field of an AirbyteMessage that its `type` requires (the models make them all optional).
_TYPE_FIELD = {
    "RECORD": "record",
    "STATE": "state",
    "LOG": "log",
    "SPEC": "spec",
    "CONNECTION_STATUS": "connectionStatus",
    "CATALOG": "catalog",
    "TRACE": "trace",
    "CONTROL": "control",
}


def validate_messages(text: str, origin: str) -> list[dict[str, Any]]:
    """Every line must be one JSON object and a valid AirbyteMessage; fails on the first line that is not."""
    message_model, _, _ = _load_message_model()
    messages: list[dict[str, Any]] = []
    lines = text.split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    for number, line in enumerate(lines, start=1):
        where = f"{origin}, stdout line {number}"
        try:
            obj = json.loads(line)
        except json.JSONDecodeError as error:
            raise CheckFailed(f"{where} is not one JSON value ({error}): {line[:300]!r}") from None
        if not isinstance(obj, dict):
            raise CheckFailed(f"{where} is JSON but not an object: {line[:300]!r}")
        try:
            _validate_model(message_model, obj)
        except Exception as error:  # pydantic.ValidationError in v1 and v2
            raise CheckFailed(f"{where} is not a valid AirbyteMessage: {error}\nline: {line[:500]}") from None
        field = _TYPE_FIELD.get(obj.get("type", ""))
        if field is None or not isinstance(obj.get(field), dict):
            raise CheckFailed(f"{where}: a {obj.get('type')!r} message must carry an object {field!r}: {line[:300]}")
        messages.append(obj)
    return messages


def validate_only(files: list[str]) -> int:
    """--validate-only: used to run the same validation under another interpreter (other pydantic major)."""
    _, _, flavour = _load_message_model()
    try:
        for name in files:
            count = len(validate_messages(Path(name).read_text(encoding="utf-8"), Path(name).name))
            print(f"  {Path(name).name}: {count} messages valid ({flavour})")
    except CheckFailed as error:
        print(f"FAIL: {error}", file=sys.stderr)
        return 1
    return 0


# ------------------------------------------------------------------------------------------------------- simulator


class Simulator:
    def __init__(self, workdir: Path) -> None:
        node = shutil.which("node")
        if node is None:
            raise CheckFailed("node is not on PATH")
        self._stderr = (workdir / "simulator.stderr").open("w", encoding="utf-8")
        self.process = subprocess.Popen(
            [node, str(SIMULATOR_ENTRY), "--port", "0", *SIMULATOR_ARGS],
            cwd=REPO_ROOT,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=self._stderr,
        )
        self.url = self._listening_url(workdir)

    def _listening_url(self, workdir: Path) -> str:
        assert self.process.stdout is not None
        selector = selectors.DefaultSelector()
        selector.register(self.process.stdout, selectors.EVENT_READ)
        deadline = time.monotonic() + SIM_START_TIMEOUT_S
        buffer = b""
        while b"\n" not in buffer:
            remaining = deadline - time.monotonic()
            if remaining <= 0 or not selector.select(remaining):
                self.stop()
                raise CheckFailed(f"the simulator did not print its listening line within {SIM_START_TIMEOUT_S} s")
            chunk = os.read(self.process.stdout.fileno(), 4096)
            if chunk == b"":
                self.stop()
                stderr = (workdir / "simulator.stderr").read_text(encoding="utf-8", errors="replace")
                raise CheckFailed(f"the simulator exited (code {self.process.poll()}) before listening:\n{stderr}")
            buffer += chunk
        selector.close()
        line = buffer.split(b"\n", 1)[0].decode("utf-8")
        event = json.loads(line)
        if event.get("event") != "listening" or not isinstance(event.get("url"), str):
            self.stop()
            raise CheckFailed(f"unexpected first line from the simulator: {line}")
        return event["url"]

    def get(self, path: str) -> bytes:
        with urllib.request.urlopen(f"{self.url}{path}", timeout=60) as response:  # noqa: S310 (loopback only)
            return response.read()

    def ground_truth_count(self, truth: Truth) -> int:
        if truth.collection is None:
            return 0
        query = f"?{urllib.parse.urlencode(truth.params)}" if truth.params else ""
        body = self.get(f"/_sim/data/{truth.collection}{query}").decode("utf-8")
        records = [json.loads(line) for line in body.split("\n") if line.strip() != ""]
        if not all(isinstance(record, dict) for record in records):
            raise CheckFailed(f"/_sim/data/{truth.collection}{query} returned a line that is not a JSON object")
        if truth.where is not None:
            name, value = truth.where
            records = [record for record in records if record.get(name) == value]
        return len(records)

    def items_served(self, collections: tuple[str, ...]) -> dict[str, int]:
        served = self.stats().get("itemsServed", {})
        return {collection: int(served.get(collection, 0)) for collection in collections}

    def stats(self) -> dict[str, Any]:
        return json.loads(self.get("/_sim/stats"))

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=10)
        if self.process.stdout is not None:
            self.process.stdout.close()
        self._stderr.close()


# ---------------------------------------------------------------------------------------------------- direct runs


def run_cli(args: list[str], workdir: Path, name: str) -> list[dict[str, Any]]:
    """Run the connector CLI, require exit code 0, keep its stdout in workdir/name.jsonl and validate it."""
    node = shutil.which("node")
    assert node is not None
    command = [node, str(CONNECTOR_ENTRY), *args]
    shown = "node bin/source-concur.js " + " ".join(args)
    try:
        done = subprocess.run(
            command, cwd=REPO_ROOT, stdin=subprocess.DEVNULL, capture_output=True, text=True, timeout=CLI_TIMEOUT_S
        )
    except subprocess.TimeoutExpired:
        raise CheckFailed(f"`{shown}` did not finish within {CLI_TIMEOUT_S} s") from None
    (workdir / f"{name}.jsonl").write_text(done.stdout, encoding="utf-8")
    if done.returncode != 0:
        raise CheckFailed(f"`{shown}` exited with {done.returncode}\nstderr:\n{done.stderr[-3000:]}\nstdout tail:\n{done.stdout[-3000:]}")
    return validate_messages(done.stdout, f"`{shown}`")


def of_type(messages: list[dict[str, Any]], kind: str) -> list[dict[str, Any]]:
    return [m for m in messages if m["type"] == kind]


def record_counts(messages: list[dict[str, Any]]) -> Counter[str]:
    return Counter(m["record"]["stream"] for m in of_type(messages, "RECORD"))


def check_read_messages(messages: list[dict[str, Any]], streams: list[str], origin: str) -> None:
    errors = [m for m in of_type(messages, "TRACE") if m["trace"].get("type") == "ERROR"]
    if errors:
        raise CheckFailed(f"{origin} emitted an ERROR trace: {json.dumps(errors[0])[:1000]}")
    complete = {
        m["trace"]["stream_status"]["stream_descriptor"]["name"]
        for m in of_type(messages, "TRACE")
        if m["trace"].get("type") == "STREAM_STATUS" and m["trace"]["stream_status"].get("status") == "COMPLETE"
    }
    missing = [s for s in streams if s not in complete]
    if missing:
        raise CheckFailed(f"{origin}: no COMPLETE stream status for {missing}")


# ------------------------------------------------------------------------------------ PyAirbyte through a wrapper


def write_wrapper(workdir: Path, logdir: Path) -> Path:
    """PyAirbyte's local_executable is one executable path: a wrapper that runs the CLI with node and keeps a copy
    of its stdout (one file per invocation), so the messages of the PyAirbyte run are counted and validated too."""
    node = shutil.which("node")
    assert node is not None
    wrapper = workdir / "source-concur"
    wrapper.write_text(
        "#!/usr/bin/env bash\n"
        "set -o pipefail\n"
        f'out="$(mktemp {sh_quote(str(logdir))}/"$(date +%s%N)-${{1:-none}}-XXXXXX.jsonl")"\n'
        f'{sh_quote(node)} {sh_quote(str(CONNECTOR_ENTRY))} "$@" | tee "$out"\n',
        encoding="utf-8",
    )
    wrapper.chmod(0o755)
    return wrapper


def sh_quote(value: str) -> str:
    return "'" + value.replace("'", "'\"'\"'") + "'"


def check_through_wrapper(simulator: Simulator, workdir: Path, protocol_pythons: list[str]) -> None:
    """Steps 2-4 (module docstring), with a company grant. Runs first on its simulator: its check that no token-user
    item was served counts every item the simulator has served so far."""
    _, configured_catalog_model, flavour = _load_message_model()
    config = {"credentials": dict(COMPANY_CREDENTIALS), "token_url": f"{simulator.url}/oauth2/v0/token", "user": "ALL"}
    config_path = workdir / "config.json"
    config_path.write_text(json.dumps(config), encoding="utf-8")

    # --- direct runs: every stdout line validated -----------------------------------------------------------
    spec = run_cli(["spec"], workdir, "direct-spec")
    if len(of_type(spec, "SPEC")) != 1:
        raise CheckFailed(f"spec: expected exactly one SPEC message, got {Counter(m['type'] for m in spec)}")
    check = run_cli(["check", "--config", str(config_path)], workdir, "direct-check")
    statuses = [m["connectionStatus"]["status"] for m in of_type(check, "CONNECTION_STATUS")]
    if statuses != ["SUCCEEDED"]:
        raise CheckFailed(f"check: expected one CONNECTION_STATUS SUCCEEDED, got {statuses}: {of_type(check, 'CONNECTION_STATUS')}")
    discover = run_cli(["discover", "--config", str(config_path)], workdir, "direct-discover")
    catalogs = of_type(discover, "CATALOG")
    if len(catalogs) != 1:
        raise CheckFailed(f"discover: expected exactly one CATALOG message, got {len(catalogs)}")
    streams = catalogs[0]["catalog"]["streams"]
    names = [s["name"] for s in streams]
    if sorted(names) != sorted(EXPECTED_SOURCES) or len(names) != len(set(names)):
        raise CheckFailed(
            "discover: the streams differ from the ones this check knows "
            f"(missing {sorted(set(EXPECTED_SOURCES) - set(names))}, unknown {sorted(set(names) - set(EXPECTED_SOURCES))}); "
            "update EXPECTED_SOURCES"
        )
    catalog = {
        "streams": [{"stream": s, "sync_mode": "full_refresh", "destination_sync_mode": "overwrite"} for s in streams]
    }
    _validate_model(configured_catalog_model, catalog)
    catalog_path = workdir / "configured_catalog.json"
    catalog_path.write_text(json.dumps(catalog), encoding="utf-8")
    read = run_cli(["read", "--config", str(config_path), "--catalog", str(catalog_path)], workdir, "direct-read")
    check_read_messages(read, names, "direct read")
    direct_counts = record_counts(read)
    print(f"direct CLI runs: spec {len(spec)}, check {len(check)}, discover {len(discover)}, read {len(read)} messages, all valid ({flavour})")

    # --- PyAirbyte ----------------------------------------------------------------------------------------------
    logdir = workdir / "pyairbyte-connector-stdout"
    logdir.mkdir()
    wrapper = write_wrapper(workdir, logdir)
    import airbyte  # after the AIRBYTE_* environment is set (main)

    source = airbyte.get_source("source-concur", config=config, local_executable=str(wrapper), streams="*")
    source.check()
    cache = airbyte.caches.new_local_cache(cache_name="source_concur_e2e", cache_dir=workdir / "duckdb-cache")
    result = source.read(cache=cache)
    cached = {name: len(result[name]) for name in names}  # SELECT COUNT(*) through PyAirbyte's SQL engine
    db_path = Path(str(cache.db_path))
    cache.close()

    runs = sorted(logdir.glob("*.jsonl"))
    read_logs = [p for p in runs if "-read-" in p.name]
    if len(read_logs) != 1:
        raise CheckFailed(f"expected PyAirbyte to run the connector's read once, found {[p.name for p in runs]}")
    pyairbyte_read: list[dict[str, Any]] = []
    for log in runs:
        messages = validate_messages(log.read_text(encoding="utf-8"), f"connector under PyAirbyte ({log.name})")
        if log in read_logs:
            pyairbyte_read = messages
    check_read_messages(pyairbyte_read, names, "read under PyAirbyte")
    emitted = record_counts(pyairbyte_read)
    if result.processed_records != sum(emitted.values()):
        raise CheckFailed(f"PyAirbyte counted {result.processed_records} records read, the connector emitted {sum(emitted.values())}")
    print(f"PyAirbyte: {len(runs)} connector runs ({', '.join(p.name.split('-')[1] for p in runs)}), all messages valid; cache {db_path.name}")

    # The rows, counted again straight from the DuckDB file (not through PyAirbyte).
    import duckdb  # type: ignore[import-not-found]

    with duckdb.connect(str(db_path), read_only=True) as db:
        tables = {row[0]: row[1] for row in db.execute("SELECT table_name, table_schema FROM information_schema.tables").fetchall()}
        for name in names:
            if name not in tables:  # PyAirbyte creates a table for every catalog stream, even an empty one
                raise CheckFailed(f"{name}: no table in the DuckDB cache {db_path}")
            in_file = db.execute(f'SELECT COUNT(*) FROM "{tables[name]}"."{name}"').fetchone()[0]
            if in_file != cached[name]:
                raise CheckFailed(f"{name}: PyAirbyte reports {cached[name]} cached rows, the DuckDB file holds {in_file}")

    # --- the same messages under the other pydantic flavour of the protocol models --------------------------------
    for python in protocol_pythons:
        files = [str(p) for p in sorted(workdir.glob("direct-*.jsonl"))] + [str(p) for p in runs]
        print(f"validating again with {python}:")
        done = subprocess.run([python, str(Path(__file__).resolve()), "--validate-only", *files], cwd=REPO_ROOT, timeout=CLI_TIMEOUT_S)
        if done.returncode != 0:
            raise CheckFailed(f"the Airbyte protocol models under {python} rejected a message (see above)")

    # --- ground truth --------------------------------------------------------------------------------------------
    expected = {name: simulator.ground_truth_count(EXPECTED_SOURCES[name]) for name in names}
    leaked = {c: n for c, n in simulator.items_served(TOKEN_USER_COLLECTIONS).items() if n != 0}

    rows = [(n, emitted.get(n, 0), direct_counts.get(n, 0), cached[n], expected[n]) for n in names]
    width = max(len(n) for n in names)
    print()
    print(f"{'stream':<{width}}  {'emitted':>7}  {'direct':>7}  {'cached':>7}  {'expected':>8}")
    for n, e, d, c, x in rows:
        flag = "" if e == d == c == x else "   <-- MISMATCH"
        print(f"{n:<{width}}  {e:>7}  {d:>7}  {c:>7}  {x:>8}{flag}")
    print("(emitted: RECORD messages of the connector run by PyAirbyte; direct: of the direct CLI read; cached: rows in"
          " DuckDB; expected: from the simulator's ground truth)")
    problems = [f"{n}: emitted {e}, direct {d}, cached {c}, expected {x}" for n, e, d, c, x in rows if not e == d == c == x]
    if leaked:
        problems.append(f"the simulator served token-user items to a company token: {leaked}")
    if problems:
        raise CheckFailed("per-stream counts differ:\n  " + "\n  ".join(problems))
    total = sum(r[4] for r in rows)
    print(f"\nOK: PyAirbyte through a wrapper, company grant: {len(rows)} streams, {total} records; DuckDB, connector output and"
          " simulator ground truth agree.")


# ------------------------------------------------------------------------------------------- the README snippet


def python_block(path: Path, heading: str) -> str:
    """The one ```python block of the section under `heading` (up to the next heading of the same or a higher
    level; lines starting with # inside code blocks are no headings)."""
    lines = path.read_text(encoding="utf-8").split("\n")
    starts = [i for i, line in enumerate(lines) if line.rstrip() == heading]
    if len(starts) != 1:
        raise CheckFailed(f"{path.relative_to(REPO_ROOT)}: expected one heading {heading!r}, found {len(starts)}")
    level = len(heading) - len(heading.lstrip("#"))
    blocks: list[list[str]] = []
    in_fence = False
    block: list[str] | None = None  # the lines of the open ```python block
    for line in lines[starts[0] + 1 :]:
        if line.startswith("```"):
            if in_fence and block is not None:
                blocks.append(block)
            block = [] if not in_fence and line.strip() == "```python" else None
            in_fence = not in_fence
        elif in_fence:
            if block is not None:
                block.append(line)
        elif (match := re.match(r"(#+) ", line)) and len(match.group(1)) <= level:
            break
    if len(blocks) != 1:
        raise CheckFailed(f"{path.relative_to(REPO_ROOT)}, section {heading!r}: expected one ```python block, found {len(blocks)}")
    return "\n".join(blocks[0]) + "\n"


def readme_snippet() -> str:
    """The README's PyAirbyte snippet; the user guide must show the very same text."""
    snippet = python_block(README, README_HEADING)
    guide = python_block(GUIDE, GUIDE_HEADING)
    if guide != snippet:
        import difflib

        diff = "".join(difflib.unified_diff(snippet.splitlines(True), guide.splitlines(True), "README.md", "docs/sap-concur.md"))
        raise CheckFailed(f"the PyAirbyte snippets of README.md ({README_HEADING}) and docs/sap-concur.md ({GUIDE_HEADING}) differ:\n{diff}")
    return snippet


def substitute(snippet: str, credentials: dict[str, str], token_url: str) -> str:
    """The snippet with its credentials literal replaced and its commented token_url line set; nothing else."""
    for pattern, what in ((SNIPPET_CREDENTIALS, "`credentials = {` ... `}` literal"), (SNIPPET_TOKEN_URL, '`# "token_url": "...",` line')):
        found = len(pattern.findall(snippet))
        if found != 1:
            raise CheckFailed(f"the README's PyAirbyte snippet must have exactly one {what}, the only parts this check replaces (found {found})")
    # JSON objects of strings are Python dict literals.
    text = SNIPPET_CREDENTIALS.sub(lambda _: "credentials = " + json.dumps(credentials, indent=4), snippet)
    return SNIPPET_TOKEN_URL.sub(lambda match: f'{match["indent"]}"token_url": {json.dumps(token_url)},', text)


def install_on_path(workdir: Path) -> Path:
    """`npm install -g .` from the checkout, as the README says, into a temporary prefix rather than npm's global
    one; returns the directory that then holds the `source-concur` command. Install scripts are skipped: `npm ci`
    has built dist/ already, and `prepare` would only build it again."""
    npm = shutil.which("npm")
    if npm is None:
        raise CheckFailed("npm is not on PATH")
    prefix = workdir / "npm-global"
    command = [npm, "install", "--global", "--prefix", str(prefix), "--ignore-scripts", "--no-audit", "--no-fund", "."]
    done = subprocess.run(command, cwd=REPO_ROOT, stdin=subprocess.DEVNULL, capture_output=True, text=True, timeout=CLI_TIMEOUT_S)
    if done.returncode != 0:
        raise CheckFailed(f"`{' '.join(command[1:])}` exited with {done.returncode}:\n{done.stdout[-2000:]}{done.stderr[-2000:]}")
    bin_dir = prefix / "bin"
    if not (bin_dir / "source-concur").is_file():
        raise CheckFailed(f"`npm install -g .` did not create {bin_dir / 'source-concur'}")
    return bin_dir


def not_git_ignored(paths: list[str]) -> list[str] | None:
    """The paths (relative to the checkout) its .gitignore does not ignore; None if git cannot tell here."""
    git = shutil.which("git")
    if git is None:
        return None
    done = subprocess.run([git, "check-ignore", "--no-index", "--", *paths], cwd=REPO_ROOT, capture_output=True, text=True)
    if done.returncode not in (0, 1):  # 128: not a git checkout
        return None
    ignored = set(done.stdout.splitlines())
    return [path for path in paths if path not in ignored]


def check_readme_snippet(grant: str, credentials: dict[str, str], login: str | None, snippet: str,
                         simulator: Simulator, workdir: Path, bin_dir: Path) -> None:
    """Step 5 (module docstring) for one grant."""
    started = time.monotonic()
    rundir = workdir / f"readme-{grant}"
    cwd = rundir / "cwd"  # the snippet's working directory: empty, and outside the checkout
    cwd.mkdir(parents=True)
    token_url = f"{simulator.url}/oauth2/v0/token"
    script = rundir / "snippet.py"
    script.write_text(substitute(snippet, credentials, token_url), encoding="utf-8")

    # What the connector offers for the config the snippet builds, straight from its discover.
    config_path = rundir / "config.json"
    config_path.write_text(json.dumps({"credentials": credentials, "token_url": token_url}), encoding="utf-8")
    catalogs = of_type(run_cli(["discover", "--config", str(config_path)], rundir, "discover"), "CATALOG")
    if len(catalogs) != 1:
        raise CheckFailed(f"discover: expected exactly one CATALOG message, got {len(catalogs)}")
    offered = [s["name"] for s in catalogs[0]["catalog"]["streams"]]
    truths = expected_sources(login)
    unknown = sorted(set(offered) - set(truths))
    withheld = sorted(set(truths) - set(offered) - (MAY_BE_WITHHELD_FROM_USER_TOKENS if login else frozenset()))
    if unknown or withheld or len(offered) != len(set(offered)):
        raise CheckFailed(f"discover offers {sorted(offered)}: no ground truth for {unknown} (update expected_sources), missing {withheld}")
    print(f"\nREADME snippet, {grant} grant ({'as ' + login if login else 'the company'}): discover offers {len(offered)} streams")

    # The snippet as a user runs it: a fresh Python of this venv, `source-concur` on PATH, none of this check's own
    # AIRBYTE_* settings (the snippet must bring what it needs), logs kept with the run.
    env = {k: v for k, v in os.environ.items() if not k.startswith("AIRBYTE_") and k != "DO_NOT_TRACK"}
    env["PATH"] = os.pathsep.join([str(bin_dir), env.get("PATH", "")])
    env["AIRBYTE_LOGGING_ROOT"] = str(rundir / "logs")
    served_before = simulator.items_served(TOKEN_USER_COLLECTIONS)
    try:
        done = subprocess.run([sys.executable, str(script)], cwd=cwd, env=env, stdin=subprocess.DEVNULL,
                              capture_output=True, text=True, timeout=CLI_TIMEOUT_S)
    except subprocess.TimeoutExpired:
        raise CheckFailed(f"the snippet did not finish within {CLI_TIMEOUT_S} s") from None
    output = done.stdout + done.stderr
    (rundir / "output.txt").write_text(output, encoding="utf-8")
    if done.returncode != 0:
        # The connector's errors, whole, from the log PyAirbyte keeps of its stderr (the console wraps them).
        errors = [line.split(" - ERROR - ", 1)[1][:500] for log in sorted((rundir / "logs").rglob("*.log"))
                  for line in log.read_text(encoding="utf-8", errors="replace").split("\n") if " - ERROR - " in line]
        tail = output.rstrip("\n").split("\n")[-8:]
        raise CheckFailed(f"the snippet exited with {done.returncode}; the connector logged "
                          + (f"{len(errors)} error(s):\n    " + "\n    ".join(errors[:3]) if errors else "no error")
                          + "\n  the snippet's output ends:\n    " + "\n    ".join(tail))

    db_path = cwd / DEFAULT_CACHE_DB
    written = sorted(p.relative_to(cwd).as_posix() for p in cwd.rglob("*") if p.is_file())
    if not db_path.is_file():
        raise CheckFailed(f"no DuckDB cache at {DEFAULT_CACHE_DB}; the snippet wrote {written}")
    import duckdb  # type: ignore[import-not-found]

    with duckdb.connect(str(db_path), read_only=True) as db:
        read_streams = sorted(row[0] for row in db.execute("SELECT stream_name FROM _airbyte_streams").fetchall())
        tables = {row[0]: row[1] for row in db.execute("SELECT table_name, table_schema FROM information_schema.tables").fetchall()}
        if read_streams != sorted(offered):
            raise CheckFailed(f"PyAirbyte read the streams {read_streams}, discover offers {sorted(offered)}")
        missing_tables = [name for name in offered if name not in tables]
        if missing_tables:
            raise CheckFailed(f"no table in the DuckDB cache for {missing_tables}")
        cached = {name: db.execute(f'SELECT COUNT(*) FROM "{tables[name]}"."{name}"').fetchone()[0] for name in offered}
    expected = {name: simulator.ground_truth_count(truths[name]) for name in offered}
    leaked = {} if login else {c: n - served_before[c] for c, n in simulator.items_served(TOKEN_USER_COLLECTIONS).items() if n != served_before[c]}

    width = max(len(n) for n in offered)
    print(f"{'stream':<{width}}  {'cached':>7}  {'expected':>8}")
    for name in offered:
        flag = "" if cached[name] == expected[name] else "   <-- MISMATCH"
        print(f"{name:<{width}}  {cached[name]:>7}  {expected[name]:>8}{flag}")
    problems = [f"{n}: cached {cached[n]}, expected {expected[n]}" for n in offered if cached[n] != expected[n]]
    if leaked:
        problems.append(f"the simulator served token-user items to a company token: {leaked}")
    unignored = not_git_ignored(written)
    if unignored:
        problems.append(f"the snippet wrote files that .gitignore does not ignore (in a checkout they would show up): {unignored}")
    if problems:
        raise CheckFailed("\n  ".join(["per-stream rows in DuckDB differ from the simulator's ground truth:", *problems]))
    ignore_note = "the files it wrote are git-ignored" if unignored is not None else "git could not check its files"
    print(f"OK: README snippet, {grant} grant: {len(offered)} streams, {sum(cached.values())} rows in DuckDB, all as in the"
          f" simulator's ground truth; {ignore_note} ({time.monotonic() - started:.1f} s)")


# --------------------------------------------------------------------------------------------------------- the check


def run(workdir: Path, protocol_pythons: list[str]) -> None:
    """Every part runs even when an earlier one fails; the failures are reported together at the end."""
    print(f"python {sys.version.split()[0]}: {_versions('airbyte', 'duckdb')}; node {subprocess.run(['node', '--version'], capture_output=True, text=True).stdout.strip()}")
    problems: list[str] = []
    snippet: str | None = None
    try:
        snippet = readme_snippet()
    except CheckFailed as error:
        problems.append(str(error))
    simulator = Simulator(workdir)
    try:
        print(f"simulator: {simulator.url} ({' '.join(SIMULATOR_ARGS)})")
        try:
            check_through_wrapper(simulator, workdir, protocol_pythons)
        except CheckFailed as error:
            problems.append(f"PyAirbyte through a wrapper, company grant: {error}")
        except Exception:  # e.g. a PyAirbyte error: show it whole
            problems.append(f"PyAirbyte through a wrapper, company grant: unexpected error\n{traceback.format_exc()}")
        if snippet is not None:
            try:
                bin_dir = install_on_path(workdir)
            except CheckFailed as error:
                problems.append(f"README snippet: {error}")
            else:
                for grant, credentials, login in GRANTS:
                    try:
                        check_readme_snippet(grant, credentials, login, snippet, simulator, workdir, bin_dir)
                    except CheckFailed as error:
                        print(f"FAILED: README snippet, {grant} grant")
                        problems.append(f"README snippet, {grant} grant: {error}")
    finally:
        simulator.stop()
    if problems:
        raise CheckFailed(f"{len(problems)} part(s) failed:\n\n" + "\n\n".join(problems))


def offline_workdir(prefix: str) -> Path:
    """A temporary directory holding everything PyAirbyte writes, with PyAirbyte kept offline."""
    workdir = Path(tempfile.mkdtemp(prefix=prefix))
    # PyAirbyte writes caches, logs and temp files under its project dir (cwd by default): keep them all in the temp
    # dir, and stay offline (no registry look-up, no telemetry). Set before airbyte is imported. (The README snippet
    # runs in processes of its own, without these.)
    for variable, sub in (("AIRBYTE_PROJECT_DIR", "project"), ("AIRBYTE_CACHE_ROOT", "cache-root"),
                          ("AIRBYTE_TEMP_DIR", "tmp"), ("AIRBYTE_LOGGING_ROOT", "logs"), ("AIRBYTE_INSTALL_DIR", "install")):
        (workdir / sub).mkdir()
        os.environ[variable] = str(workdir / sub)
    os.environ["AIRBYTE_OFFLINE_MODE"] = "1"
    os.environ["DO_NOT_TRACK"] = "1"
    # A SIGTERM (e.g. a test runner's timeout) unwinds like an error, so the simulator is stopped.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    return workdir


def run_check(check: Callable[[], None], workdir: Path, keep_temp: bool) -> int:
    """Runs a check, prints FAIL with the reason (a CheckFailed's message, else the whole traceback) and the kept
    files, or its time; the temporary directory is removed after a pass unless asked to keep it."""
    started = time.monotonic()
    try:
        check()
    except CheckFailed as error:
        print(f"\nFAIL: {error}", file=sys.stderr)
        print(f"(files kept in {workdir})", file=sys.stderr)
        return 1
    except Exception:  # e.g. a PyAirbyte error: show it whole
        traceback.print_exc()
        print(f"\nFAIL: unexpected error (above); files kept in {workdir}", file=sys.stderr)
        return 1
    print(f"({time.monotonic() - started:.1f} s)")
    if keep_temp:
        print(f"temporary files kept in {workdir}")
    else:
        shutil.rmtree(workdir, ignore_errors=True)
    return 0


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--validate-only", nargs="+", metavar="FILE", help="only validate these Airbyte message files")
    parser.add_argument("--protocol-python", action="append", default=[], metavar="PYTHON",
                        help="also validate every message with the airbyte_protocol models of this interpreter")
    parser.add_argument("--keep-temp", action="store_true", help="keep the temporary directory (its path is printed)")
    args = parser.parse_args(argv)
    if args.validate_only:
        return validate_only(args.validate_only)
    workdir = offline_workdir("source-concur-pyairbyte-")
    return run_check(lambda: run(workdir, args.protocol_python), workdir, args.keep_temp)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
