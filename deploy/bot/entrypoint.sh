#!/usr/bin/env bash
# The bot image's entrypoint (bot/Dockerfile): one image, two roles, so Rasa
# and the action server scale separately (deploy/compose.yaml, deploy/k8s/).
#
#   entrypoint.sh rasa     Rasa (REST channel, HTTP API off) on 0.0.0.0:RASA_PORT (5005),
#                          tracker + lock store in Redis (REDIS_URL required: every
#                          instance shares the conversations, so no sticky sessions)
#   entrypoint.sh actions  the action server on 0.0.0.0:ACTION_PORT (5055)
#
# Environment: REDIS_URL, ACTION_ENDPOINT_URL (rasa: http://actions:5055/webhook),
# NAVIGATOR_API_URL (actions: the api), ENVIRONMENT, TRACKER_EXPIRY_SECONDS,
# TRACKER_MAX_EVENTS, TRACKER_MAX_BYTES, REDIS_KEY_PREFIX (see README).
set -euo pipefail
cd /app/bot

case "${1:-}" in
    rasa)
        if [ -z "${REDIS_URL:-}" ]; then
            echo "entrypoint: REDIS_URL is required (conversations shared by every Rasa instance)" >&2
            exit 2
        fi
        python -m serving.redis_endpoints /tmp/endpoints.yml
        exec python -m serving.rasa_main run --model models/navigator.tar.gz \
            --endpoints /tmp/endpoints.yml --credentials credentials.yml \
            --interface 0.0.0.0 --port "${RASA_PORT:-5005}"
        ;;
    actions)
        export SANIC_HOST=0.0.0.0
        exec python -m serving.actions_main --actions actions --port "${ACTION_PORT:-5055}"
        ;;
    *)
        echo "usage: entrypoint.sh rasa|actions" >&2
        exit 2
        ;;
esac
