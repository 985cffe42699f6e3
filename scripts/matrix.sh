#!/usr/bin/env bash
# `make test-matrix [PG=17|18|15]`: the README's `make test` on each
# PostgreSQL major version brop supports, each on the Debian release that
# ships it (docs/operations.md, "PostgreSQL versions"):
#   15  Debian 12 (bookworm): this machine, `make test` as it is
#   17  Debian 13 (trixie):   a root made with debootstrap under tmp/matrix
#   18  Debian unstable (sid): the same
# A root is made once and reused; one older than a week is made again
# (BROP_MATRIX_REFRESH=1: now). Inside it, `make test` installs what
# scripts/deps.sh lists for that release, builds and runs every suite on a
# copy of this tree. Prints one summary line per version; exits non-zero
# when any fails. Logs: tmp/matrix/<release>.log.
#   BROP_MATRIX_PG (default "17 18"), or `make test-matrix PG=N`: the versions.
#   BROP_MATRIX_MIRROR (default http://deb.debian.org/debian): the archive.
#   BROP_MATRIX_GOAL=bench (`make bench-matrix PG=N`): `make bench` instead,
#   its output in tmp/matrix/<release>.bench.log; no move.
source "$(dirname "$0")/lib.sh"

versions=(${BROP_MATRIX_PG:-17 18})
mirror=${BROP_MATRIX_MIRROR:-http://deb.debian.org/debian}
dir=$top/tmp/matrix
goal=${BROP_MATRIX_GOAL:-test}
case "$goal" in test|bench) ;; *) echo "matrix: BROP_MATRIX_GOAL is test or bench" >&2; exit 1 ;; esac

release_of() {
  case "$1" in
    15) echo bookworm ;;
    17) echo trixie ;;
    18) echo sid ;;
    *) echo "matrix: PostgreSQL $1 is not in the matrix (15, 17, 18); 16 is in no Debian release" >&2; return 1 ;;
  esac
}

[ "$(id -u)" -eq 0 ] || { echo "matrix: debootstrap and chroot need root" >&2; exit 1; }
for v in "${versions[@]}"; do release_of "$v" >/dev/null || exit 1; done

# debootstrap, from Debian's archive like every other package
if ! command -v debootstrap >/dev/null; then
  echo "matrix: installing debootstrap"
  DEBIAN_FRONTEND=noninteractive apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends debootstrap >/dev/null
fi
mkdir -p "$dir"

# release_mounts ROOT: unmounts whatever is mounted under ROOT (a run killed
# before its trap leaves /proc and /dev there; removing the root then would
# remove the machine's /dev)
release_mounts() {
  local m
  for m in $(awk -v r="$1/" 'index($2, r) == 1 { print $2 }' /proc/mounts | sort -r); do
    umount -l "$m" || true
  done
  if awk -v r="$1/" 'index($2, r) == 1 { found = 1 } END { exit !found }' /proc/mounts; then
    echo "matrix: something is still mounted under $1; not touching it" >&2
    return 1
  fi
}

# make_root RELEASE: the root of RELEASE, made or reused
make_root() {
  local release=$1 root=$dir/$1
  release_mounts "$root" || return 1
  [ ! -d "$root.new" ] || release_mounts "$root.new" || return 1
  if [ -f "$root/.brop-root" ] && [ "${BROP_MATRIX_REFRESH:-0}" != 1 ] &&
     [ -z "$(find "$root/.brop-root" -mtime +7)" ]; then
    return 0
  fi
  echo "matrix: making a Debian $release root with debootstrap (log: $dir/$release.debootstrap.log)"
  rm -rf "$root.new"
  if ! debootstrap --variant=minbase --include=make "$release" "$root.new" "$mirror" >"$dir/$release.debootstrap.log" 2>&1; then
    tail -n 5 "$dir/$release.debootstrap.log" >&2
    return 1
  fi
  # sid's Release files may be past their Valid-Until on this archive
  echo 'Acquire::Check-Valid-Until "false";' >"$root.new/etc/apt/apt.conf.d/99brop-matrix"
  # no service starts inside the root (the postgresql package would start its own cluster)
  printf '#!/bin/sh\nexit 101\n' >"$root.new/usr/sbin/policy-rc.d"
  chmod 755 "$root.new/usr/sbin/policy-rc.d"
  rm -rf "$root"
  mv "$root.new" "$root"
  date -u +%FT%TZ >"$root/.brop-root"
}

