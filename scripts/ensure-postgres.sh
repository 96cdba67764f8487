#!/usr/bin/env bash
# The tests run a real PostgreSQL 15 (server and pg_dump/pg_restore of the same major version).
# Installs Debian's postgresql-15 when it is missing; does nothing when it is there.
set -euo pipefail
PG_BIN="${PG_BIN:-/usr/lib/postgresql/15/bin}"
if [ -x "$PG_BIN/postgres" ] && [ -x "$PG_BIN/pg_dump" ]; then exit 0; fi
echo "PostgreSQL 15 not found in $PG_BIN: installing Debian's postgresql-15" >&2
SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends postgresql-15 postgresql-client-15 >&2
