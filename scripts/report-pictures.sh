#!/usr/bin/env bash
# Make the README's pictures of the reports from the real commands: a month of demo data (fixed
# seed) in a throw-away SQLite file, `spa-desk report shift` and `spa-desk report trends` to PDF,
# and the pages shown in the README rendered to PNG with pdftoppm (poppler-utils).
# Usage: scripts/report-pictures.sh [FOLDER]   (default docs/screenshots)
set -euo pipefail

cd "$(dirname "$0")/.."
FOLDER=${1:-docs/screenshots}
SPA_DESK=${SPA_DESK:-.venv/bin/spa-desk}
WORK=$(mktemp -d /tmp/spa-desk-report-pictures.XXXXXX)
trap 'rm -rf "$WORK"' EXIT
export HOME="$WORK/home" XDG_CONFIG_HOME="$WORK/home/.config" XDG_DATA_HOME="$WORK/home/.local/share"
export QT_QPA_PLATFORM=offscreen
unset SPA_DESK_DATABASE_URL
DB="sqlite+pysqlite:///$WORK/reports.sqlite3"

"$SPA_DESK" --database "$DB" db upgrade >/dev/null
"$SPA_DESK" --database "$DB" demo-data --months 1 --start 2026-03-01 --seed 2026 >/dev/null
"$SPA_DESK" --database "$DB" report shift --date 2026-03-16 --shift early --pdf "$WORK/shift.pdf"
"$SPA_DESK" --database "$DB" report trends --from 2026-03-01 --to 2026-03-31 --pdf "$WORK/trends.pdf"
mkdir -p "$FOLDER"
pdftoppm -png -r 80 -f 1 -l 1 -singlefile "$WORK/shift.pdf" "$FOLDER/report-shift"
# The heat map is on the trends report's first page.
pdftoppm -png -r 80 -f 1 -l 1 -singlefile "$WORK/trends.pdf" "$FOLDER/report-heatmap"
echo "$FOLDER/report-shift.png"
echo "$FOLDER/report-heatmap.png"
