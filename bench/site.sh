# Sourced by the bench scripts: serve the site with `make serve` on a scratch
# database loaded with the sample content, and stop everything on exit.
#   BENCH_PORT (default 8000)   where gunicorn listens
#   WEB_CONCURRENCY (default 2) gunicorn workers, as in the issue's reference figures
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

BENCH_PORT=${BENCH_PORT:-8000}
BASE_URL="http://127.0.0.1:${BENCH_PORT}"
server_url=${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/spinesite}
export DATABASE_URL="${server_url%/*}/${SCRATCH_DB:-spinesite_bench_http}"
export WEB_CONCURRENCY=${WEB_CONCURRENCY:-2}
export GUNICORN_BIND="127.0.0.1:${BENCH_PORT}"
export LOG_LEVEL=WARNING
scratch_db=${DATABASE_URL##*/}
serve_log=$(mktemp)

drop_scratch_db() {
  PGOPTIONS="--client-min-messages=warning" psql "${server_url%/*}/postgres" -qc "DROP DATABASE IF EXISTS \"$scratch_db\" WITH (FORCE)" >/dev/null
}

stop_site() {
  if [ -n "${serve_pid:-}" ]; then
    kill -TERM -- "-$serve_pid" 2>/dev/null || true
    wait "$serve_pid" 2>/dev/null || true
  fi
  drop_scratch_db || true
  rm -f "$serve_log"
}

if curl -s -o /dev/null "$BASE_URL/"; then
  echo "Something already answers on $BASE_URL; stop it or set BENCH_PORT." >&2
  exit 1
fi

drop_scratch_db
trap stop_site EXIT
echo "Starting the site with 'make serve' on $BASE_URL (scratch database $scratch_db)..."
setsid make serve >"$serve_log" 2>&1 &
serve_pid=$!
for _ in $(seq 180); do
  if curl -sf -o /dev/null "$BASE_URL/healthz"; then break; fi
  if ! kill -0 "$serve_pid" 2>/dev/null; then cat "$serve_log" >&2; echo "make serve failed" >&2; exit 1; fi
  sleep 1
done
curl -sf -o /dev/null "$BASE_URL/healthz" || { cat "$serve_log" >&2; echo "site did not start" >&2; exit 1; }
