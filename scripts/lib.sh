# Sourced by the other scripts: where PostgreSQL is, who runs servers, where
# throw-away state lives.
set -euo pipefail

top=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
# the caller's PATH, before PostgreSQL's bindir is put first (tour.sh)
export BROP_USER_PATH=${BROP_USER_PATH:-$PATH}
# where install_brop links the brop command, so it is on the PATH
export BROP_BIN_DIR=${BROP_BIN_DIR:-/usr/local/bin}
PG_CONFIG=${PG_CONFIG:-/usr/lib/postgresql/15/bin/pg_config}
[ -x "$PG_CONFIG" ] || PG_CONFIG=$(command -v pg_config || true)
if [ -n "$PG_CONFIG" ]; then
  PG_BINDIR=$("$PG_CONFIG" --bindir)
  PG_PGXS=$(cd "$(dirname "$("$PG_CONFIG" --pgxs)")/../.." && pwd)
  export PATH="$PG_BINDIR:$PATH"
fi

# Throw-away clusters and test output live under the build tree.
RUN_DIR=${BROP_RUN_DIR:-$top/tmp}

# PostgreSQL refuses to run as root: servers and the tests that start them run
# as the Debian package's "postgres" user, in directories it owns.
if [ "$(id -u)" -eq 0 ]; then
  PG_USER=postgres
  as_pg() { runuser -u "$PG_USER" -- env "PATH=$PATH" "$@"; }
else
  PG_USER=$(id -un)
  as_pg() { "$@"; }
fi

# Make a directory owned by the server user (mode 0700).
pg_dir() {
  mkdir -p "$1"
  [ "$(id -u)" -ne 0 ] || chown "$PG_USER:" "$1"
  chmod 700 "$1"
}

# The server user must be able to read the tree (tests, the CLI binary).
check_tree_readable() {
  if ! as_pg test -r "$top/Makefile" -a -x "$top/scripts"; then
    echo "$(basename "$0"): user $PG_USER cannot read $top; clone brop into a directory it can traverse" >&2
    exit 1
  fi
}

# Install brop.so, the SQL files and the CLI (sudo when not root).
install_brop() {
  local sudo=()
  if [ "$(id -u)" -ne 0 ] && [ ! -w "$("$PG_CONFIG" --pkglibdir)" ]; then sudo=(sudo); fi
  "${sudo[@]}" make -C "$top" -s install >/dev/null
  # brop on the PATH: a link in $BROP_BIN_DIR (root), or say what to add
  if [ -w "$BROP_BIN_DIR" ]; then
    ln -sfn "$PG_BINDIR/brop" "$BROP_BIN_DIR/brop"
  elif [ "$(readlink "$BROP_BIN_DIR/brop" 2>/dev/null)" != "$PG_BINDIR/brop" ]; then
    echo "$(basename "$0"): brop is in $PG_BINDIR; put it on your PATH: export PATH=\"$PG_BINDIR:\$PATH\"" >&2
  fi
}

# Write a fresh 32-byte root key as hex, mode 0600, owned by the server user.
make_root_key() {
  local f=$1
  [ -s "$f" ] && return 0
  (umask 077; od -An -tx1 -N32 /dev/urandom | tr -d ' \n' >"$f"; echo >>"$f")
  [ "$(id -u)" -ne 0 ] || chown "$PG_USER:" "$f"
}

# True when this server knows output_plugin_libraries (15.19 and later).
pg_has_output_plugin_libraries() {
  # grep reads everything: with pipefail, grep -q's early exit would fail the pipe
  "$PG_BINDIR/postgres" --describe-config 2>/dev/null | grep '^output_plugin_libraries' >/dev/null
}
