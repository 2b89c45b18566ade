#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Writes the plots and the HTML report of the paper-chat dataset, then renders
# the report with headless Chromium and checks that the screenshot is not empty.
# Usage: browser_test.sh SAFETYWASH_BINARY OUTPUT_FOLDER
# Exit codes: 0 pass, 1 fail, 77 skipped because chromium is not installed.
set -euo pipefail

if [[ $# -ne 2 ]]; then
  echo "usage: $0 SAFETYWASH_BINARY OUTPUT_FOLDER" >&2
  exit 1
fi
binary=$1
mkdir -p "$2"
folder=$(cd "$2" && pwd)
rm -f "$folder"/*.svg "$folder/report.html" "$folder/report.png"

if ! "$binary" analyze --dataset paper-chat --plots "$folder" --report "$folder/report.html" \
    >"$folder/stdout.txt" 2>"$folder/stderr.txt"; then
  echo "FAIL: safetywash analyze --plots --report failed:" >&2
  cat "$folder/stderr.txt" >&2
  exit 1
fi
for file in report.html correlations.svg scores.svg scree.svg heatmap.svg; do
  if [[ ! -s "$folder/$file" ]]; then
    echo "FAIL: $folder/$file is missing or empty" >&2
    exit 1
  fi
done

if ! command -v chromium >/dev/null 2>&1; then
  echo "SKIP: chromium is not installed, so the report was not rendered"
  exit 77
fi

profile=$(mktemp -d)
trap 'rm -rf "$profile"' EXIT
# Chromium prints D-Bus and GPU errors in containers. They do not affect the
# screenshot, so its output goes to a log that is shown only on failure.
if ! timeout 180 chromium --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
    --disable-background-networking --disable-component-update --disable-sync \
    --user-data-dir="$profile" --window-size=1280,4000 --screenshot="$folder/report.png" \
    "file://$folder/report.html" >"$folder/chromium.log" 2>&1; then
  echo "FAIL: chromium could not render $folder/report.html:" >&2
  cat "$folder/chromium.log" >&2
  exit 1
fi

if [[ ! -f "$folder/report.png" ]]; then
  echo "FAIL: chromium wrote no screenshot to $folder/report.png" >&2
  cat "$folder/chromium.log" >&2
  exit 1
fi
size=$(wc -c <"$folder/report.png")
if [[ $(head -c 4 "$folder/report.png" | tail -c 3) != "PNG" ]]; then
  echo "FAIL: $folder/report.png is not a PNG file" >&2
  exit 1
fi
if (( size <= 10240 )); then
  echo "FAIL: $folder/report.png has only $size bytes, so the page is probably blank" >&2
  exit 1
fi
echo "PASS: $folder/report.png, $size bytes"
