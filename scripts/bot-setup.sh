#!/usr/bin/env bash
# Create bot/.venv (Python 3.10: Rasa 3.6 does not run on newer Pythons) and
# install the pinned set from bot/requirements.lock, checking every download
# against the sha256 in the lock (--require-hashes: a package or file the lock
# does not name is refused). The lock is generated from bot/requirements.in
# (the command is at its top). Three locked packages (docopt, mattermostwrapper,
# randomname) are published as source only: they are built with the lock's own
# hash-checked setuptools, so no build tool is downloaded unchecked either.
# Idempotent: skipped when the lock's hash matches the stamp written by the
# last successful install.
set -euo pipefail
cd "$(dirname "$0")/.."

VENV=bot/.venv
LOCK=bot/requirements.lock
STAMP=$VENV/.lock-sha256

find_python310() {
    local candidate
    if candidate=$(command -v python3.10 2>/dev/null) && "$candidate" -c 'import sys' 2>/dev/null; then
        echo "$candidate"; return 0
    fi
    local root
    root=$(pyenv root 2>/dev/null || echo "$HOME/.pyenv")
    for candidate in "$root"/versions/3.10.*/bin/python3.10 /usr/bin/python3.10 /usr/local/bin/python3.10; do
        if [ -x "$candidate" ] && "$candidate" -c 'import sys' 2>/dev/null; then
            echo "$candidate"; return 0
        fi
    done
    return 1
}

want=$(sha256sum "$LOCK" | cut -d' ' -f1)
if [ -x "$VENV/bin/rasa" ] && [ -f "$STAMP" ] && [ "$(cat "$STAMP")" = "$want" ]; then
    echo "bot-setup: bot/.venv is up to date with $LOCK"
    exit 0
fi

PY=$(find_python310) || { echo "bot-setup: Python 3.10 not found (Rasa 3.6 needs it); install it, e.g. 'pyenv install 3.10'" >&2; exit 1; }
echo "bot-setup: using $PY"

UV=""
if [ -x .tools/bin/uv ]; then UV=.tools/bin/uv; elif command -v uv >/dev/null 2>&1; then UV=$(command -v uv); fi

if [ ! -x "$VENV/bin/python" ]; then
    echo "bot-setup: creating $VENV"
    if [ -n "$UV" ]; then "$UV" venv --python "$PY" "$VENV"; else "$PY" -m venv "$VENV"; fi
fi

# The lock's setuptools entry (its pin and hash lines) is what builds the
# source-only packages.
BUILD=$(mktemp)
trap 'rm -f "$BUILD"' EXIT
awk '/^setuptools==/ {p=1} p {print} p && !/\\$/ {exit}' "$LOCK" > "$BUILD"
grep -q -- '--hash=sha256:' "$BUILD" || { echo "bot-setup: $LOCK has no hashed setuptools pin" >&2; exit 1; }

echo "bot-setup: installing $(grep -c '^[A-Za-z0-9].*==' "$LOCK") pinned, hash-checked packages from $LOCK (several minutes on a fresh machine)"
if [ -n "$UV" ]; then
    # uv prints per-package progress and is several times faster than pip;
    # sync also removes packages an earlier lock installed and this one dropped.
    "$UV" pip sync --python "$VENV/bin/python" --require-hashes \
        --build-constraints "$BUILD" --require-build-hashes "$LOCK"
else
    # pip cannot check the hashes of an isolated build environment, so the
    # lock's hash-checked setuptools is installed first and the builds use it.
    "$VENV/bin/python" -m pip install --progress-bar on --require-hashes -r "$BUILD"
    "$VENV/bin/python" -m pip install --progress-bar on --require-hashes \
        --no-build-isolation --use-pep517 -r "$LOCK"
fi
echo "$want" > "$STAMP"
echo "bot-setup: done"
