#!/usr/bin/env bash
# The production-shaped navigator on one machine (`make run-cluster`):
#
#   HAProxy :CLUSTER_PORT ──> api-1, api-2 (uvicorn, ENVIRONMENT=production, PostgreSQL)
#   HAProxy :CLUSTER_RASA_PORT ──> rasa-1, rasa-2 (tracker + lock store in Redis)
#   action server (one), reaching the api through the balancer
#
# PostgreSQL and Redis are the machine's (127.0.0.1:5432, trust auth as the
# postgres user; 127.0.0.1:6379) when they answer; a local Redis is started
# when none answers; without PostgreSQL it stops with what is needed. HAProxy
# is installed from Debian's packages when missing. Config:
# deploy/haproxy/haproxy.cfg. Ctrl-C or SIGTERM stops everything it started.
#
# Environment (defaults in brackets):
#   CLUSTER_BIND [127.0.0.1]        CLUSTER_PORT [8080] (public: the navigator)
#   CLUSTER_RASA_PORT [5080]        CLUSTER_STATS_PORT [8404] (HAProxy /stats)
#   CLUSTER_API_PORT_1/_2 [8081/8082]   CLUSTER_RASA_PORT_1/_2 [5081/5082]
#   CLUSTER_ACTION_PORT [5085]
#   CLUSTER_DATABASE_URL [postgresql+psycopg://postgres@127.0.0.1:5432/navigator_cluster]
#   CLUSTER_REDIS_URL [redis://127.0.0.1:6379/0]
#   CLUSTER_DIR [data/cluster]: logs (logs/NAME.log), pid files (run/NAME.pid),
#     the conversation secret when CONVERSATION_SECRET is not set
#   CLUSTER_START_TIMEOUT [600] seconds for everything to be ready
#   KNOWLEDGE_REFRESH_SECONDS [5]
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

