#!/usr/bin/env bash
# PyAirbyte end-to-end check of source-concur against the offline Concur simulator.
#
# Makes two throwaway virtualenvs in a temp dir and runs check_pyairbyte.py from the repo root:
#   pyairbyte/    PyAirbyte (`airbyte`), which runs the connector, reads it into DuckDB, and brings the pydantic-v2
#                 build of the Airbyte protocol models (`airbyte-protocol-models-pdv2`, module airbyte_protocol);
#   protocol-v1/  `airbyte-protocol-models` itself (pydantic v1). It cannot share a venv with current PyAirbyte
#                 (pydantic v2; both install the module airbyte_protocol), so every message is validated with it in
#                 a second interpreter (--protocol-python).
# The pyairbyte venv also runs the README's PyAirbyte snippet as written, once per grant (check_pyairbyte.py step 5).
# Needs Python 3.10-3.12 (PyAirbyte's range) with venv + pip, Node 20 with npm, network access to PyPI, and `npm ci`
# done (dist/ and simulator/dist/ built). Everything else (venvs, DuckDB caches, PyAirbyte logs, the `npm install -g`
# prefix that puts `source-concur` on PATH) lives in temp dirs.
# Environment: PYTHON (default python3), KEEP_TEMP=1 keeps the check's temp dir.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
PYTHON="${PYTHON:-python3}"

# Versions verified together (PyAirbyte pins duckdb 1.4.3 and SQLAlchemy 2.0.43 itself).
AIRBYTE_VERSION="0.71.3"
PROTOCOL_MODELS_VERSION="0.18.0"     # airbyte-protocol-models (pydantic v1) and -pdv2 (pydantic v2): same protocol
PYDANTIC_V1_VERSION="1.10.27"

# Every package of the PyAirbyte venv, as resolved and verified together with the pins above on Python 3.11
# (Linux x86_64). As pip constraints they make the install reproducible and spare pip's resolver its backtracking;
# to move to a newer PyAirbyte, install it unconstrained in a fresh venv, check, and paste its `pip freeze` here.
pyairbyte_constraints() {
  tr ' ' '\n' <<'EOF'
aiofile==3.12.3 airbyte-api==0.53.0 airbyte-cdk==7.39.1 airbyte==0.71.3 airbyte_protocol_models_dataclasses==0.17.1
airbyte_protocol_models_pdv2==0.18.0 annotated-types==0.8.0 anyascii==0.3.3 anyio==4.16.0 asn1crypto==1.5.1
attributes-doc==0.5.0 attrs==26.1.0 Authlib==1.9.10 backoff==2.2.1 backports.tarfile==1.2.0 beartype==0.23.1
boltons==25.0.0 boto3==1.44.8 botocore==1.44.8 bracex==3.2.3 cachetools==8.0.2 caio==0.12.10 cattrs==26.2.1
certifi==2026.10.19.post1 cffi==1.17.1 charset-normalizer==3.5.3 click==8.5.1 cloudpickle==3.1.3
cryptography==46.0.0 cyclopts==4.25.3 dataclasses-json==0.6.7 dateparser==1.5.0 dnspython==2.9.2
docstring_parser==0.18.0 dpath==2.2.0 duckdb==1.4.3 duckdb_engine==0.17.0 dunamai==1.26.5 email-validator==2.4.0
exceptiongroup==1.3.2 fastmcp-extensions==0.25.1 fastmcp-slim==3.4.11 fastmcp==3.4.11 filelock==3.32.7 genson==1.3.0
google-api-core==2.34.0 google-auth==2.63.0 google-cloud-bigquery-storage==2.43.0 google-cloud-bigquery==3.47.0
google-cloud-core==2.8.0 google-cloud-secret-manager==2.32.0 google-crc32c==1.9.0 google-resumable-media==2.11.0
googleapis-common-protos==1.76.0 greenlet==3.5.6 griffelib==2.4.1 grpc-google-iam-v1==0.14.6 grpcio-status==1.85.3
grpcio==1.85.3 h11==0.16.0 httpcore==1.0.9 httpx-sse==0.4.3 httpx==0.28.1 idna==3.20 ijson==3.6.0
importlib_metadata==8.7.1 isodate==0.6.1 jaraco.classes==3.4.0 jaraco.context==6.1.2 jaraco.functools==4.6.0
jeepney==0.9.0 Jinja2==3.1.6 jmespath==1.1.0 joblib==1.6.0 joserfc==1.8.0 jsonpath-python==1.1.6 jsonref==1.1.0
jsonschema-path==0.5.0 jsonschema-specifications==2025.9.1 jsonschema==4.26.0 keyring==25.7.0 markdown-it-py==4.3.0
MarkupSafe==3.0.4 marshmallow==3.26.2 mcp==1.30.0 mdurl==0.1.2 more-itertools==11.2.1 msgspec==0.23.0
mypy_extensions==1.2.0 nltk==3.9.4 numpy==2.4.6 openapi-pydantic==0.6.0 opentelemetry-api==1.39.1
opentelemetry-exporter-otlp-proto-common==1.39.1 opentelemetry-exporter-otlp-proto-http==1.39.1
opentelemetry-instrumentation-requests==0.60b1 opentelemetry-instrumentation==0.60b1 opentelemetry-proto==1.39.1
opentelemetry-sdk==1.39.1 opentelemetry-semantic-conventions==0.60b1 opentelemetry-util-http==0.60b1 orjson==3.13.0
overrides==7.7.0 packaging==26.4 pandas==2.3.3 pathable==0.6.0 platformdirs==4.14.9 prefab-ui==0.20.2
proto-plus==1.29.0 protobuf==6.33.6 psycopg-binary==3.3.9 psycopg-pool==3.3.3 psycopg2-binary==2.9.13 psycopg==3.3.9
py-key-value-aio==0.4.6 pyarrow==21.0.0 pyasn1==0.6.5 pyasn1_modules==0.4.2 pycparser==3.12
pydantic-settings==2.16.3 pydantic==2.14.4 pydantic_core==2.50.5 Pygments==2.21.0 PyJWT==2.15.1 pyOpenSSL==25.3.0
pyperclip==1.11.0 pyrate-limiter==3.1.1 python-dateutil==2.9.0.post0 python-dotenv==1.2.4 python-multipart==0.0.34
python-ulid==3.2.1 pytz==2026.6 PyYAML==6.0.4 RapidFuzz==3.14.6 referencing==0.37.0 regex==2026.11.19
requests-cache==1.3.3 requests==2.34.2 rich-click==1.9.9 rich-rst==2.2.0 rich==13.9.4 rpds-py==2026.9.1
s3transfer==0.19.3 SecretStorage==3.5.0 segment-analytics-python==2.4.0 sentry-sdk==2.75.0 serpyco-rs==1.23.0
setuptools==84.2.1 six==1.17.0 snowflake-connector-python==3.18.1 snowflake-sqlalchemy==1.11.1
sortedcontainers==2.4.0 sqlalchemy-bigquery==1.12.0 SQLAlchemy==2.0.43 sse-starlette==3.7.0 starlette==1.10.0
structlog==24.4.0 tomlkit==0.15.2 tqdm==4.70.1 typing-inspect==0.9.0 typing-inspection==0.4.5
typing_extensions==4.16.0 tzdata==2026.6 tzlocal==5.4.5 uncalled-for==0.6.2 Unidecode==1.4.0 url-normalize==3.1.0
urllib3==2.8.0 uuid7==0.1.0 uv==0.8.24 uvicorn==0.54.0 watchfiles==1.3.0 wcmatch==10.0 websockets==17.4
whenever==0.8.10 wrapt==1.17.3 xmltodict==0.14.2 zipp==4.1.2
EOF
}

