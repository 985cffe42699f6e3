#!/usr/bin/env bash
# scripts/regress_keys.sh DIR: the key files the pg_regress suite reads, in
# DIR (made if missing, kept if present). The tests name them relative to the
# server's data directory, as ../../keys/NAME, so DIR is two levels above
# it. Test keys only: root.key and other-root.key are random, salt.key is
# docs/formats.md's worked example (the bytes 0 to 31), the others are wrong
# on purpose (modes 0644 and 0640, a malformed one).
source "$(dirname "$0")/lib.sh"

dir=${1:?usage: regress_keys.sh DIR}
pg_dir "$dir"
make_root_key "$dir/root.key"
make_root_key "$dir/other-root.key"
cp "$dir/root.key" "$dir/world-readable.key"; chmod 0644 "$dir/world-readable.key"
cp "$dir/root.key" "$dir/group-readable.key"; chmod 0640 "$dir/group-readable.key"
printf 'not a key\n' >"$dir/malformed.key"; chmod 0600 "$dir/malformed.key"
printf '000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f\n' >"$dir/salt.key"
chmod 0600 "$dir/salt.key"
[ "$(id -u)" -ne 0 ] || chown -R "$PG_USER:" "$dir"
