#!/usr/bin/env bash
# Back up the site's PostgreSQL database: one compressed pg_dump file per run, named
# by date and time, readable only by its owner; files older than BACKUP_KEEP_DAYS are
# deleted. Run it from cron or a systemd timer (docs/deploy.md), then copy the
# directory off the server, encrypted: the dumps hold patients' requests.
#
#   DATABASE_URL=postgres://... BACKUP_DIR=/var/backups/spinesite deploy/backup.sh
set -euo pipefail

: "${DATABASE_URL:?Set DATABASE_URL to the database to back up.}"
backup_dir=${BACKUP_DIR:-/var/backups/spinesite}
keep_days=${BACKUP_KEEP_DAYS:-30}

umask 077
mkdir -p "$backup_dir"
file="$backup_dir/spinesite-$(date -u +%Y%m%dT%H%M%SZ).dump"
# Custom format: compressed, and pg_restore can restore all of it or single tables.
pg_dump --format=custom --no-owner --no-privileges --file="$file.partial" "$DATABASE_URL"
mv "$file.partial" "$file"  # a finished name only for a finished dump
find "$backup_dir" -maxdepth 1 -name 'spinesite-*.dump' -mtime +"$keep_days" -delete
echo "$file"
