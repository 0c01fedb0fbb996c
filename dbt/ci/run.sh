#!/usr/bin/env bash
# The dbt package end to end: the simulator synced through PyAirbyte into DuckDB and PostgreSQL, `dbt build` on
# both (dbt-duckdb, dbt-postgres), and the models checked against the simulator's ground truth (dbt/ci/e2e.py).
#
# Makes two throwaway virtualenvs in a temp dir:
#   pyairbyte/  PyAirbyte with the very pins of integration_tests/pyairbyte/run.sh (read from that file);
#   dbt/        dbt-core with dbt-duckdb and dbt-postgres, pinned below. It cannot share PyAirbyte's venv: the two
#               pin different protobuf and click majors.
# Starts a PostgreSQL server from this machine's initdb/pg_ctl on a free loopback port with a data folder in the
# temp dir, as an unprivileged user (PostgreSQL refuses to run as root: as root, it runs as `nobody` through
# runuser), and stops it on exit.
# Needs Python 3.10-3.12 with venv + pip, Node 20, PostgreSQL's initdb and pg_ctl on PATH, network access to PyPI,
# and dist/ and simulator/dist/ built. Environment: PYTHON (default python3), KEEP_TEMP=1 keeps the temp dirs,
# DBT_CI_SKIP_POSTGRES=1 runs DuckDB only.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
PYTHON="${PYTHON:-python3}"
PYAIRBYTE_RUN="$ROOT/integration_tests/pyairbyte/run.sh"

# Every package of the dbt venv, as resolved and verified together on Python 3.11 (Linux x86_64); duckdb is
# PyAirbyte's, so dbt opens the cache file PyAirbyte wrote. To move on, install dbt-core, dbt-duckdb, dbt-postgres
# and this duckdb unconstrained in a fresh venv, run this script, and paste its `pip freeze` here.
dbt_constraints() {
  tr ' ' '\n' <<'EOF'
agate==1.9.1 annotated-types==0.8.0 attrs==26.1.0 babel==2.19.0 certifi==2026.10.19.post1 charset-normalizer==3.5.3
click==8.5.1 colorama==0.4.6 daff==1.4.2 dbt-adapters==1.24.5 dbt-common==1.39.0 dbt-core==1.11.16
dbt-duckdb==1.11.1 dbt-extractor==0.6.0 dbt-postgres==1.11.0 dbt-protos==1.0.615 dbt-semantic-interfaces==0.9.0
deepdiff==8.6.2 duckdb==1.4.3 idna==3.20 importlib_metadata==8.9.0 isodate==0.7.2 Jinja2==3.1.6 jsonschema==4.26.0
jsonschema-specifications==2025.9.1 leather==0.4.1 MarkupSafe==3.0.4 mashumaro==3.14 more-itertools==10.8.0
msgpack==1.2.4 networkx==3.6.1 opentelemetry-api==1.45.3 orderly-set==5.5.0 packaging==26.4 parsedatetime==2.6
pathspec==0.12.1 protobuf==6.33.6 psycopg2-binary==2.9.13 pydantic==2.14.4 pydantic_core==2.50.5
python-dateutil==2.9.0.post0 python-slugify==9.2.0 pytimeparse==1.1.10 pytz==2026.6 PyYAML==6.0.4
referencing==0.37.0 requests==2.34.2 rpds-py==2026.9.1 six==1.17.0 snowplow-tracker==1.1.0 sqlparse==0.6.1
text-unidecode==1.3 typing-inspection==0.4.5 typing_extensions==4.16.0 urllib3==2.8.0 zipp==4.1.2
EOF
}

start_postgres() {
  local dir="$1"
  command -v initdb >/dev/null && command -v pg_ctl >/dev/null || {
    echo "run.sh: initdb and pg_ctl (PostgreSQL) are not on PATH; DBT_CI_SKIP_POSTGRES=1 runs DuckDB only" >&2
    exit 1
  }
  AS_USER=()
  if [[ "$(id -u)" == "0" ]]; then
    AS_USER=(runuser -u nobody --)
    chown nobody "$dir"
  fi
  PG_DATA="$dir/data"
  PG_PORT="$("$PYTHON" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
  cd "$dir"  # the server's user may not be able to read the checkout
  "${AS_USER[@]}" initdb --pgdata "$PG_DATA" --username concur --auth trust --encoding UTF8 --no-sync >"$dir/initdb.log" 2>&1 || {
    cat "$dir/initdb.log" >&2
    exit 1
  }
  # A private server: loopback only, its socket in its own folder, no durability needed.
  "${AS_USER[@]}" pg_ctl --pgdata "$PG_DATA" --log "$dir/server.log" --wait --silent \
    -o "-p $PG_PORT -k $dir -c listen_addresses=127.0.0.1 -c fsync=off -c full_page_writes=off" start || {
    cat "$dir/server.log" >&2
    exit 1
  }
  cd "$ROOT"
  echo "run.sh: PostgreSQL $(pg_ctl --version | awk '{print $3}') on 127.0.0.1:$PG_PORT${AS_USER:+ (as nobody)}"
}

