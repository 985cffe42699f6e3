# Sourced by the other scripts: where PostgreSQL is, who runs servers, where
# throw-away state lives.
set -euo pipefail

top=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
# the caller's PATH, before PostgreSQL's bindir is put first (tour.sh)
export BROP_USER_PATH=${BROP_USER_PATH:-$PATH}
# where install_brop links the brop command, so it is on the PATH
export BROP_BIN_DIR=${BROP_BIN_DIR:-/usr/local/bin}
# the newest PostgreSQL installed from Debian (one per machine: 15, 17 or 18)
PG_CONFIG=${PG_CONFIG:-$( (ls -d /usr/lib/postgresql/*/bin/pg_config 2>/dev/null || true) | sort -V | tail -n 1)}
[ -x "$PG_CONFIG" ] || PG_CONFIG=$(command -v pg_config || true)
if [ -n "$PG_CONFIG" ]; then
  PG_BINDIR=$("$PG_CONFIG" --bindir)
  PG_PGXS=$(cd "$(dirname "$("$PG_CONFIG" --pgxs)")/../.." && pwd)
  export PATH="$PG_BINDIR:$PATH"
fi

# PostgreSQL refuses to run as root: servers and the tests that start them run
# as the Debian package's "postgres" user, in directories it owns.
if [ "$(id -u)" -eq 0 ]; then
  PG_USER=postgres
  as_pg() { runuser -u "$PG_USER" -- env "PATH=$PATH" "$@"; }
else
  PG_USER=$(id -un)
  as_pg() { "$@"; }
fi

# The server user must read the tree (tests, the CLI binary). When it cannot
# (root's clone under /root, say), the scripts work on a copy of the tree it
# can read, $STAGE_DIR/tree, made by check_tree_readable.
tree_readable() { as_pg test -r "$top/Makefile" -a -x "$top/scripts"; }
STAGE_DIR=${BROP_STAGE_DIR:-/var/tmp/brop-$(printf '%s' "$top" | cksum | cut -d' ' -f1)}

# Throw-away clusters and test output live under the build tree (or its copy).
if [ -n "${BROP_RUN_DIR:-}" ]; then
  RUN_DIR=$BROP_RUN_DIR
elif [ "$(id -u)" -ne 0 ] || tree_readable; then
  RUN_DIR=$top/tmp
else
  RUN_DIR=$STAGE_DIR/tree/tmp
fi

# Make a directory owned by the server user (mode 0700).
pg_dir() {
  mkdir -p "$1"
  [ "$(id -u)" -ne 0 ] || chown "$PG_USER:" "$1"
  chmod 700 "$1"
}

# Makes sure the server user can read the tree: as root, when it cannot,
# copies the tree (without tmp and .git) to $STAGE_DIR/tree and sets top to
# the copy (BROP_STAGE=0: stop with the message instead).
check_tree_readable() {
  tree_readable && return 0
  if [ "$(id -u)" -ne 0 ] || [ "${BROP_STAGE:-1}" = 0 ]; then
    echo "$(basename "$0"): user $PG_USER cannot read $top; clone brop into a directory it can traverse" >&2
    exit 1
  fi
  local tree=$STAGE_DIR/tree
  echo "$(basename "$0"): user $PG_USER cannot read $top; working on a copy it can read, $tree" >&2
  mkdir -p "$STAGE_DIR"
  if [ -L "$STAGE_DIR" ] || [ "$(stat -c %u "$STAGE_DIR")" -ne 0 ]; then
    echo "$(basename "$0"): $STAGE_DIR is not a directory of root's; remove it, or set BROP_STAGE_DIR" >&2
    exit 1
  fi
  mkdir -p "$tree"
  chmod 755 "$STAGE_DIR" "$tree"
  # the copy's tmp (its clusters) stays; everything else is copied anew
  find "$tree" -mindepth 1 -maxdepth 1 ! -name tmp -exec rm -rf {} +
  tar -C "$top" --exclude=./tmp --exclude=./.git -cf - . | tar -C "$tree" -xf -
  find "$tree" -path "$tree/tmp" -prune -o -exec chmod go+rX {} +
  top=$tree
  cd "$top"     # the server user's programs start here
  tree_readable || { echo "$(basename "$0"): user $PG_USER cannot read $tree either" >&2; exit 1; }
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
