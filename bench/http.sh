#!/usr/bin/env bash
# Requests/s and latency of every public page type and of one static file, all
# served by the same `make serve` (gunicorn, 2 gthread workers), with wrk -t2 -c32.
# Each URL is measured RUNS times (default 3) and each figure is the median of its
# runs, since a shared machine has stalls that one 10-second run can land on; the
# last column shows the range of the p99s, so the spread stays in sight.
# Usage: bench/http.sh        (needs Debian's wrk: apt-get install wrk)
# Targets: condition detail >= 0.5 x the static file's rate, other pages >= 0.3,
# p99 under 25 ms.
source "$(dirname "$0")/site.sh"
command -v wrk >/dev/null || { echo "wrk is missing: apt-get install wrk" >&2; exit 1; }

DURATION=${DURATION:-10s}
RUNS=${RUNS:-3}
video=$(curl -sf "$BASE_URL/videos/" | grep -o 'href="/videos/[a-z0-9-]*/"' | head -n1 | cut -d'"' -f2)
treatment=$(curl -sf "$BASE_URL/treatments/" | grep -o 'href="/treatments/[a-z0-9-]*/"' | head -n1 | cut -d'"' -f2)
stylesheet=$(curl -sf "$BASE_URL/" | grep -o 'href="/static/[^"]*\.css"' | head -n1 | cut -d'"' -f2)
declare -A pages=(
  [home]=/
  [conditions]=/conditions/
  [condition]=/conditions/failed-back-surgery-syndrome/
  [treatments]=/treatments/
  [treatment]=${treatment:-/treatments/}
  [videos]=/videos/
  [video]=$video
  [search]="/search/?q=slipped+disc"
  [contact]=/contact/
  [static]=$stylesheet
)
order=(static condition home conditions treatments treatment videos video search contact)

run_wrk() {
  # Prints: requests/s p50_ms p99_ms
  wrk -t2 -c32 -d"$DURATION" --latency -H "Accept-Encoding: gzip, br" "$BASE_URL$1" |
    awk '
      function ms(v) { if (v ~ /us$/) return v / 1000; if (v ~ /ms$/) return v + 0; if (v ~ /s$/) return v * 1000; return v }
      /^ +50%/ { p50 = ms($2) } /^ +99%/ { p99 = ms($2) }
      /^Requests\/sec/ { rps = $2 }
      /Non-2xx or 3xx/ { bad = $NF }
      END { printf "%s %.2f %.2f %s\n", rps, p50, p99, (bad ? bad : 0) }'
}

echo "Warming up..."
for name in "${order[@]}"; do wrk -t2 -c8 -d2s "$BASE_URL${pages[$name]}" >/dev/null; done

median() { sort -g | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }

printf "\n%-11s %-42s %9s %8s %8s %7s  %-13s\n" page path "req/s" "p50 ms" "p99 ms" ratio "p99 range"
status=0
static_rps=
for name in "${order[@]}"; do
  runs=$(for _ in $(seq "$RUNS"); do run_wrk "${pages[$name]}"; done)
  rps=$(cut -d' ' -f1 <<<"$runs" | median)
  p50=$(cut -d' ' -f2 <<<"$runs" | median)
  p99=$(cut -d' ' -f3 <<<"$runs" | median)
  spread=$(cut -d' ' -f3 <<<"$runs" | sort -g | awk 'NR == 1 { lo = $1 } { hi = $1 } END { print lo "-" hi }')
  bad=$(cut -d' ' -f4 <<<"$runs" | awk '{ n += $1 } END { print n + 0 }')
  static_rps=${static_rps:-$rps}
  ratio=$(awk -v a="$rps" -v b="$static_rps" 'BEGIN { printf "%.2f", a / b }')
  target=0.3; [ "$name" = condition ] && target=0.5; [ "$name" = static ] && target=1
  verdict=ok
  if awk -v r="$ratio" -v t="$target" -v p="$p99" 'BEGIN { exit !(r < t || p >= 25) }'; then verdict=MISS; status=1; fi
  [ "$bad" != 0 ] && { verdict="MISS ($bad errors)"; status=1; }
  printf "%-11s %-42s %9s %8s %8s %7s  %-13s %s\n" "$name" "${pages[$name]}" "$rps" "$p50" "$p99" "$ratio" "$spread" "$verdict"
done
echo
echo "$(nproc) cores, gunicorn with $WEB_CONCURRENCY gthread workers, wrk -t2 -c32 -d$DURATION, median of $RUNS runs"
exit $status
