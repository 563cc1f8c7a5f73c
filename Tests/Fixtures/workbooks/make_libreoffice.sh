#!/bin/sh
# Writes the LibreOffice fixtures (issue 12, acceptance line 2) into this folder; the results are committed,
# so the tests need no LibreOffice (Debian libreoffice-calc-nogui, ~300 MB). Run again after changing the
# source:  sh Tests/Fixtures/workbooks/make_libreoffice.sh
#   libreoffice.xlsx  ← ../bundled/returns-2015.csv, imported as UTF-8, comma-separated, in the vi-VN locale
#                       (so dd/mm/yyyy is day first, as on Vietnamese Windows), saved as .xlsx;
#   old-format.xlsx   ← the same, saved as Excel 97-2003 (.xls) and named .xlsx.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cp "$here/../bundled/returns-2015.csv" "$work/libreoffice.csv"
# 44 = comma, 34 = double quote, 76 = UTF-8, 1 = first line; 1066 = Vietnamese (vi-VN).
soffice -env:UserInstallation="file://$work/profile" --headless --infilter="CSV:44,34,76,1,,1066" \
  --convert-to xlsx --outdir "$work" "$work/libreoffice.csv" >/dev/null
soffice -env:UserInstallation="file://$work/profile" --headless --infilter="CSV:44,34,76,1,,1066" \
  --convert-to xls --outdir "$work" "$work/libreoffice.csv" >/dev/null
cp "$work/libreoffice.xlsx" "$here/libreoffice.xlsx"
cp "$work/libreoffice.xls" "$here/old-format.xlsx"
