#!/usr/bin/env bash
# A throw-away SoftHSM2 token in a directory of its own, for tests and the
# demo (docs/security.md, "Keys in a PKCS#11 token"):
#   scripts/softhsm.sh [--owner USER] DIR [LABEL]
# makes DIR (0700) with its softhsm2.conf and token store, the PIN file
# DIR/pin (0600), a token LABEL (default brop) initialised with
# softhsm2-util, and two key pairs made through C_GenerateKeyPair
# (build/softhsm_tool): Ed25519 "ed-key" (id 01) and P-256 "p256-key"
# (id 02). Prints, one a line: SOFTHSM2_CONF=<DIR>/softhsm2.conf, then the
# RFC 7512 URI of each key. A process that uses the token needs SOFTHSM2_CONF
# in its environment (a server: in the environment pg_ctl starts it with),
# and read access to DIR (write access to make keys): --owner gives DIR to
# USER (postgres, for a server), as root.
#   BROP_SOFTHSM_PIN, BROP_SOFTHSM_SO_PIN: the PINs (default 1234, 5678).
source "$(dirname "$0")/lib.sh"

owner=
if [ "${1:-}" = --owner ]; then owner=$2; shift 2; fi
[ $# -ge 1 ] && [ $# -le 2 ] || { echo "usage: $0 [--owner USER] DIR [LABEL]" >&2; exit 2; }
dir=$1
label=${2:-brop}
pin=${BROP_SOFTHSM_PIN:-1234}
so_pin=${BROP_SOFTHSM_SO_PIN:-5678}
module=/usr/lib/softhsm/libsofthsm2.so

[[ "$label" =~ ^[A-Za-z0-9._-]{1,32}$ ]] || { echo "$0: a label is 1 to 32 letters, digits, '.', '-', '_'" >&2; exit 2; }
command -v softhsm2-util >/dev/null && [ -f "$module" ] ||
  { echo "$0: SoftHSM2 is not installed (scripts/deps.sh installs it)" >&2; exit 1; }
[ -x "$top/build/softhsm_tool" ] || make -C "$top" -s build/softhsm_tool

# a value of the URI's query, percent-encoded (RFC 7512 sec. 2.3)
pct() {
  local s=$1 out= c i
  for ((i = 0; i < ${#s}; i++)); do
    c=${s:i:1}
    case "$c" in
      [A-Za-z0-9._~:/@!\$\'\(\)\*+,=-]) out+=$c ;;
      *) out+=$(printf '%%%02X' "'$c") ;;
    esac
  done
  printf '%s' "$out"
}

mkdir -p "$dir"
dir=$(cd "$dir" && pwd)
chmod 700 "$dir"
rm -rf "$dir/tokens"
mkdir -m 700 "$dir/tokens"
cat >"$dir/softhsm2.conf" <<CONF
directories.tokendir = $dir/tokens
objectstore.backend = file
log.level = ERROR
slots.removable = false
CONF
(umask 077 && printf '%s\n' "$pin" >"$dir/pin")
export SOFTHSM2_CONF=$dir/softhsm2.conf

softhsm2-util --init-token --free --label "$label" --pin "$pin" --so-pin "$so_pin" >/dev/null
"$top/build/softhsm_tool" keygen "$module" "$label" "$dir/pin" ed25519 ed-key 01
"$top/build/softhsm_tool" keygen "$module" "$label" "$dir/pin" p256 p256-key 02

if [ -n "$owner" ]; then
  chown -R "$owner:" "$dir"
fi

query="module-path=$(pct "$module")&pin-source=file:$(pct "$dir/pin")"
echo "SOFTHSM2_CONF=$dir/softhsm2.conf"
echo "pkcs11:token=$label;object=ed-key;type=private?$query"
echo "pkcs11:token=$label;object=p256-key;type=private?$query"
