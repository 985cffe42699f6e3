#!/usr/bin/env bash
# Throw-away PostgreSQL cluster for the demo and manual work.
#   scripts/cluster.sh start [NAME]   init (once) and start; prints nothing else
#   scripts/cluster.sh stop  [NAME]
#   scripts/cluster.sh remove NAME    stop, and delete the cluster and its keys
#   scripts/cluster.sh env   [NAME]   prints PGHOST/PGPORT/PGUSER exports
#   scripts/cluster.sh psql  [NAME] [psql args]
#   scripts/cluster.sh set   NAME 'key = value'...   settings for the next
#                                   start (brop.* ones too, which ALTER SYSTEM
#                                   refuses while the library is not preloaded)
# The server listens on a unix socket only, under tmp/NAME, with
# wal_level=logical, a root key for brop's keyring and a salt key for
# registered rows.
source "$(dirname "$0")/lib.sh"

cmd=${1:-}; name=${2:-demo}
shift $(( $# < 2 ? $# : 2 ))
dir=$RUN_DIR/$name
data=$dir/data
# One port per cluster name, so several can run side by side.
port=$(( 54300 + $(printf '%s' "$name" | cksum | cut -d' ' -f1) % 500 ))

start() {
  pg_dir "$RUN_DIR"
  pg_dir "$dir"
  if [ ! -f "$data/PG_VERSION" ]; then
    as_pg initdb -D "$data" -U postgres -A trust --no-sync >"$dir/initdb.log"
    make_root_key "$dir/root.key"
    make_root_key "$dir/salt.key"
    {
      echo "listen_addresses = ''"
      echo "unix_socket_directories = '$dir'"
      echo "port = $port"
      echo "wal_level = logical"
      echo "max_replication_slots = 10"
      echo "max_wal_senders = 10"
      echo "fsync = off"
      echo "brop.root_key_file = '$dir/root.key'"
      echo "brop.salt_key_file = '$dir/salt.key'"
      if pg_has_output_plugin_libraries; then
        echo "output_plugin_libraries = 'pgoutput, test_decoding, brop, wal2json'"
      fi
    } >>"$data/postgresql.conf"
  fi
  # a cluster made before these settings were: add them
  if ! grep -q '^brop.salt_key_file' "$data/postgresql.conf"; then
    [ -f "$dir/salt.key" ] || make_root_key "$dir/salt.key"
    echo "brop.salt_key_file = '$dir/salt.key'" >>"$data/postgresql.conf"
  fi
  if pg_has_output_plugin_libraries && ! grep -q '^output_plugin_libraries' "$data/postgresql.conf"; then
    echo "output_plugin_libraries = 'pgoutput, test_decoding, brop, wal2json'" >>"$data/postgresql.conf"
  fi
  if ! as_pg pg_ctl -D "$data" status >/dev/null 2>&1; then
    as_pg pg_ctl -D "$data" -l "$dir/server.log" -w start >/dev/null
  fi
}

# a fast stop waits for walsenders' clients; if that takes over a minute, an
# immediate stop ends every process of the cluster anyway
stop() {
  if [ -f "$data/postmaster.pid" ]; then
    as_pg pg_ctl -D "$data" -m fast -w -t 60 stop >/dev/null ||
      as_pg pg_ctl -D "$data" -m immediate -w -t 60 stop >/dev/null || true
  fi
}

# set 'key = value'...: replaces each key's line in postgresql.conf
set_conf() {
  local line key
  for line in "$@"; do
    key=${line%%=*}; key=${key// /}
    # (postgresql.auto.conf, from ALTER SYSTEM, would override it)
    sed -i "/^${key//./\\.}[ =]/d" "$data/postgresql.conf" "$data/postgresql.auto.conf"
    echo "$line" >>"$data/postgresql.conf"
  done
}

case "$cmd" in
  start) start ;;
  set) start; set_conf "$@" ;;
  stop) stop ;;
  restart) stop; start ;;
  remove) stop; rm -rf "$dir" ;;
  env) printf 'export PGHOST=%q PGPORT=%s PGUSER=postgres\n' "$dir" "$port" ;;
  psql) PGHOST=$dir PGPORT=$port as_pg psql -U postgres -X "$@" ;;
  *) echo "usage: $0 start|stop|restart|remove|env|psql|set [NAME]" >&2; exit 2 ;;
esac
