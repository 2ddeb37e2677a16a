#!/usr/bin/env bash
# Print the path of a working Python interpreter of the given version (e.g. 3.11
# or 3.10). pyenv shims may exist for a version that is not the global one, so
# each candidate is actually run before it is trusted.
set -euo pipefail
version="${1:?usage: find-python.sh 3.11}"
candidates=("python${version}")
if command -v pyenv >/dev/null 2>&1; then
    for dir in "$(pyenv root)"/versions/"${version}".*/bin; do
        candidates+=("${dir}/python${version}")
    done
fi
candidates+=(/usr/bin/python"${version}" /usr/local/bin/python"${version}")
for candidate in "${candidates[@]}"; do
    if "$candidate" -c "import sys; assert sys.version_info[:2] == tuple(map(int, '${version}'.split('.')))" >/dev/null 2>&1; then
        # The interpreter itself, not a shim: uv recreates an environment
        # whose interpreter path differs from the one asked for.
        "$candidate" -c "import sys; print(sys.executable)"
        exit 0
    fi
done
echo "find-python: no working Python ${version} found (tried: ${candidates[*]})" >&2
exit 1
