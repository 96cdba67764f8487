#!/usr/bin/env bash
# The tests run a real PostgreSQL 15 (server and pg_dump/pg_restore of the same major version) and
# the control plane's pgTAP files (postgresql-15-pgtap). Installs Debian's packages when they are
# missing; does nothing when they are there.
set -euo pipefail
PG_BIN="${PG_BIN:-/usr/lib/postgresql/15/bin}"
PG_SHARE="${PG_SHARE:-/usr/share/postgresql/15}"
if [ -x "$PG_BIN/postgres" ] && [ -x "$PG_BIN/pg_dump" ] && [ -f "$PG_SHARE/extension/pgtap.control" ]; then
  exit 0
fi
echo "PostgreSQL 15 or pgTAP not found: installing Debian's postgresql-15 and postgresql-15-pgtap" >&2
SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends \
  postgresql-15 postgresql-client-15 postgresql-15-pgtap >&2
