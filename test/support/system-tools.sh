#!/usr/bin/env bash
# The end-to-end tests drive two programs from Debian's packages: Chromium (the reports page, through
# playwright-core; CJK fonts for its screenshots) and LibreOffice Calc with CJK fonts plus poppler's pdftotext (reports printed to PDF).
# Installs whichever is missing, so `npm test` works on a fresh machine; needs root (or sudo) and apt.
set -euo pipefail
missing=()
command -v chromium >/dev/null 2>&1 || missing+=(chromium)
command -v soffice >/dev/null 2>&1 || missing+=(libreoffice-calc fonts-noto-cjk)
command -v pdftotext >/dev/null 2>&1 || missing+=(poppler-utils)
# Chromium's screenshots of the workbench need CJK fonts even where LibreOffice came without them.
command -v soffice >/dev/null 2>&1 && ! fc-list :lang=zh 2>/dev/null | grep -q . && missing+=(fonts-noto-cjk)
[ ${#missing[@]} -eq 0 ] && exit 0
echo "installing ${missing[*]} for the end-to-end tests"
as_root=()
[ "$(id -u)" -eq 0 ] || as_root=(sudo)
"${as_root[@]}" apt-get update -qq
DEBIAN_FRONTEND=noninteractive "${as_root[@]}" apt-get install -y -qq "${missing[@]}" >/dev/null
