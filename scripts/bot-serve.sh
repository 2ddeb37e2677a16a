#!/usr/bin/env bash
# Run the bot in the foreground: the action server (rasa_sdk) and Rasa itself
# (REST channel only, HTTP API off, 127.0.0.1 only). If either stops, both are
# stopped. Conversations are kept in memory or, when REDIS_URL is set, in
# Redis; either way they expire after TRACKER_EXPIRY_SECONDS.
#
# Environment: NAVIGATOR_API_URL (default http://127.0.0.1:8000), RASA_PORT
# (5005), ACTION_PORT (5055), REDIS_URL (unset; rediss:// for TLS; a password is
# required when ENVIRONMENT=production), TRACKER_EXPIRY_SECONDS (86400),
# TRACKER_SWEEP_SECONDS (60), TRACKER_MAX_EVENTS (400), TRACKER_MAX_BYTES (200000).
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/bot-train.sh

export NAVIGATOR_API_URL=${NAVIGATOR_API_URL:-http://127.0.0.1:8000}
export RASA_TELEMETRY_ENABLED=false
export TF_CPP_MIN_LOG_LEVEL=2
RASA_PORT=${RASA_PORT:-5005}
ACTION_PORT=${ACTION_PORT:-5055}
export ACTION_ENDPOINT_URL="http://127.0.0.1:${ACTION_PORT}/webhook"

# One rule for the expiry, whichever store: a clear message, not a traceback.
(cd bot && .venv/bin/python -c '
import os, sys
from serving.redis_endpoints import expiry_seconds
try:
    expiry_seconds(os.environ.get("TRACKER_EXPIRY_SECONDS"))
except ValueError as error:
    sys.exit(f"bot-serve: {error}")')

ENDPOINTS=endpoints.yml
if [ -z "${REDIS_URL:-}" ]; then
    echo "bot-serve: conversations in memory, forgotten after ${TRACKER_EXPIRY_SECONDS:-86400}s idle"
else
    mkdir -p bot/.rasa
    ENDPOINTS=.rasa/endpoints-redis.yml
    (cd bot && .venv/bin/python -m serving.redis_endpoints "$ENDPOINTS")
    echo "bot-serve: conversations in Redis, expiring after ${TRACKER_EXPIRY_SECONDS:-86400}s"
fi

pids=()
stop() {
    trap - EXIT INT TERM
    for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
    wait 2>/dev/null || true
}
trap stop EXIT INT TERM

cd bot
echo "bot-serve: action server on 127.0.0.1:${ACTION_PORT} (api: ${NAVIGATOR_API_URL})"
# serving.actions_main is rasa_sdk with no message text in its logs.
SANIC_HOST=127.0.0.1 .venv/bin/python -m serving.actions_main --actions actions --port "$ACTION_PORT" &
pids+=($!)
echo "bot-serve: Rasa on 127.0.0.1:${RASA_PORT} (REST channel, HTTP API off)"
# serving.rasa_main is `rasa` with two fixes for serving speed and no message
# text in its logs (see its docstring).
.venv/bin/python -m serving.rasa_main run --model models/navigator.tar.gz --endpoints "$ENDPOINTS" \
    --interface 127.0.0.1 --port "$RASA_PORT" --credentials credentials.yml &
pids+=($!)

# Whichever stops first takes the other with it.
wait -n "${pids[@]}"
status=$?
echo "bot-serve: a bot process exited (status $status); stopping the other" >&2
# Either stopping on its own is a failure, whatever its status.
exit $(( status == 0 ? 1 : status ))
