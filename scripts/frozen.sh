#!/usr/bin/env bash
# The SQL scripts of released versions never change (docs/releasing.md):
# each one's SHA-256 is recorded in scripts/released.sha256 when its version
# is tagged, and must match it, and the tag's copy when the tag is present
# (a shallow clone or a tarball has no tags). A schema change goes into an
# upgrade script (brop--1.0--1.1.sql, ...) instead.
set -euo pipefail
top=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$top"
bad=0
checked=0
while read -r sum file; do
  [ -n "$sum" ] || continue
  version=${file%.sql}; version=${version##*--}    # brop--1.0.sql: 1.0; brop--1.0--1.1.sql: 1.1
  hint="$file is released (v$version) and must not change: put the change in an upgrade script (brop--<old>--<new>.sql, up to brop.control's default_version) instead, and restore it with: git checkout v$version -- $file"
  if [ ! -f "$file" ]; then
    echo "frozen: $file is missing; $hint" >&2; bad=1; continue
  fi
  if [ "$(sha256sum "$file" | cut -d' ' -f1)" != "$sum" ]; then
    echo "frozen: $file differs from the released one (SHA-256 recorded in scripts/released.sha256); $hint" >&2
    bad=1
  elif git rev-parse -q --verify "refs/tags/v$version" >/dev/null 2>&1 &&
       ! git show "v$version:$file" | cmp -s - "$file"; then
    echo "frozen: $file differs from tag v$version's; $hint" >&2
    bad=1
  fi
  checked=$((checked + 1))
done <scripts/released.sha256
[ "$bad" -eq 0 ] || exit 1
echo "frozen: $checked released SQL script(s) unchanged"