export CLUSTER_BIND=${CLUSTER_BIND:-127.0.0.1}
export CLUSTER_PORT=${CLUSTER_PORT:-8080}
export CLUSTER_RASA_PORT=${CLUSTER_RASA_PORT:-5080}
export CLUSTER_STATS_PORT=${CLUSTER_STATS_PORT:-8404}
API_PORTS=("${CLUSTER_API_PORT_1:-8081}" "${CLUSTER_API_PORT_2:-8082}")
RASA_PORTS=("${CLUSTER_RASA_PORT_1:-5081}" "${CLUSTER_RASA_PORT_2:-5082}")
ACTION_PORT=${CLUSTER_ACTION_PORT:-5085}
DATABASE=${CLUSTER_DATABASE_URL:-postgresql+psycopg://postgres@127.0.0.1:5432/navigator_cluster}
REDIS=${CLUSTER_REDIS_URL:-redis://127.0.0.1:6379/0}
CLUSTER_DIR=${CLUSTER_DIR:-$ROOT/data/cluster}
START_TIMEOUT=${CLUSTER_START_TIMEOUT:-600}
export API_1="127.0.0.1:${API_PORTS[0]}" API_2="127.0.0.1:${API_PORTS[1]}"
export RASA_1="127.0.0.1:${RASA_PORTS[0]}" RASA_2="127.0.0.1:${RASA_PORTS[1]}"
PUBLIC_URL="http://${CLUSTER_BIND}:${CLUSTER_PORT}"
RASA_LB_URL="http://${CLUSTER_BIND}:${CLUSTER_RASA_PORT}"
PY=.venv/bin/python
BOT_PY=bot/.venv/bin/python

step() { echo "==> $*"; }
fail() { echo "run-cluster: $*" >&2; exit 1; }

[ -x "$PY" ] || fail ".venv is missing: run \`make install\` (or \`make run-cluster\`, which does)"
[ -x "$BOT_PY" ] || fail "bot/.venv is missing: run \`make install\` (or \`make run-cluster\`)"

mkdir -p "$CLUSTER_DIR/logs" "$CLUSTER_DIR/run"
rm -f "$CLUSTER_DIR"/run/*.pid

# name -> pid of everything started here; each in its own session, so
# stopping one stops whatever it started (e.g. Rasa's worker processes).
declare -A PIDS=()
declare -A REPORTED=()
stopping=0
stop_all() {
    [ "$stopping" = 1 ] && return
    stopping=1
    trap - EXIT INT TERM
    if [ "${#PIDS[@]}" -gt 0 ]; then
        echo "==> Stopping ${!PIDS[*]}"
        for name in "${!PIDS[@]}"; do kill -TERM -- "-${PIDS[$name]}" 2>/dev/null || true; done
        for _ in $(seq 1 150); do
            alive=0
            for name in "${!PIDS[@]}"; do
                kill -0 -- "-${PIDS[$name]}" 2>/dev/null && alive=1
            done
            [ "$alive" = 0 ] && break
            sleep 0.1
        done
        for name in "${!PIDS[@]}"; do kill -KILL -- "-${PIDS[$name]}" 2>/dev/null || true; done
        wait 2>/dev/null || true
    fi
    rm -f "$CLUSTER_DIR"/run/*.pid
    echo "==> Stopped"
}
trap 'stop_all' EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# start NAME DIR COMMAND...: in the background, in its own session, output to
# CLUSTER_DIR/logs/NAME.log, pid in CLUSTER_DIR/run/NAME.pid.
start() {
    local name=$1 dir=$2
    shift 2
    (cd "$dir" && exec setsid "$@") >"$CLUSTER_DIR/logs/$name.log" 2>&1 &
    PIDS[$name]=$!
    echo "${PIDS[$name]}" >"$CLUSTER_DIR/run/$name.pid"
}

wait_ready() {  # NAME URL [--chat]
    # In the background, so Ctrl-C or SIGTERM is acted on at once.
    local status=0
    "$PY" scripts/cluster_prepare.py wait "$1" "$2" "${PIDS[$1]}" "$START_TIMEOUT" "${@:3}" &
    wait $! || status=$?
    [ "$status" = 0 ] || {
        echo "---- last lines of $CLUSTER_DIR/logs/$1.log ----" >&2
        tail -n 30 "$CLUSTER_DIR/logs/$1.log" >&2 || true
        exit 1
    }
}

# 1. HAProxy --------------------------------------------------------------
step "1/8 HAProxy (the load balancer)"
if command -v haproxy >/dev/null 2>&1; then
    echo "    $(haproxy -v | head -n1)"
else
    echo "    not installed: installing Debian's haproxy package (apt-get update && apt-get install -y haproxy)"
    SUDO=""
    [ "$(id -u)" = 0 ] || SUDO="sudo"
    if ! { $SUDO apt-get update && DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y haproxy; }; then
        echo "run-cluster: could not install HAProxy: install Debian's haproxy package" \
             "(apt-get install -y haproxy, as root) and run again" >&2
        exit 3
    fi
    command -v haproxy >/dev/null 2>&1 || { echo "run-cluster: haproxy still not on PATH" >&2; exit 3; }
fi
haproxy -c -q -f deploy/haproxy/haproxy.cfg || fail "deploy/haproxy/haproxy.cfg does not check"

# 2. PostgreSQL -----------------------------------------------------------
step "2/8 PostgreSQL (${DATABASE%%\?*})"
"$PY" scripts/cluster_prepare.py postgres "$DATABASE" || exit 1

# 3. Redis ----------------------------------------------------------------
step "3/8 Redis (${REDIS})"
if "$PY" scripts/cluster_prepare.py redis "$REDIS"; then
    echo "    answering"
else
    redis_host=$("$PY" -c 'import sys, urllib.parse as u; print(u.urlsplit(sys.argv[1]).hostname or "")' "$REDIS")
    redis_port=$("$PY" -c 'import sys, urllib.parse as u; print(u.urlsplit(sys.argv[1]).port or 6379)' "$REDIS")
    if [[ "$redis_host" =~ ^(127\.0\.0\.1|localhost)$ ]] && command -v redis-server >/dev/null 2>&1; then
        echo "    not answering: starting redis-server on 127.0.0.1:${redis_port} (nothing saved to disk)"
        start redis "$ROOT" redis-server --bind 127.0.0.1 --port "$redis_port" --save "" --appendonly no
        for _ in $(seq 1 50); do
            "$PY" scripts/cluster_prepare.py redis "$REDIS" && break
            sleep 0.2
        done
        "$PY" scripts/cluster_prepare.py redis "$REDIS" || fail "redis-server did not start (see $CLUSTER_DIR/logs/redis.log)"
    else
        fail "Redis is needed at ${REDIS}: install and start it (Debian: apt-get install -y redis-server && service redis-server start), or set CLUSTER_REDIS_URL"
    fi
fi

# 4. The bot's model and the knowledge base -------------------------------
step "4/8 The Rasa model (trained only when the training data changed)"
scripts/bot-train.sh

if [ -z "${CONVERSATION_SECRET:-}" ]; then
    if [ ! -s "$CLUSTER_DIR/conversation_secret" ]; then
        (umask 077 && "$PY" -c 'import secrets; print(secrets.token_urlsafe(48))' >"$CLUSTER_DIR/conversation_secret")
    fi
    CONVERSATION_SECRET=$(cat "$CLUSTER_DIR/conversation_secret")
fi

# What every api instance shares: production mode, one PostgreSQL, one Redis
# for the rate limits, one conversation secret, Rasa through the balancer.
export ENVIRONMENT=production
export DATABASE_URL="$DATABASE"
export CONVERSATION_SECRET
export RASA_URL="$RASA_LB_URL"
export RATE_LIMIT_STORAGE_URL=${RATE_LIMIT_STORAGE_URL:-$REDIS}
export KNOWLEDGE_REFRESH_SECONDS=${KNOWLEDGE_REFRESH_SECONDS:-5}
export FORWARDED_ALLOW_IPS=${FORWARDED_ALLOW_IPS:-127.0.0.1}
export DATA_DIR="$CLUSTER_DIR"

step "5/8 Database migrations and the seed knowledge base (once, before the api instances start)"
"$PY" -m knowledge.cli seed

# 5. The api instances ----------------------------------------------------
step "6/8 Two api instances (ENVIRONMENT=production, PostgreSQL, RASA_URL=${RASA_LB_URL})"
for i in 1 2; do
    port=${API_PORTS[$((i - 1))]}
    echo "    api-$i on 127.0.0.1:${port}"
    start "api-$i" "$ROOT" "$ROOT/$PY" -m uvicorn api.main:app --host 127.0.0.1 --port "$port" \
        --log-config api/logging.json --proxy-headers \
        --forwarded-allow-ips "$FORWARDED_ALLOW_IPS" --no-server-header
done

# 6. The bot: one action server, two Rasa instances sharing Redis ---------
step "7/8 The action server and two Rasa instances (tracker + lock store in Redis)"
# The bot refuses a Redis without a password in production (it holds what
# practitioners typed); the machine's local Redis has none, so the bot runs
# in production mode only when CLUSTER_REDIS_URL carries a password.
bot_environment=development
[[ "$REDIS" =~ ^rediss?://[^@/]*:[^@/]+@ ]] && bot_environment=production
mkdir -p bot/.rasa
ENDPOINTS="$ROOT/bot/.rasa/endpoints-cluster.yml"
(cd bot && env ENVIRONMENT="$bot_environment" REDIS_URL="$REDIS" \
    REDIS_KEY_PREFIX="${REDIS_KEY_PREFIX:-navigator}" \
    ACTION_ENDPOINT_URL="http://127.0.0.1:${ACTION_PORT}/webhook" \
    .venv/bin/python -m serving.redis_endpoints "$ENDPOINTS")
echo "    action server on 127.0.0.1:${ACTION_PORT} (api through the balancer: ${PUBLIC_URL})"
start actions "$ROOT/bot" env ENVIRONMENT="$bot_environment" NAVIGATOR_API_URL="$PUBLIC_URL" \
    SANIC_HOST=127.0.0.1 RASA_TELEMETRY_ENABLED=false \
    .venv/bin/python -m serving.actions_main --actions actions --port "$ACTION_PORT"
for i in 1 2; do
    port=${RASA_PORTS[$((i - 1))]}
    echo "    rasa-$i on 127.0.0.1:${port}"
    start "rasa-$i" "$ROOT/bot" env ENVIRONMENT="$bot_environment" RASA_TELEMETRY_ENABLED=false \
        TF_CPP_MIN_LOG_LEVEL=2 REDIS_URL="$REDIS" \
        .venv/bin/python -m serving.rasa_main run --model models/navigator.tar.gz \
        --endpoints "$ENDPOINTS" --credentials credentials.yml \
        --interface 127.0.0.1 --port "$port"
done

# 7. The balancer ---------------------------------------------------------
step "8/8 HAProxy: ${PUBLIC_URL} -> api-1, api-2; ${RASA_LB_URL} -> rasa-1, rasa-2"
start haproxy "$ROOT" haproxy -db -f deploy/haproxy/haproxy.cfg

echo "==> Waiting for every instance to be ready (Rasa loads its model: a minute or two)"
for i in 1 2; do wait_ready "api-$i" "http://127.0.0.1:${API_PORTS[$((i - 1))]}/healthz"; done
wait_ready haproxy "${PUBLIC_URL}/healthz"
wait_ready actions "http://127.0.0.1:${ACTION_PORT}/health"
for i in 1 2; do
    wait_ready "rasa-$i" "http://127.0.0.1:${RASA_PORTS[$((i - 1))]}/webhooks/rest/webhook" --chat
done
# HAProxy marks a Rasa instance up only after two good health checks, some
# seconds after Rasa itself answers: wait for the balancer to see one.
wait_ready haproxy "${RASA_LB_URL}/"
echo "    every instance answers; one chat turn through both balancers:"
"$PY" - "$PUBLIC_URL" <<'EOF' || exit 1
import sys
import time

import httpx

deadline = time.monotonic() + 60
while True:
    response = httpx.post(f"{sys.argv[1]}/api/v1/chat", json={"message": "help"}, timeout=60)
    if response.status_code == 200:
        break
    if time.monotonic() > deadline:
        sys.exit(f"run-cluster: the chat answered {response.status_code}: {response.text[:300]}")
    time.sleep(1)
print(f"    POST /api/v1/chat: 200, {len(response.json()['messages'])} message(s)")
EOF

cat <<EOF

Navigator cluster ready
  navigator (public)   ${PUBLIC_URL}/            api docs ${PUBLIC_URL}/docs
  api instances        http://${API_1}  http://${API_2}      (ENVIRONMENT=production)
  Rasa (balanced)      ${RASA_LB_URL}     instances http://${RASA_1}  http://${RASA_2}
  action server        http://127.0.0.1:${ACTION_PORT}
  HAProxy status       http://${CLUSTER_BIND}:${CLUSTER_STATS_PORT}/stats
  PostgreSQL           ${DATABASE%%\?*}
  Redis                ${REDIS} (Rasa tracker + lock store, rate limits)
  logs                 ${CLUSTER_DIR}/logs/    pids ${CLUSTER_DIR}/run/
Ctrl-C stops everything started here.
EOF

# Keep running; report an instance that stops (HAProxy routes around it).
while true; do
    for name in "${!PIDS[@]}"; do
        if [ -z "${REPORTED[$name]:-}" ] && ! kill -0 "${PIDS[$name]}" 2>/dev/null; then
            REPORTED[$name]=1
            echo "run-cluster: $name (pid ${PIDS[$name]}) stopped; see $CLUSTER_DIR/logs/$name.log" >&2
        fi
    done
    sleep 1 &
    wait $! || true
done
