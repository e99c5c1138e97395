#!/usr/bin/env bash
# Requests/s and latency of every public page type and of one static file, all
# served by the same `make serve` (gunicorn, 2 gthread workers), with wrk -t2 -c32:
# each page from the page cache, then with the cache bypassed by a session cookie
# (as a logged-in editor, or the first visitor after an edit, gets it).
# Each URL is measured RUNS times (default 3) and each figure is the median of its
# runs, since a shared machine has stalls that one 10-second run can land on; the
# p99 column shows the range of the p99s, so the spread stays in sight.
# Usage: bench/http.sh [PAGE...]   (needs Debian's wrk: apt-get install wrk)
#   PAGE names rows to measure (e.g. "search new-search"); the static file always is.
# Targets, as a share of the static file's rate: every page from the cache >= 1.0,
# its p99 at most a quarter over the static file's in the same run (on two cores
# shared with wrk, a fixed figure measured the machine, and two p99s of equal pages
# differ from run to run); with the cache bypassed, condition and treatment pages >= 0.25,
# the home page, indexes and video pages >= 0.2, a search >= 0.15 (clinician, location
# and glossary pages are held to the indexes' 0.2: the issue names no figure of their own).
# Spanish pages are held to their English pages' targets. "search" repeats one search
# (from the page cache, then from the kept results); "new-search" asks new words each
# time (bench/new_words.lua), so each request really searches.
source "$(dirname "$0")/site.sh"
command -v wrk >/dev/null || { echo "wrk is missing: apt-get install wrk" >&2; exit 1; }

DURATION=${DURATION:-10s}
RUNS=${RUNS:-3}
video=$(curl -sf "$BASE_URL/videos/" | grep -o 'href="/videos/[a-z0-9-]*/"' | head -n1 | cut -d'"' -f2)
treatment=$(curl -sf "$BASE_URL/treatments/" | grep -o 'href="/treatments/[a-z0-9-]*/"' | head -n1 | cut -d'"' -f2)
clinician=$(curl -sf "$BASE_URL/clinicians/" | grep -o 'href="/clinicians/[a-z0-9-]*/"' | head -n1 | cut -d'"' -f2)
location=$(curl -sf "$BASE_URL/locations/" | grep -o 'href="/locations/[a-z0-9-]*/"' | head -n1 | cut -d'"' -f2)
stylesheet=$(curl -sf "$BASE_URL/" | grep -o 'href="/static/[^"]*\.css"' | head -n1 | cut -d'"' -f2)
declare -A pages=(
  [home]=/
  [conditions]=/conditions/
  [condition]=/conditions/failed-back-surgery-syndrome/
  [treatments]=/treatments/
  [treatment]=${treatment:-/treatments/}
  [videos]=/videos/
  [video]=$video
  [clinicians]=/clinicians/
  [clinician]=${clinician:-/clinicians/}
  [locations]=/locations/
  [location]=${location:-/locations/}
  [glossary]=/glossary/
  [search]="/search/?q=slipped+disc"
  [new-search]="/search/?q=slipped+disc+-unseen..."
  [es-home]=/es/
  [es-condition]=/es/conditions/failed-back-surgery-syndrome/
  [contact]=/contact/
  [static]=$stylesheet
)
order=(static condition home conditions treatments treatment videos video clinicians clinician
  locations location glossary search new-search es-home es-condition contact)
for name in "$@"; do
  [ -n "${pages[$name]+set}" ] || { echo "No page named \"$name\"; the pages: ${order[*]}" >&2; exit 2; }
