#!/usr/bin/env bash
# Install the Debian packages brop needs to build, test, benchmark and fuzz.
# Idempotent: does nothing (and needs no network) when everything is present.
# Uses sudo when not root.
set -euo pipefail

packages=(
  build-essential pkg-config
  postgresql-15 postgresql-server-dev-15 postgresql-contrib
  postgresql-15-wal2json
  libsodium-dev libsecp256k1-dev libssl-dev libpq-dev libjansson-dev
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
