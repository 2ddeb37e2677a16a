#!/usr/bin/env bash
# Make sure Debian's chromium is installed for the browser tests.
# Playwright cannot download its own browsers here, so the tests launch
# /usr/bin/chromium through executable_path. Idempotent: does nothing when
# chromium is already there.
set -euo pipefail

CHROMIUM="${CHROMIUM:-/usr/bin/chromium}"

if [ -x "$CHROMIUM" ]; then
    echo "chromium: found $CHROMIUM ($("$CHROMIUM" --version 2>/dev/null || echo 'version unknown'))"
    exit 0
fi

SUDO=""
if [ "$(id -u)" -ne 0 ]; then
    if command -v sudo >/dev/null 2>&1; then
        SUDO="sudo"
    else
        echo "chromium: $CHROMIUM is missing and this is not root (no sudo either)." >&2
        echo "chromium: install it with: apt-get update && apt-get install -y chromium" >&2
        exit 1
    fi
fi

echo "chromium: $CHROMIUM is missing; installing Debian's chromium package"
echo "chromium: [1/2] apt-get update"
$SUDO apt-get update
echo "chromium: [2/2] apt-get install -y chromium (this can take a few minutes)"
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y --no-install-recommends \
    -o Dpkg::Progress-Fancy=0 -o APT::Status-Fd=1 chromium
echo "chromium: installed $("$CHROMIUM" --version 2>/dev/null || echo "$CHROMIUM")"
