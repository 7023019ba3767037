#!/usr/bin/env bash
# The main job, end to end on this machine: set up, then run the Airflow DAG `clean_pages`
# over samples/raw on Airflow's embedded SQLite database, writing into ./warehouse.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
export AIRFLOW_HOME="${AIRFLOW_HOME:-$PWD/.airflow}"
export AIRFLOW__CORE__DAGS_FOLDER="$PWD/dags"
export AIRFLOW__CORE__LOAD_EXAMPLES=False
export AIRFLOW__CORE__PARALLELISM="${AIRFLOW__CORE__PARALLELISM:-4}"
warehouse="${1:-$PWD/warehouse}"
mkdir -p "$AIRFLOW_HOME"
.venv/bin/airflow db migrate > "$AIRFLOW_HOME/db-migrate.log" 2>&1
.venv/bin/airflow dags test clean_pages \
    -c "{\"source\": \"$PWD/samples/raw\", \"warehouse\": \"$warehouse\"}" > "$AIRFLOW_HOME/dags-test.log" 2>&1 \
    || { tail -40 "$AIRFLOW_HOME/dags-test.log"; exit 1; }
manifest=$(ls -t "$warehouse"/manifests/*.json | head -1)
echo "clean_pages finished; Airflow log: $AIRFLOW_HOME/dags-test.log"
echo "clean texts + metadata: $warehouse/clean/<id[:2]>/<id>.{txt,json}"
echo "run manifest: $manifest"
.venv/bin/python - "$manifest" <<'PY'
import json, sys
m = json.load(open(sys.argv[1]))
print({k: m.get(k) for k in ("found", "done_before", "inputs", "cleaned", "quarantined")})
PY