done
[ $# -gt 0 ] && order=(static "$@")

run_wrk() {
  # Prints: requests/s p50_ms p99_ms errors. $2, if given, is one more header;
  # $script, if set, a wrk script that makes each request's path.
  wrk -t2 -c32 -d"$DURATION" --latency -H "Accept-Encoding: gzip, br" ${2:+-H "$2"} \
    ${script:+-s "$script"} "$BASE_URL$1" |
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

# The session cookie names no session: the request misses the page cache and runs
# the view, sessions and auth, as an editor's does.
bypass="Cookie: sessionid=bench-bypasses-the-page-cache"

measure() {
  # Prints: requests/s p50 p99 p99-range errors, medians of RUNS runs of wrk.
  local runs
  runs=$(for _ in $(seq "$RUNS"); do run_wrk "$@"; done)
  printf "%s %s %s %s %s\n" \
    "$(cut -d' ' -f1 <<<"$runs" | median)" "$(cut -d' ' -f2 <<<"$runs" | median)" \
    "$(cut -d' ' -f3 <<<"$runs" | median)" \
    "$(cut -d' ' -f3 <<<"$runs" | sort -g | awk 'NR == 1 { lo = $1 } { hi = $1 } END { print lo "-" hi }')" \
    "$(cut -d' ' -f4 <<<"$runs" | awk '{ n += $1 } END { print n + 0 }')"
}

bypass_target() {
  case $1 in
    condition | treatment) echo 0.25 ;;
    home | conditions | treatments | videos | video | clinicians | clinician | locations | location | glossary) echo 0.2 ;;
    search | new-search) echo 0.15 ;;
    es-home) echo 0.2 ;;
    es-condition) echo 0.25 ;;
    *) echo - ;;
  esac
}

printf "\n%-11s %-40s %9s %7s %7s %6s %-13s | %9s %7s %6s %7s  %-5s %s\n" page path "req/s" "p50 ms" "p99 ms" ratio "p99 range" \
  "bypassed" "p99 ms" ratio target load verdict
status=0
static_rps= static_p99=
for name in "${order[@]}"; do
  script=
  if [ "$name" = new-search ]; then
    # Words never asked before: nothing can come from a cache, so no cached column.
    script=bench/new_words.lua rps=- p50=- p99=- spread=- ratio=- verdict="new words each time"
  else
    read -r rps p50 p99 spread bad <<<"$(measure "${pages[$name]}")"
    static_rps=${static_rps:-$rps} static_p99=${static_p99:-$p99}
    ratio=$(awk -v a="$rps" -v b="$static_rps" 'BEGIN { printf "%.2f", a / b }')
    verdict="cached PASS"; [ "$name" = static ] && verdict="(the reference)"
    if [ "$name" != static ] && awk -v r="$ratio" -v p="$p99" -v s="$static_p99" 'BEGIN { exit !(r < 1 || p > 1.25 * s) }'; then verdict="cached MISS"; status=1; fi
    [ "$bad" != 0 ] && { verdict="cached MISS ($bad errors)"; status=1; }
  fi
  bypassed=- bp99=- bratio=- target=-
  if [ "$name" != static ]; then
    read -r bypassed _ bp99 _ bbad <<<"$(measure "${pages[$name]}" "$bypass")"
    bratio=$(awk -v a="$bypassed" -v b="$static_rps" 'BEGIN { printf "%.2f", a / b }')
    target=$(bypass_target "$name")
    if [ "$target" = - ]; then :
    elif awk -v r="$bratio" -v t="$target" 'BEGIN { exit !(r < t) }'; then verdict="$verdict, bypassed MISS"; status=1
    else verdict="$verdict, bypassed PASS"; fi
    [ "$bbad" != 0 ] && { verdict="$verdict, bypassed MISS ($bbad errors)"; status=1; }
  fi
  printf "%-11s %-40s %9s %7s %7s %6s %-13s | %9s %7s %6s %7s  %-5s %s\n" "$name" "${pages[$name]}" "$rps" "$p50" "$p99" "$ratio" "$spread" \
    "$bypassed" "$bp99" "$bratio" "$target" "$(cut -d' ' -f1 /proc/loadavg)" "$verdict"
done
echo
echo "$(date -u '+%Y-%m-%d %H:%M UTC'), $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg) at the end, gunicorn with $WEB_CONCURRENCY gthread workers, wrk -t2 -c32 -d$DURATION, median of $RUNS runs"
echo "Targets: from the cache, ratio >= 1.0 and p99 <= 1.25 x the static file's ($static_p99 ms); bypassed (session cookie), the ratio in the target column."
exit $status
