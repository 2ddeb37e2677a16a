#!/usr/bin/env bash
# Start the whole navigator: the action server and Rasa (scripts/bot-serve.sh)
# in the background, then the api in the foreground on :${PORT:-8000}.
# Ctrl-C stops all three.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

export NAVIGATOR_API_URL="${NAVIGATOR_API_URL:-http://127.0.0.1:${PORT:-8000}}"
export RASA_URL="${RASA_URL:-http://127.0.0.1:${RASA_PORT:-5005}}"

setsid scripts/bot-serve.sh &
BOT_PID=$!
trap 'kill -- -$BOT_PID 2>/dev/null || kill $BOT_PID 2>/dev/null; wait' EXIT INT TERM

echo "==> Publishing the seed knowledge base if the database is new"
.venv/bin/python -m knowledge.cli seed
echo "==> Navigator on http://127.0.0.1:${PORT:-8000}/ (api docs at /docs); Rasa starting in the background"
# Access lines carry method, path (no query) and status only: api/access_log.py.
# X-Forwarded-For is believed only from FORWARDED_ALLOW_IPS (your load balancer;
# loopback by default), and no Server header names the software.
.venv/bin/python -m uvicorn api.main:app --host "${HOST:-127.0.0.1}" --port "${PORT:-8000}" \
    --log-config api/logging.json --proxy-headers \
    --forwarded-allow-ips "${FORWARDED_ALLOW_IPS:-127.0.0.1}" --no-server-header
