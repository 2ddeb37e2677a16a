#!/usr/bin/env bash
# Train the Rasa model into bot/models/ only when the training data, config or
# domain changed since the last successful training (hash stamp), so test runs
# and restarts reuse the model. FORCE=1 retrains anyway.
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/bot-setup.sh

STAMP=bot/models/.inputs-sha256
hash_inputs() {
    # Everything that changes the trained model: config, domain, training data,
    # and the custom NLU component that is part of the pipeline.
    find bot/config.yml bot/domain bot/data bot/components -type f \( -name '*.yml' -o -name '*.py' \) \
        -not -path '*/__pycache__/*' -print0 | sort -z | xargs -0 sha256sum | sha256sum | cut -d' ' -f1
}

want=$(hash_inputs)
latest=$(ls -t bot/models/*.tar.gz 2>/dev/null | head -n1 || true)
if [ "${FORCE:-0}" != "1" ] && [ -n "$latest" ] && [ -f "$STAMP" ] && [ "$(cat "$STAMP")" = "$want" ]; then
    echo "bot-train: model $latest is up to date with the training data"
    exit 0
fi

echo "bot-train: training data changed; training (about a minute on 2 cores)"
mkdir -p bot/models
start=$(date +%s)
(
    cd bot
    # Rasa prints each component and an epoch progress bar while it trains.
    TF_CPP_MIN_LOG_LEVEL=2 .venv/bin/rasa train --fixed-model-name navigator \
        --config config.yml --domain domain --data data --out models
)
echo "$want" > "$STAMP"
echo "bot-train: trained bot/models/navigator.tar.gz in $(( $(date +%s) - start ))s"