mounted=()
unmount_all() {
  local i
  for ((i = ${#mounted[@]} - 1; i >= 0; i--)); do umount -l "${mounted[i]}" 2>/dev/null || true; done
  mounted=()
}
trap unmount_all EXIT

mount_root() {
  local root=$1
  mount -t proc proc "$root/proc" && mounted+=("$root/proc")
  mount -t sysfs sysfs "$root/sys" && mounted+=("$root/sys")
  mount --bind /dev "$root/dev" && mounted+=("$root/dev")
  mount -t devpts -o newinstance,ptmxmode=0666 devpts "$root/dev/pts" && mounted+=("$root/dev/pts")
  mount -t tmpfs -o mode=1777 tmpfs "$root/dev/shm" && mounted+=("$root/dev/shm")
  cp -L /etc/resolv.conf "$root/etc/resolv.conf"
}

# the tree as git knows it (tracked and new files, nothing ignored), else without build output
copy_tree() {
  local dest=$1
  rm -rf "$dest"
  mkdir -p "$dest"
  if git -C "$top" rev-parse --git-dir >/dev/null 2>&1; then
    (cd "$top" && git ls-files -co --exclude-standard -z | tar -c --null -T - -f -) | tar -x -C "$dest"
  else
    tar -C "$top" --exclude=./tmp --exclude=./build --exclude=./.git --exclude='*.o' --exclude='*.bc' \
      --exclude='*.so' -c -f - . | tar -x -C "$dest"
  fi
  chmod 755 "$dest"
}

# in_root ROOT [VAR=VALUE...] COMMAND: COMMAND (a shell line) in ROOT's /brop,
# with a clean environment plus the given variables
in_root() {
  local root=$1; shift
  local vars=()
  while [ $# -gt 1 ]; do vars+=("$1"); shift; done
  chroot "$root" /usr/bin/env -i HOME=/root LANG=C.UTF-8 TERM=dumb \
    PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin "${vars[@]}" \
    bash -c "cd /brop && $1"
}

# summary_of LOG: `make test`'s closing summary in LOG (which names each failed test)
summary_of() { sed -n '/^== summary/,$p' "$1"; }

# failure LABEL LOG: counts a failure and shows what failed: that summary,
# else the end of the log
failure() {
  failed=$((failed + 1))
  if grep -q '^== summary' "$2"; then
    summary_of "$2" | head -n 60
  else
    tail -n 30 "$2"
  fi | sed "s/^/  [$1] /"
}

lines=()
failed=0
for v in "${versions[@]}"; do
  release=$(release_of "$v")
  start=$(date +%s)
  log=$dir/$release.log
  [ "$goal" = test ] || log=$dir/$release.$goal.log
  if [ "$release" = bookworm ]; then
    # this machine's own PostgreSQL: the README's command as it is
    echo "== matrix: PostgreSQL $v on this machine (Debian $release)"
    set +e
    make -C "$top" "$goal" >"$log" 2>&1
    rc=$?
    set -e
  else
    echo "== matrix: PostgreSQL $v in a Debian $release root"
    set +e
    make_root "$release" && mount_root "$dir/$release" && copy_tree "$dir/$release/brop" &&
      in_root "$dir/$release" BROP_FUZZ_SECONDS="${BROP_FUZZ_SECONDS:-5}" "make $goal" >"$log" 2>&1
    rc=$?
    set -e
    unmount_all
  fi
  minutes=$(( ($(date +%s) - start + 30) / 60 ))
  summary=$(grep -E '^suites: ' "$log" | tail -n 1 || true)
  if [ "$rc" -eq 0 ] && [ "$goal" = bench ]; then
    lines+=("matrix: PostgreSQL $v (Debian $release): make bench done, its figures in $log ($minutes min)")
  elif [ "$rc" -eq 0 ]; then
    lines+=("matrix: PostgreSQL $v (Debian $release): passed, ${summary:-no summary} ($minutes min)")
  else
    lines+=("matrix: PostgreSQL $v (Debian $release): FAILED (exit $rc), ${summary:-no summary}; log $log ($minutes min)")
    # and what failed, from `make test`'s summary, under the line
    while IFS= read -r l; do lines+=("  $l"); done < <(summary_of "$log" |
      grep -E 'failed:$|Failed test|Looks like your test|^ *tap: |^ *not ok|error running SQL' | head -n 6)
    failure "$release" "$log"
  fi
done

# A node moved from this machine's PostgreSQL 15 to each newer version that
# passed, with pg_dump and pg_restore (test/t/014_major_upgrade.pl: dumped
# here, restored and checked in the root). pg_upgrade cannot run here: no
# Debian release ships two of these versions (docs/operations.md).
moves=()
for v in "${versions[@]}"; do
  [ "$goal" = test ] || break
  release=$(release_of "$v")
  [ "$release" != bookworm ] || continue
  printf '%s\n' "${lines[@]}" | grep -q "^matrix: PostgreSQL $v .*: passed" || continue
  root=$dir/$release
  share=$root/var/tmp/brop-major
  log=$dir/$release.move.log
  echo "== matrix: a node moved from PostgreSQL 15 (this machine) to $v (Debian $release)"
  set +e
  mount_root "$root"
  (
    set -e
    make -C "$top" -s all
    install_brop
    rm -rf "$share"; mkdir -p "$share"; chown "$PG_USER:" "$share"
    echo "-- dump, on this machine"
    BROP_MAJOR_UPGRADE=dump:$share BROP_TAP_DIR=$RUN_DIR/tap-move "$top/scripts/tap.sh" test/t/014_major_upgrade.pl
    echo "-- restore, in the root"
    in_root "$root" BROP_MAJOR_UPGRADE=restore:/var/tmp/brop-major "scripts/tap.sh test/t/014_major_upgrade.pl"
  ) >"$log" 2>&1
  rc=$?
  set -e
  unmount_all
  tests=$(awk -F'Tests=' '/^Files=/ { split($2, a, ","); t += a[1] } END { print t + 0 }' "$log")
  if [ "$rc" -eq 0 ]; then
    moves+=("matrix: a node moved 15 -> $v with pg_dump and pg_restore, adopted: passed (${tests:-?} tests)")
  else
    moves+=("matrix: a node moved 15 -> $v: FAILED (exit $rc); log $log")
    failure "move $v" "$log"
  fi
done

echo
echo "== matrix summary"
printf '%s\n' "${lines[@]}" "${moves[@]}"
echo "matrix: $(( ${#versions[@]} + ${#moves[@]} - failed )) passed, $failed failed"
[ "$failed" -eq 0 ]
