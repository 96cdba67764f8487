#!/usr/bin/env bash
# `supabase test db` without the Supabase CLI or Docker: the pgTAP files of supabase/tests run with
# pg_prove, recursively, exactly as the CLI runs them, on a throw-away local control plane (PostgreSQL 15,
# the Supabase shim, every migration, no seed). Installs pg_prove (Debian's
# libtap-parser-sourcehandler-pgtap-perl) when missing; pgTAP itself comes with scripts/ensure-postgres.sh.
set -euo pipefail
cd "$(dirname "$0")/.."
if ! command -v pg_prove >/dev/null; then
  echo "pg_prove not found: installing Debian's libtap-parser-sourcehandler-pgtap-perl" >&2
  SUDO=""
  if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends \
    libtap-parser-sourcehandler-pgtap-perl >&2
fi
# As root the server runs as postgres, which must reach the directory: /var/tmp, not a private home.
dir="$(mktemp -d /var/tmp/odooops-test-db.XXXXXX)"
chmod 755 "$dir"
cleanup() {
  node bin/odooops.js control-plane down --dir "$dir/cp" >/dev/null || true
  rm -rf "$dir"
}
trap cleanup EXIT
url="$(node bin/odooops.js control-plane up --dir "$dir/cp" --no-seed | sed -n 's/^export ODOOOPS_CONTROL_PLANE_URL=//p')"
pg_prove --ext .sql -r -d "$url" supabase/tests
