#!/usr/bin/env bash
# The HTML templates: indented by djhtml, clean for djLint (settings in [tool.djlint] of
# pyproject.toml) and no line longer than 160 characters. The .txt templates are left out: they
# are the plain-text bodies of the messages, and their lines are the text a client receives.
# To re-indent after an edit: .venv/bin/djhtml --tabwidth 2 rapport/templates
set -euo pipefail
cd "$(dirname "$0")/.."

.venv/bin/djhtml --tabwidth 2 --check rapport/templates
.venv/bin/djlint rapport/templates --lint --quiet
.venv/bin/python - <<'PY'
import pathlib
import sys

LIMIT = 160
too_long = [
    f"{path}:{number}: {len(line)} characters"
    for path in sorted(pathlib.Path("rapport/templates").rglob("*.html"))
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1)
    if len(line) > LIMIT
]
if too_long:
    print(f"Template lines longer than {LIMIT} characters:", *too_long, sep="\n")
    sys.exit(1)
PY
