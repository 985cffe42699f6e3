#!/usr/bin/env bash
# Runs README.md's tour ("A five-minute tour") as written, after `make demo`
# (demo.sh calls it last): its ```sh blocks in one bash, as a user types them
# (the PATH the user has, plus where `brop` was linked; psql's stdin empty),
# its ```sql blocks through psql into brop_demo. Any failing step fails it.
source "$(dirname "$0")/lib.sh"

script=$(awk '
  /^## A five-minute tour/ { on = 1; next }
  on && /^## /             { exit }
  on && /^```sh$/          { mode = "sh"; next }
  on && /^```sql$/         { mode = "sql"; print "psql -X -q -v ON_ERROR_STOP=1 -d brop_demo <<'"'"'BROP_TOUR_SQL'"'"'"; next }
  on && /^```/ && mode     { if (mode == "sql") print "BROP_TOUR_SQL"; mode = ""; next }
  mode                     { print }
' "$top/README.md")
[ -n "$script" ] || { echo "tour: no tour found in $top/README.md" >&2; exit 1; }

# the user's PATH (not lib.sh's, which puts PostgreSQL's bindir first)
path=$BROP_USER_PATH
if [ -e "$BROP_BIN_DIR/brop" ]; then
  case ":$path:" in *":$BROP_BIN_DIR:"*) ;; *) path=$BROP_BIN_DIR:$path ;; esac
else
  path=$PG_BINDIR:$path     # as install_brop told the user to do
fi
(PATH=$path; command -v psql >/dev/null) || path=$path:$PG_BINDIR
log=$RUN_DIR/demo/tour.log
mkdir -p "$RUN_DIR/demo"
if ! (cd "$top" && env PATH="$path" bash -euo pipefail -c "$script" </dev/null >"$log" 2>&1); then
  echo "tour: README.md's tour failed; its output ($log):" >&2
  tail -n 20 "$log" >&2
  exit 1
fi
# the results the tour shows as "--  VALUE" lines are the ones it printed
while read -r want; do
  grep -qF -- "$want" "$log" || { echo "tour: README.md's tour shows \"$want\", which it did not print ($log)" >&2; exit 1; }
done < <(sed -n '/^## A five-minute tour/,/^## [^A]/p' "$top/README.md" | sed -n 's/^--  *\([^ ].*\)$/\1/p')
echo "tour: README.md's tour runs as written ($(grep -c . <<<"$script") lines)"
