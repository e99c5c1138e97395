#!/usr/bin/env bash
# Prove that a backup restores: load the dump into a scratch database, list every
# table with its row count, then drop the scratch database. Run it monthly, and on
# a copy of the newest dump after any change to backups (docs/deploy.md).
#
#   ADMIN_DATABASE_URL=postgres://postgres@backup-host:5432/postgres \
#     deploy/restore-check.sh /var/backups/spinesite/spinesite-20250101T020000Z.dump
#
# ADMIN_DATABASE_URL: a role that may create databases, ideally on a server other
# than production's. RESTORE_DB_NAME (default spinesite_restore_check) is dropped and
# created again, so never point it at a database you want to keep.
set -euo pipefail

dump=${1:?Usage: restore-check.sh DUMP_FILE}
: "${ADMIN_DATABASE_URL:?Set ADMIN_DATABASE_URL (a role that may create databases).}"
name=${RESTORE_DB_NAME:-spinesite_restore_check}
[[ $name =~ ^[a-z0-9_]+$ ]] || { echo "RESTORE_DB_NAME must be lowercase letters, digits and _." >&2; exit 2; }

base=${ADMIN_DATABASE_URL%%\?*}
query=${ADMIN_DATABASE_URL#"$base"}
restore_url="${base%/*}/$name$query"

psql --quiet --no-psqlrc "$ADMIN_DATABASE_URL" -c "DROP DATABASE IF EXISTS $name" -c "CREATE DATABASE $name"
trap 'psql --quiet --no-psqlrc "$ADMIN_DATABASE_URL" -c "DROP DATABASE IF EXISTS $name"' EXIT

pg_restore --exit-on-error --no-owner --no-privileges --dbname="$restore_url" "$dump"

echo "Restored $dump into $name. Rows per table:"
psql --no-psqlrc --tuples-only --no-align --field-separator=' ' "$restore_url" -c "
  SELECT table_name,
         (xpath('/row/c/text()', query_to_xml(
             format('SELECT count(*) AS c FROM %I.%I', table_schema, table_name),
             false, true, '')))[1]::text::int
  FROM information_schema.tables
  WHERE table_schema = 'public' AND table_type = 'BASE TABLE'
  ORDER BY table_name"
migrations=$(psql --no-psqlrc --tuples-only --no-align "$restore_url" -c "SELECT count(*) FROM django_migrations")
if [[ $migrations -eq 0 ]]; then
  echo "Restore check FAILED: no migrations recorded; this is not the site's database." >&2
  exit 1
fi
echo "Restore check passed: $migrations migrations recorded."
