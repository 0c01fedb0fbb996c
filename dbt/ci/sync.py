"""The simulator synced through PyAirbyte into the caches the dbt package reads (run by dbt/ci/e2e.py in the
PyAirbyte virtualenv). Nothing here is product code: it lands data the way users land it."""

from __future__ import annotations

import json
import shutil
import sys
from pathlib import Path
from typing import Any

REPO_ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO_ROOT / "integration_tests" / "pyairbyte"))

# The PyAirbyte check's simulator (the same small fixed tenant), grants and runner: one definition of each.
from check_pyairbyte import (  # noqa: E402
    COMPANY_CREDENTIALS,
    CONNECTOR_ENTRY,
    PASSWORD_CREDENTIALS,
    CheckFailed,
    Simulator,
    offline_workdir,
    run_check,
)

# Every stream the package reads, with a company token (user=ALL): every report, its children, the company's
# configuration and people.
COMPANY_STREAMS = [
    "expense_reports",
    "expense_entries",
    "expense_itemizations",
    "expense_allocations",
    "entry_attendee_associations",
    "expense_attendees",
    "expense_form",
    "user_information",
    "travel_itineraries",
    "expense_reports_detail",
    "reports_detail",
    "expense_attendee_types",
    "expense_group_configurations",
    "list_items",
    "locations",
    "extract_definitions",
    "extract_jobs",
    "attendees_v4",
    "attendee_types_v4",
    "expense_group_configurations_v4",
    "lists_v4",
    "list_items_v4",
]
# Card charges not yet on a report, delegators and receipt images belong to a Concur user (a company token owns
# none): read with the administrator's own token, as a company would for each user it syncs.
USER_STREAMS = ["company_card_transactions", "expense_delegators", "receipt_images"]


def wrapper(workdir: Path) -> Path:
    """PyAirbyte runs a local executable: the CLI under node."""
    node = shutil.which("node")
    if node is None:
        raise CheckFailed("node is not on PATH")
    path = workdir / "source-concur"
    path.write_text(f'#!/usr/bin/env bash\nexec "{node}" "{CONNECTOR_ENTRY}" "$@"\n', encoding="utf-8")
    path.chmod(0o755)
    return path


def sources(simulator: Simulator, executable: Path) -> list[Any]:
    import airbyte

    token_url = f"{simulator.url}/oauth2/v0/token"
    company = {"credentials": dict(COMPANY_CREDENTIALS), "token_url": token_url, "user": "ALL"}
    admin = {"credentials": dict(PASSWORD_CREDENTIALS), "token_url": token_url, "user": "ALL"}
    made = []
    for config, streams in ((company, COMPANY_STREAMS), (admin, USER_STREAMS)):
        source = airbyte.get_source("source-concur", config=config, local_executable=str(executable))
        source.select_streams(streams)
        made.append(source)
    return made


def sync(sources_: list[Any], cache: Any, label: str) -> dict[str, int]:
    """One sync of every source into the cache: incremental where the stream supports it, merged by primary key
    (PyAirbyte's default), as an append-dedup destination does."""
    counts: dict[str, int] = {}
    for source in sources_:
        result = source.read(cache=cache)
        counts.update({name: len(dataset) for name, dataset in result.streams.items()})
    print(f"sync {label}: " + json.dumps(counts, sort_keys=True))
    return counts
