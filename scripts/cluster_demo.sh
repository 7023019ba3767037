#!/usr/bin/env bash
# clean_pages on a real, if small, Airflow cluster on this machine: CeleryExecutor with
# Redis as the broker, PostgreSQL as the metadata database, two Celery workers, and the
# source and warehouse in an S3 bucket (moto's S3 server; MinIO is not packaged here).
#
#   bash scripts/cluster_demo.sh
#
# installs what it needs (redis-server and postgresql with apt, the project's `cluster`
# extra from requirements.lock), starts everything on 127.0.0.1 in a temporary folder,
# uploads samples/raw, triggers clean_pages through the REST API with s3:// params,
# checks the bucket, triggers again (nothing new may appear), stops everything it started
# by process id, and ends with one line: `cluster run: success, N clean texts, M s`.
# It skips (exit 0, saying why) only when the OS packages cannot be installed.
#
# For figures, on a bigger folder and with one or two workers (pages are read where they
# are, never copied into the repository):
#
#   CLUSTER_PAGES=/work/shared/corpus/wcxb-dev-more CLUSTER_PATTERN='*.html' \
#   CLUSTER_WORKERS=1 CLUSTER_BATCH_SIZE=20 bash scripts/cluster_demo.sh
#
# Ports (all on 127.0.0.1): CLUSTER_PORT_BASE (default 28400) + 0 API server, + 1 Redis,
# + 2 PostgreSQL, + 3 S3, + 10.. the workers' log servers.
set -euo pipefail
cd "$(dirname "$0")/.."
REPO=$PWD
T0=$(date +%s)

PAGES=${CLUSTER_PAGES:-$REPO/samples/raw}
PATTERN=${CLUSTER_PATTERN:-*}
WORKERS=${CLUSTER_WORKERS:-2}
BATCH_SIZE=${CLUSTER_BATCH_SIZE:-3}
BASE=${CLUSTER_PORT_BASE:-28400}
API_PORT=$BASE REDIS_PORT=$((BASE + 1)) PG_PORT=$((BASE + 2)) S3_PORT=$((BASE + 3))
RUN_TIMEOUT_S=${CLUSTER_RUN_TIMEOUT_S:-900}
case $WORKERS in 1 | 2) ;; *) echo "CLUSTER_WORKERS must be 1 or 2" >&2; exit 2 ;; esac

say() { echo "cluster: $*" >&2; }