stop_postgres() {
  if [[ -n "${PG_DATA:-}" && -f "$PG_DATA/postmaster.pid" ]]; then
    "${AS_USER[@]}" pg_ctl --pgdata "$PG_DATA" --mode fast --wait --silent stop || true
  fi
}

cleanup() {
  stop_postgres
  if [[ "${KEEP_TEMP:-}" != "1" ]]; then rm -rf "$WORK"; fi
}

main() {
  local started=$SECONDS
  cd "$ROOT"
  if [[ ! -f dist/cli.js || ! -f simulator/dist/main.js ]]; then
    echo "run.sh: dist/ or simulator/dist/ is missing: run 'npm ci' (or 'npm run build') first" >&2
    exit 1
  fi
  if ! "$PYTHON" -c 'import sys; sys.exit(0 if (3, 10) <= sys.version_info[:2] <= (3, 12) else 1)'; then
    echo "run.sh: PyAirbyte needs Python 3.10-3.12; $PYTHON is $("$PYTHON" --version 2>&1)" >&2
    exit 1
  fi
  # PyAirbyte's version and pins: integration_tests/pyairbyte/run.sh's, read from it so they never drift apart.
  local airbyte_version
  airbyte_version="$(sed -n 's/^AIRBYTE_VERSION="\(.*\)"$/\1/p' "$PYAIRBYTE_RUN")"
  eval "$(sed -n '/^pyairbyte_constraints() {$/,/^}$/p' "$PYAIRBYTE_RUN")"
  [[ -n "$airbyte_version" ]] && declare -F pyairbyte_constraints >/dev/null || {
    echo "run.sh: could not read AIRBYTE_VERSION and pyairbyte_constraints from $PYAIRBYTE_RUN" >&2
    exit 1
  }

  WORK="$(mktemp -d "${TMPDIR:-/tmp}/source-concur-dbt-ci.XXXXXX")"
  chmod 755 "$WORK"
  trap cleanup EXIT
  trap 'exit 143' TERM INT  # so that a stopped run still stops its server and removes its files
  echo "run.sh: virtualenvs in $WORK ($("$PYTHON" --version 2>&1), node $(node --version))"
  "$PYTHON" -m venv "$WORK/pyairbyte"
  "$PYTHON" -m venv "$WORK/dbt"
  pyairbyte_constraints >"$WORK/pyairbyte-constraints.txt"
  dbt_constraints >"$WORK/dbt-constraints.txt"
  export PIP_DISABLE_PIP_VERSION_CHECK=1
  "$WORK/pyairbyte/bin/python" -m pip install --quiet --no-compile -c "$WORK/pyairbyte-constraints.txt" \
    "airbyte==$airbyte_version" >"$WORK/pip-pyairbyte.log" 2>&1 &
  local pyairbyte_pip=$!
  "$WORK/dbt/bin/python" -m pip install --quiet --no-compile -c "$WORK/dbt-constraints.txt" \
    dbt-core dbt-duckdb dbt-postgres duckdb >"$WORK/pip-dbt.log" 2>&1 &
  local dbt_pip=$!
  local status=0
  wait "$dbt_pip" || { status=$?; echo "run.sh: pip install of dbt failed:" >&2; cat "$WORK/pip-dbt.log" >&2; }
  wait "$pyairbyte_pip" || { status=$?; echo "run.sh: pip install of airbyte (PyAirbyte) failed:" >&2; cat "$WORK/pip-pyairbyte.log" >&2; }
  [[ $status -eq 0 ]] || exit "$status"
  echo "run.sh: pip installs done in $((SECONDS - started)) s"

  local args=(--dbt "$WORK/dbt/bin/dbt")
  if [[ "${DBT_CI_SKIP_POSTGRES:-}" != "1" ]]; then
    mkdir "$WORK/postgres"
    start_postgres "$WORK/postgres"
    args+=(--postgres "127.0.0.1:$PG_PORT:concur:postgres")
  fi
  if [[ "${KEEP_TEMP:-}" == "1" ]]; then args+=(--keep-temp); fi
  PYTHONWARNINGS="ignore::FutureWarning" "$WORK/pyairbyte/bin/python" dbt/ci/e2e.py "${args[@]}"
  echo "run.sh: done in $((SECONDS - started)) s"
}

main "$@"