main() {
  local started=$SECONDS
  cd "$ROOT"
  if [[ ! -f dist/cli.js || ! -f simulator/dist/main.js ]]; then
    echo "run.sh: dist/ or simulator/dist/ is missing: run 'npm ci' (or 'npm run build') first" >&2
    exit 1
  fi
  command -v node >/dev/null || { echo "run.sh: node is not on PATH" >&2; exit 1; }
  command -v npm >/dev/null || { echo "run.sh: npm is not on PATH" >&2; exit 1; }
  if ! "$PYTHON" -c 'import sys; sys.exit(0 if (3, 10) <= sys.version_info[:2] <= (3, 12) else 1)'; then
    echo "run.sh: PyAirbyte $AIRBYTE_VERSION needs Python 3.10-3.12; $PYTHON is $("$PYTHON" --version 2>&1)" >&2
    exit 1
  fi

  WORK="$(mktemp -d "${TMPDIR:-/tmp}/source-concur-pyairbyte-venvs.XXXXXX")"
  trap 'rm -rf "$WORK"' EXIT
  echo "run.sh: creating virtualenvs in $WORK ($("$PYTHON" --version 2>&1), node $(node --version))"
  "$PYTHON" -m venv "$WORK/pyairbyte"
  "$PYTHON" -m venv "$WORK/protocol-v1"
  pyairbyte_constraints >"$WORK/pyairbyte-constraints.txt"

  # The two installs run side by side, each with its output in a log that is shown only if it fails.
  # --no-compile: byte-compiling ~180 packages at install costs more than compiling the modules the check imports.
  export PIP_DISABLE_PIP_VERSION_CHECK=1
  "$WORK/pyairbyte/bin/python" -m pip install --quiet --no-compile -c "$WORK/pyairbyte-constraints.txt" \
    "airbyte==$AIRBYTE_VERSION" "airbyte-protocol-models-pdv2==$PROTOCOL_MODELS_VERSION" >"$WORK/pip-pyairbyte.log" 2>&1 &
  local pyairbyte_pip=$!
  "$WORK/protocol-v1/bin/python" -m pip install --quiet --no-compile \
    "airbyte-protocol-models==$PROTOCOL_MODELS_VERSION" "pydantic==$PYDANTIC_V1_VERSION" >"$WORK/pip-protocol-v1.log" 2>&1 &
  local protocol_pip=$!
  local status=0
  wait "$protocol_pip" || { status=$?; echo "run.sh: pip install of airbyte-protocol-models failed:" >&2; cat "$WORK/pip-protocol-v1.log" >&2; }
  wait "$pyairbyte_pip" || { status=$?; echo "run.sh: pip install of airbyte (PyAirbyte) failed:" >&2; cat "$WORK/pip-pyairbyte.log" >&2; }
  [[ $status -eq 0 ]] || exit "$status"
  echo "run.sh: pip installs done in $((SECONDS - started)) s"

  local args=(--protocol-python "$WORK/protocol-v1/bin/python")
  if [[ "${KEEP_TEMP:-}" == "1" ]]; then args+=(--keep-temp); fi
  # Google's client libraries (PyAirbyte dependencies) warn about the Python version on import: noise here.
  PYTHONWARNINGS="ignore::FutureWarning" "$WORK/pyairbyte/bin/python" integration_tests/pyairbyte/check_pyairbyte.py "${args[@]}"
  echo "run.sh: done in $((SECONDS - started)) s"
}

main "$@"
