#!/usr/bin/env bash
# Retake the README's tour pictures (docs/screenshots/) from the demo data: runs the tour's
# browser test (rapport/e2e/test_screenshots.py) and makes each PNG small with pngquant
# (256 colours) and optipng (lossless). Needs chromium, pngquant and optipng (Debian packages).
set -euo pipefail
cd "$(dirname "$0")/.."
for tool in chromium pngquant optipng; do
  command -v "$tool" >/dev/null 2>&1 || { echo "error: $tool is missing (apt-get install $tool)" >&2; exit 1; }
done

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
ARTIFACTS_DIR="$work" DATABASE_URL= .venv/bin/python -m pytest -q -p no:cacheprovider \
  rapport/e2e/test_screenshots.py -k readme_tour

mkdir -p docs/screenshots
for shot in "$work"/tour/*.png; do
  out="docs/screenshots/$(basename "$shot")"
  pngquant --quality 70-95 --speed 1 --strip --force --output "$out" "$shot"
  optipng -quiet -o5 "$out"
  printf '%-40s %6d bytes\n' "$out" "$(wc -c <"$out")"
done
