#!/usr/bin/env bash
# Lighthouse (from the npm registry) with Debian's Chromium, mobile settings, on the
# home, conditions index, a condition page, treatments index, a treatment page, a video
# page, the contact page and the Spanish condition page.
# Usage: bench/lighthouse.sh [path ...]   (default: all of the above)
# Target: 100 in all four categories for each page.
source "$(dirname "$0")/site.sh"

LIGHTHOUSE_DIR=${LIGHTHOUSE_DIR:-.bench-tools}
CHROME_PATH=${CHROME_PATH:-/usr/bin/chromium}
export CHROME_PATH
if [ ! -x "$LIGHTHOUSE_DIR/node_modules/.bin/lighthouse" ]; then
  echo "Installing Lighthouse into $LIGHTHOUSE_DIR/ ..."
  npm install --silent --no-audit --no-fund --prefix "$LIGHTHOUSE_DIR" lighthouse@12 >/dev/null
fi

video=$(curl -sf "$BASE_URL/videos/" | grep -o 'href="/videos/[a-z0-9-]*/"' | head -n1 | cut -d'"' -f2)
pages=(/ /conditions/ /conditions/failed-back-surgery-syndrome/ /treatments/
  /treatments/spinal-cord-stimulation/ "$video" /contact/
  /es/conditions/failed-back-surgery-syndrome/)
if [ $# -gt 0 ]; then pages=("$@"); fi
report_dir=$(mktemp -d)
status=0
printf "\n%-44s %12s %14s %15s %5s\n" page performance accessibility "best-practices" seo
for path in "${pages[@]}"; do
  "$LIGHTHOUSE_DIR/node_modules/.bin/lighthouse" "$BASE_URL$path" --quiet \
    --form-factor=mobile --only-categories=performance,accessibility,best-practices,seo \
    --chrome-flags="--headless=new --no-sandbox --disable-gpu --disable-background-networking --disable-component-update --disable-sync --no-first-run" \
    --output=json --output-path="$report_dir/report.json" >/dev/null 2>&1 || true
  if ! line=$(python3 - "$report_dir/report.json" "$path" <<'PY'
import json, sys
report = json.load(open(sys.argv[1]))
scores = [report["categories"][c]["score"] for c in ("performance", "accessibility", "best-practices", "seo")]
shown = ["--" if s is None else str(round(s * 100)) for s in scores]
print("%-44s %12s %14s %15s %5s" % (sys.argv[2], *shown))
for audit in report["audits"].values():
    if audit.get("scoreDisplayMode") == "binary" and audit.get("score") == 0:
        print("    failed audit:", audit["id"])
sys.exit(0 if all(s == 1 for s in scores) else 1)
PY
  ); then status=1; fi
  echo "$line"
done
rm -rf "$report_dir"
echo
echo "Lighthouse $("$LIGHTHOUSE_DIR/node_modules/.bin/lighthouse" --version), $("$CHROME_PATH" --version 2>/dev/null), mobile settings"
exit $status
