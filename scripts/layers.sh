#!/usr/bin/env bash
# The arrows between brop's parts, checked at every build (Makefile) and by
# `make test` (scripts/test.sh runs --self-test). docs/architecture.md draws
# them.
#
#   scripts/layers.sh [--objects] [ROOT]   check the tree at ROOT (default: here)
#   scripts/layers.sh --self-test          a bad include must fail the check
#
# The rules:
# - src/core includes only its own headers and the system's: nothing of
#   PostgreSQL (it also runs in the CLI), of src/pg or of src/cli.
# - src/pg and src/cli have one folder per module, each with ONE header, its
#   interface. A module's files include (as "module/header.h") only their
#   own module's header and the headers of the modules below it (LAYERS
#   below, the one place that says the order). src/pg/module.c and
#   src/cli/main.c are above every module.
# - With --objects, the same for calls: an object file of a module uses no
#   function or variable defined by a module not below it (the compiled
#   objects must be there: the Makefile runs it after linking).
set -euo pipefail

# module: the modules it may use (what they use, it may not use unless listed)
PG_LAYERS=(
  "compat:"
  "common:compat"
  "types:common compat"
  "keyring:types common compat"
  "ledger:keyring types common compat"
  "registration:ledger keyring types common compat"
  "decoding:registration ledger keyring types common compat"
  "credential:ledger keyring types common compat"
  "consortium:ledger keyring types common compat"
)
CLI_LAYERS=(
  "common:"
  "tools:common"
  "verify:common"
  "wallet:verify common"
  "relay:common"
)

# the module list alone, for the Makefile: scripts/layers.sh --modules pg|cli
if [ "${1:-}" = "--modules" ]; then
  if [ "$2" = pg ]; then layers=("${PG_LAYERS[@]}"); else layers=("${CLI_LAYERS[@]}"); fi
  for l in "${layers[@]}"; do printf '%s ' "${l%%:*}"; done
  echo
  exit 0
fi

self_test() {
  local top tmp rc
  top=$(cd "$(dirname "$0")/.." && pwd)
  tmp=$(mktemp -d)
  trap 'rm -rf "$tmp"' RETURN
  tar -C "$top" -cf - --exclude='*.o' --exclude='*.bc' src | tar -C "$tmp" -xf -
  "$0" "$tmp" >/dev/null || { echo "layers self-test: the tree itself fails" >&2; return 1; }
  bad() {
    # bad FILE LINE: the check must fail once LINE is in FILE
    cp "$tmp/$1" "$tmp/$1.orig"
    printf '%s\n' "$2" >>"$tmp/$1"
    if "$0" "$tmp" >/dev/null 2>&1; then
      echo "layers self-test: not refused: $2 in $1" >&2; rc=1
    fi
    mv "$tmp/$1.orig" "$tmp/$1"
  }
  rc=0
  bad src/pg/types/did.c '#include "ledger/ledger.h"'                  # an arrow up
  bad src/pg/ledger/seal.c '#include "registration/registration.h"'   # an arrow up
  bad src/pg/decoding/plugin.c '#include "credential/credential.h"'   # sideways
  bad src/core/jcs.c '#include "postgres.h"'                          # the core and PostgreSQL
  bad src/core/jcs.c '#include "common/brop_pg.h"'                    # the core and the glue
  bad src/cli/relay/relay_util.c '#include "wallet/wallet.h"'         # sideways in the CLI
  touch "$tmp/src/pg/keyring/second.h"                                # a second header
  if "$0" "$tmp" >/dev/null 2>&1; then echo "layers self-test: a second header not refused" >&2; rc=1; fi
  rm "$tmp/src/pg/keyring/second.h"
  [ "$rc" -ne 0 ] || echo "layers self-test: 7 passed, 0 failed"
  return "$rc"
}

if [ "${1:-}" = "--self-test" ]; then
  self_test
  exit $?
fi

objects=false
if [ "${1:-}" = "--objects" ]; then objects=true; shift; fi
root=${1:-$(cd "$(dirname "$0")/.." && pwd)}
errors=0
fail() { echo "layers: $*" >&2; errors=$((errors + 1)); }

