#!/usr/bin/env bash
# Install what is missing (Debian packages), build wordlens, run every test.
#
# Usage: scripts/test.sh [ctest args...]     e.g. scripts/test.sh -R cli
# Environment: WORDLENS_SKIP_APT=1 skips the apt-get step; BUILD_DIR (default
# build); WORDLENS_NATIVE=OFF builds without -march=native.
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BUILD_DIR=${BUILD_DIR:-$ROOT/build}
cd "$ROOT"
bash scripts/install_deps.sh
cmake -S . -B "$BUILD_DIR" -DCMAKE_BUILD_TYPE=Release -DWORDLENS_NATIVE="${WORDLENS_NATIVE:-ON}" > /dev/null
cmake --build "$BUILD_DIR" -j "$(nproc)"
ctest --test-dir "$BUILD_DIR" --output-on-failure "$@"
