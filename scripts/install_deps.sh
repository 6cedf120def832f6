#!/usr/bin/env bash
# Install the Debian (bookworm) packages needed to build and test wordlens.
#
# Usage: scripts/install_deps.sh [--skip] [--dry-run] [-h|--help]
#
#   --skip      do nothing (same as WORDLENS_SKIP_APT=1 in the environment)
#   --dry-run   only report what would be installed
#
# Idempotent: every package is checked with `dpkg -s` and only the missing ones
# are installed, with a single `apt-get update` beforehand (and only if
# something is missing).  Runs apt-get directly as root (CI), via sudo when not
# root and sudo exists, and fails with a clear message otherwise.
# Prints one line per action.
set -euo pipefail

PACKAGES=(
    build-essential
    # scripts/sanitize.sh, bench/fuzz.sh: clang, its sanitizer and libFuzzer
    # runtimes (only "recommended" by clang, so named here) and
    # llvm-symbolizer (package llvm) for readable stacks.
    clang
    libclang-rt-14-dev
    llvm
    cmake
    pkg-config
    libopenblas-dev
    libboost-program-options-dev
    libspdlog-dev
    # Optional: data-parallel training under mpirun (WORDLENS_MPI=AUTO finds it).
    libopenmpi-dev
    openmpi-bin
    doctest-dev
    nlohmann-json3-dev
    libicu-dev
    python3
    python3-numpy
    python3-gensim
    python3-matplotlib
    python3-scipy
    chromium
    fonts-dejavu-core
    npm
    nodejs
    ca-certificates
    time
)

log() { echo "install_deps: $*"; }
die() { echo "install_deps: error: $*" >&2; exit 1; }

skip=${WORDLENS_SKIP_APT:-0}
dry_run=0
for arg in "$@"; do
    case "$arg" in
        --skip) skip=1 ;;
        --dry-run) dry_run=1 ;;
        -h|--help) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
        *) die "unknown argument '$arg' (try --help)" ;;
    esac
done

if [[ "$skip" != 0 && -n "$skip" ]]; then
    log "skipping (WORDLENS_SKIP_APT=1 or --skip)"
    exit 0
fi

if ! command -v dpkg >/dev/null 2>&1 || ! command -v apt-get >/dev/null 2>&1; then
    die "dpkg/apt-get not found; this script supports Debian/Ubuntu only"
fi

# is_installed PKG: true if PKG is installed according to dpkg.
is_installed() {
    dpkg -s "$1" 2>/dev/null | grep -q '^Status: install ok installed'
}

missing=()
for pkg in "${PACKAGES[@]}"; do
    if is_installed "$pkg"; then
        log "ok: $pkg already installed"
    elif [[ "$pkg" == npm ]] && command -v npm >/dev/null 2>&1; then
        # NodeSource's `nodejs` package bundles npm and *conflicts* with
        # Debian's `npm` package, so installing it would fail.  Any working
        # npm on PATH is good enough.
        log "ok: npm provided by $(command -v npm) (not the Debian package)"
    else
        missing+=("$pkg")
    fi
done

if [[ ${#missing[@]} -eq 0 ]]; then
    log "nothing to install"
    exit 0
fi

if [[ "$dry_run" == 1 ]]; then
    log "would install: ${missing[*]}"
    exit 0
fi

# Run as root directly, else through sudo if available.
if [[ "$(id -u)" -eq 0 ]]; then
    SUDO=()
elif command -v sudo >/dev/null 2>&1; then
    SUDO=(sudo)
else
    die "not root and sudo not found; install manually: ${missing[*]}"
fi

log "running apt-get update"
"${SUDO[@]}" apt-get update -qq || die "apt-get update failed"

log "installing: ${missing[*]}"
"${SUDO[@]}" env DEBIAN_FRONTEND=noninteractive \
    apt-get install -y --no-install-recommends "${missing[@]}" \
    || die "apt-get install failed for: ${missing[*]}"

log "done"