# quoted includes of a file, one a line
includes() { sed -n 's/^[[:space:]]*#[[:space:]]*include[[:space:]]*"\([^"]*\)".*/\1/p' "$1"; }

# ---- the core ----------------------------------------------------------------
for f in "$root"/src/core/*.[ch]; do
  while read -r inc; do
    [ -f "$root/src/core/$inc" ] || fail "$f includes \"$inc\": the core includes only its own headers"
  done < <(includes "$f")
  if grep -Eq '^[[:space:]]*#[[:space:]]*include[[:space:]]*<(postgres|postgres_fe|fmgr|libpq-fe|pg_config)\.h>' "$f"; then
    fail "$f includes a PostgreSQL header"
  fi
done

# ---- src/pg and src/cli ----------------------------------------------------------
check_part() {
  # check_part DIR TOP_FILE LAYERS...
  local dir=$1 topfile=$2; shift 2
  local -A allowed=() header=()
  local l m h
  for l in "$@"; do
    m=${l%%:*}
    allowed[$m]="$m ${l#*:}"
  done
  for d in "$dir"/*/; do
    m=$(basename "$d")
    [ -n "${allowed[$m]+x}" ] || { fail "$d is not a module of scripts/layers.sh"; continue; }
    mapfile -t hs < <(cd "$d" && ls -- *.h 2>/dev/null)
    if [ "${#hs[@]}" -ne 1 ]; then
      fail "$d has ${#hs[@]} headers (${hs[*]:-none}): a module has one header, its interface"
    else
      header[$m]=${hs[0]}
    fi
  done
  for f in "$dir"/*.[ch] "$dir"/*/*.[ch]; do
    [ -e "$f" ] || continue
    local rel=${f#"$dir"/} own=""
    [[ $rel == */* ]] && own=${rel%%/*}
    while read -r inc; do
      local im=""
      if [[ $inc == */* ]] && [ -e "$dir/$inc" ]; then
        im=${inc%%/*}
        [ "$inc" = "$im/${header[$im]:-}" ] ||
          fail "$f includes \"$inc\": only a module's header is included"
      elif [ -e "$dir/$inc" ] || { [ -n "$own" ] && [ -e "$dir/$own/$inc" ]; }; then
        fail "$f includes \"$inc\": name a module's header as \"module/header.h\""
        continue
      else
        continue			# PostgreSQL's, the core's or the system's
      fi
      [ "$f" = "$dir/$topfile" ] && continue
      [[ " ${allowed[$own]:-} " == *" $im "* ]] ||
        fail "$f (module $own) includes \"$inc\": module $im is not below $own"
    done < <(includes "$f")
  done
}
check_part "$root/src/pg" module.c "${PG_LAYERS[@]}"
check_part "$root/src/cli" main.c "${CLI_LAYERS[@]}"

# ---- calls between the modules' objects ----------------------------------------
check_objects() {
  # check_objects OBJDIR TOP_OBJ LAYERS...: OBJDIR/module/*.o
  local dir=$1 top=$2; shift 2
  local -A allowed=() owner=()
  local l m o s
  for l in "$@"; do
    m=${l%%:*}
    allowed[$m]="$m ${l#*:}"
  done
  for o in "$dir"/*/*.o; do
    [ -e "$o" ] || continue
    m=$(basename "$(dirname "$o")")
    while read -r s; do owner[$s]=$m; done < <(nm --defined-only "$o" | awk '$2 ~ /^[TDBRC]$/ {print $3}')
  done
  for o in "$dir"/*/*.o; do
    [ -e "$o" ] || continue
    m=$(basename "$(dirname "$o")")
    while read -r s; do
      local d=${owner[$s]:-}
      [ -n "$d" ] || continue
      [[ " ${allowed[$m]} " == *" $d "* ]] ||
        fail "$o (module $m) uses $s of module $d, which is not below $m"
    done < <(nm -u "$o" | awk '{print $2}')
  done
}
if $objects; then
  check_objects "$root/src/pg" module.o "${PG_LAYERS[@]}"
  check_objects "$root/build/cli" main.o "${CLI_LAYERS[@]}"
fi

if [ "$errors" -ne 0 ]; then
  echo "layers: $errors arrows against docs/architecture.md's order (scripts/layers.sh)" >&2
  exit 1
fi
