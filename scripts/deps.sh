#!/usr/bin/env bash
# Install the Debian packages brop needs to build, test, benchmark and fuzz.
# Idempotent: does nothing (and needs no network) when everything is present.
# Uses sudo when not root.
set -euo pipefail

# The PostgreSQL of this Debian release (BROP_PG_MAJOR overrides): 15 in
# Debian 12 (bookworm), 17 in 13 (trixie), 18 in unstable (sid, forky).
pg_major=${BROP_PG_MAJOR:-}
if [ -z "$pg_major" ]; then
  codename=$(. /etc/os-release 2>/dev/null && echo "${VERSION_CODENAME:-}")
  case "$codename" in
    trixie) pg_major=17 ;;
    forky|sid) pg_major=18 ;;
    *) pg_major=15 ;;
  esac
fi

packages=(
  build-essential pkg-config
  "postgresql-$pg_major" "postgresql-server-dev-$pg_major"
  "postgresql-$pg_major-wal2json"
  libsodium-dev libsecp256k1-dev libssl-dev libpq-dev libjansson-dev
  libp11-kit-dev softhsm2
  libipc-run-perl
  clang libclang-rt-dev llvm
  openssl
)

missing=()
for p in "${packages[@]}"; do
  status=$(dpkg-query -W -f='${db:Status-Abbrev}' "$p" 2>/dev/null || true)
  [[ "$status" == ii* ]] || missing+=("$p")
done

if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi

echo "deps: installing ${missing[*]}"
sudo=()
if [ "$(id -u)" -ne 0 ]; then
  command -v sudo >/dev/null || {
    echo "deps: need root or sudo to install ${missing[*]}; as root, run: apt-get install ${missing[*]}" >&2; exit 1; }
  sudo=(sudo)
fi
export DEBIAN_FRONTEND=noninteractive
# The Debian package starts a cluster of its own on install; brop never uses it.
"${sudo[@]}" apt-get update -qq
"${sudo[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
echo "deps: done"