# -- 1. install ------------------------------------------------------------------------
pg_bin() { ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1; }
if ! command -v redis-server >/dev/null || [ -z "$(pg_bin)" ]; then
    say "installing redis-server and postgresql with apt"
    if ! { [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null &&
        DEBIAN_FRONTEND=noninteractive apt-get update -qq >/dev/null &&
        DEBIAN_FRONTEND=noninteractive apt-get install -y -qq redis-server postgresql >/dev/null; }; then
        echo "cluster run: skipped, redis-server and postgresql could not be installed (needs root and apt-get)"
        exit 0
    fi
fi
PG_BIN=$(pg_bin)
bash scripts/setup.sh
T_INSTALL=$(date +%s)

# -- 2. start ----------------------------------------------------------------------------
for port in $API_PORT $REDIS_PORT $PG_PORT $S3_PORT; do
    if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
        say "port $port is taken; set CLUSTER_PORT_BASE to a free range"
        exit 1
    fi
done
TMP=$(mktemp -d /tmp/cleaner-cluster.XXXXXX)
chmod 755 "$TMP"
PIDS=()   # every process started, each the leader of its own session (setsid)
NAMES=()

start() { # start NAME LOGFILE COMMAND...: in its own session, so that it and its children
    # can be stopped together and checked for strays by session id
    local name=$1 log=$2
    shift 2
    setsid "$@" >"$log" 2>&1 </dev/null &
    PIDS+=($!)
    NAMES+=("$name")
}

STOPPED=0
stop_all() { # TERM every session we started (newest first), then KILL what is left
    if [ "$STOPPED" = 1 ]; then return 0; fi
    STOPPED=1
    local i pid left
    for ((i = ${#PIDS[@]} - 1; i >= 0; i--)); do
        kill -TERM -- "-${PIDS[i]}" 2>/dev/null || true
    done
    for _ in $(seq 1 30); do
        left=0
        for pid in "${PIDS[@]}"; do
            if pgrep -s "$pid" >/dev/null; then left=1; fi
        done
        if [ "$left" = 0 ]; then break; fi
        sleep 1
    done
    for pid in "${PIDS[@]}"; do kill -KILL -- "-$pid" 2>/dev/null || true; done
    sleep 1
    STRAYS=""
    for pid in "${PIDS[@]}"; do STRAYS+=$(pgrep -s "$pid" | tr '\n' ' ' || true); done
    if [ -n "$STRAYS" ]; then
        say "processes left running: $STRAYS"
        return 1
    fi
    if [ "${KEEP_TMP:-0}" != 1 ]; then rm -rf "$TMP"; fi
}
on_exit() {
    local code=$?
    if [ "$code" != 0 ]; then
        say "failed (exit $code); logs in $TMP:"
        for f in "$TMP"/*.log; do
            if [ -f "$f" ]; then echo "--- $f" >&2; tail -n 15 "$f" >&2; fi
        done
        KEEP_TMP=1
    fi
    stop_all || code=1
    exit "$code"
}
trap on_exit EXIT
trap 'exit 130' INT TERM

wait_for() { # wait_for WHAT SECONDS COMMAND...
    local what=$1 limit=$2
    shift 2
    for _ in $(seq 1 "$limit"); do
        "$@" >/dev/null 2>&1 && return 0
        sleep 1
    done
    say "$what did not come up within $limit s"
    return 1
}

# PostgreSQL refuses to run as root: its data folder belongs to the postgres user.
PG_USER=postgres
id "$PG_USER" >/dev/null 2>&1 || useradd --system --no-create-home "$PG_USER"
mkdir -p "$TMP/pg" "$TMP/pgsock"
chown "$PG_USER" "$TMP/pg" "$TMP/pgsock"
as_pg() { setpriv --reuid="$PG_USER" --regid="$(id -g "$PG_USER")" --init-groups "$@"; }
as_pg "$PG_BIN/initdb" -D "$TMP/pg/data" -U postgres --auth=trust >"$TMP/initdb.log" 2>&1
start postgres "$TMP/postgres.log" setpriv --reuid="$PG_USER" --regid="$(id -g "$PG_USER")" \
    --init-groups "$PG_BIN/postgres" -D "$TMP/pg/data" -p "$PG_PORT" -k "$TMP/pgsock" \
    -c listen_addresses=127.0.0.1 -c fsync=off
start redis "$TMP/redis.log" redis-server --port "$REDIS_PORT" --bind 127.0.0.1 \
    --save "" --appendonly no --dir "$TMP"
start s3 "$TMP/s3.log" "$REPO/.venv/bin/moto_server" -H 127.0.0.1 -p "$S3_PORT"
wait_for PostgreSQL 60 "$PG_BIN/pg_isready" -h 127.0.0.1 -p "$PG_PORT"
"$PG_BIN/psql" -h 127.0.0.1 -p "$PG_PORT" -U postgres -qc "create database airflow" >/dev/null
wait_for Redis 30 redis-cli -h 127.0.0.1 -p "$REDIS_PORT" ping
wait_for "the S3 server" 60 curl -sf "http://127.0.0.1:$S3_PORT/"

# One environment for every Airflow component (on several machines: the same values,
# with the hosts' names instead of 127.0.0.1; see docs/airflow.md).
export PATH="$REPO/.venv/bin:$PATH"
export AIRFLOW_HOME="$TMP/airflow"
export AIRFLOW__CORE__DAGS_FOLDER="$REPO/dags"
export AIRFLOW__CORE__LOAD_EXAMPLES=False
export AIRFLOW__CORE__EXECUTOR=CeleryExecutor
export AIRFLOW__CORE__PARALLELISM=2 # two cores here
export AIRFLOW__CORE__DAGS_ARE_PAUSED_AT_CREATION=False
export AIRFLOW__CORE__FERNET_KEY
AIRFLOW__CORE__FERNET_KEY=$(python -c "from cryptography.fernet import Fernet; print(Fernet.generate_key().decode())")
export AIRFLOW__DATABASE__SQL_ALCHEMY_CONN="postgresql+psycopg2://postgres@127.0.0.1:$PG_PORT/airflow"
export AIRFLOW__CELERY__BROKER_URL="redis://127.0.0.1:$REDIS_PORT/0"
export AIRFLOW__CELERY__RESULT_BACKEND="db+postgresql://postgres@127.0.0.1:$PG_PORT/airflow"
export AIRFLOW__CELERY__WORKER_CONCURRENCY=1 # one task per worker: cleaning is CPU-bound
export AIRFLOW__API__HOST=127.0.0.1 AIRFLOW__API__PORT=$API_PORT AIRFLOW__API__WORKERS=1
export AIRFLOW__CORE__EXECUTION_API_SERVER_URL="http://127.0.0.1:$API_PORT/execution/"
export AIRFLOW__API_AUTH__JWT_SECRET AIRFLOW__API__SECRET_KEY
AIRFLOW__API_AUTH__JWT_SECRET=$(python -c "import secrets; print(secrets.token_urlsafe(32))")
AIRFLOW__API__SECRET_KEY=$(python -c "import secrets; print(secrets.token_urlsafe(32))")
export AIRFLOW__CORE__SIMPLE_AUTH_MANAGER_ALL_ADMINS=True # loopback demo: no tokens
export CLEANER_CLEAN_SCHEDULE=none CLEANER_TASK_RETRIES=1
# The object store as an Airflow connection: s3://cleaner_s3@bucket/... paths use it.
export AWS_ACCESS_KEY_ID=test AWS_SECRET_ACCESS_KEY=test AWS_DEFAULT_REGION=us-east-1
export S3_ENDPOINT_URL="http://127.0.0.1:$S3_PORT"
export AIRFLOW_CONN_CLEANER_S3="{\"conn_type\": \"aws\", \"login\": \"test\", \"password\": \"test\",
  \"extra\": {\"endpoint_url\": \"$S3_ENDPOINT_URL\", \"region_name\": \"us-east-1\"}}"

say "migrating the metadata database"
airflow db migrate >"$TMP/migrate.log" 2>&1
start api-server "$TMP/api-server.log" "$REPO/.venv/bin/airflow" api-server
start scheduler "$TMP/scheduler.log" "$REPO/.venv/bin/airflow" scheduler
start dag-processor "$TMP/dag-processor.log" "$REPO/.venv/bin/airflow" dag-processor
for n in $(seq 1 "$WORKERS"); do
    AIRFLOW__LOGGING__WORKER_LOG_SERVER_PORT=$((BASE + 9 + n)) start "worker$n" "$TMP/worker$n.log" \
        "$REPO/.venv/bin/airflow" celery worker --celery-hostname "worker$n@%h" --concurrency 1
done
API="http://127.0.0.1:$API_PORT"
wait_for "the API server" 180 curl -sf "$API/api/v2/monitor/health"
wait_for "the clean_pages DAG" 180 curl -sf "$API/api/v2/dags/clean_pages"
for n in $(seq 1 "$WORKERS"); do
    wait_for "Celery worker $n" 180 grep -q "ready" "$TMP/worker$n.log"
done
T_STARTED=$(date +%s)
say "started in $((T_STARTED - T_INSTALL)) s: postgres, redis, S3, api-server, scheduler, dag-processor, $WORKERS Celery worker(s)"

# -- 3. run --------------------------------------------------------------------------------
BUCKET=cleaner-demo
SOURCE="s3://cleaner_s3@$BUCKET/raw"
WAREHOUSE="s3://cleaner_s3@$BUCKET/warehouse"
UPLOADED=$(python scripts/cluster_client.py upload "$PAGES" "$SOURCE" --pattern "$PATTERN")
say "uploaded $PAGES to $SOURCE: $UPLOADED"
CONF="{\"source\": \"$SOURCE\", \"pattern\": \"$PATTERN\", \"warehouse\": \"$WAREHOUSE\", \"batch_size\": $BATCH_SIZE}"
T_RUN=$(date +%s)
FIRST=$(python scripts/cluster_client.py trigger "$API" clean_pages "$CONF" --timeout "$RUN_TIMEOUT_S")
say "first run: $FIRST"
INV1=$(python scripts/cluster_client.py inventory "$WAREHOUSE")
SECOND=$(python scripts/cluster_client.py trigger "$API" clean_pages "$CONF" --timeout "$RUN_TIMEOUT_S")
say "second run: $SECOND"
INV2=$(python scripts/cluster_client.py inventory "$WAREHOUSE")
T_DONE=$(date +%s)

# What the runs must have left in the bucket (python prints the problems, or nothing).
PROBLEMS=$(INV1=$INV1 INV2=$INV2 FIRST=$FIRST UPLOADED=$UPLOADED WORKERS=$WORKERS python - <<'EOF'
import json, os
one, two = json.loads(os.environ["INV1"]), json.loads(os.environ["INV2"])
uploaded = json.loads(os.environ["UPLOADED"])["unique"]  # a copied page is one document
problems = []
if one["clean_txt"] + one["quarantine"] != uploaded:
    problems.append(f"{uploaded} different pages uploaded, {one['clean_txt']} clean + {one['quarantine']} quarantined")
if one["clean_txt"] == 0 or one["clean_json"] != one["clean_txt"]:
    problems.append(f"clean zone: {one['clean_txt']} texts, {one['clean_json']} metadata files")
for part in ("run_manifests", "batch_manifests", "document_rows", "listings", "templates"):
    if one[part] == 0:
        problems.append(f"no {part} in the bucket")
if one["run_manifests"] != 1:
    problems.append(f"{one['run_manifests']} run manifests after one run")
if two["clean_keys"] != one["clean_keys"] or two["template_keys"] != one["template_keys"]:
    problems.append("the second run changed the clean zone or the site templates")
if two["run_manifests"] != 2:
    problems.append(f"{two['run_manifests']} run manifests after two runs")
print("; ".join(problems))
EOF
)
if [ -n "$PROBLEMS" ]; then
    say "bucket check failed: $PROBLEMS"
    exit 1
fi
CLEANED=$(python -c "import json, sys; print(json.loads(sys.argv[1])['clean_txt'])" "$INV1")
RUN_S=$(python -c "import json, sys; print(json.loads(sys.argv[1])['seconds'])" "$FIRST")
say "bucket: $(python -c "import json, sys; d = json.loads(sys.argv[1]); print(', '.join(f'{k} {v}' for k, v in d.items() if not k.endswith('_keys')))" "$INV1")"
say "figures: $CLEANED pages in $RUN_S s (first run, start to end) = $(python -c "print(round($CLEANED / $RUN_S, 2))") pages/s with $WORKERS worker(s), batch_size $BATCH_SIZE"

for n in $(seq 1 "$WORKERS"); do
    say "worker$n ran $(grep -c 'execute_workload.*received' "$TMP/worker$n.log" || true) task(s)"
done

stop_all
T_END=$(date +%s)
say "timings: install $((T_INSTALL - T0)) s, startup $((T_STARTED - T_INSTALL)) s, runs $((T_DONE - T_RUN)) s, stop $((T_END - T_DONE)) s"
trap - EXIT
echo "cluster run: success, $CLEANED clean texts, $((T_END - T0)) s"
