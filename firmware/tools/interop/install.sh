#!/usr/bin/env bash
# install.sh: npm ci for the interoperability scripts, only when
# package-lock.json changed since the last install (a stamp in node_modules).
set -euo pipefail
cd "$(dirname "$0")"
# Two tests may call this at once (ctest -j); npm ci empties node_modules
# first, so the second must wait for the first, then find the stamp.
exec 9>.install.lock
flock 9
stamp=node_modules/.installed-lock.sha256
want=$(sha256sum package-lock.json | cut -d' ' -f1)
if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ]; then
  exit 0
fi
npm ci --no-audit --no-fund --loglevel=error
echo "$want" > "$stamp"
