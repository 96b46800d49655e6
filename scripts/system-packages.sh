#!/usr/bin/env bash
# Debian packages ParIndex needs beside Python:
#   WeasyPrint: libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0
#   PDF checks (tests, docs): poppler-utils
#   Word layout checks (tests): libreoffice-writer-nogui
#   Printed Excel checks (tests: an agency's part on A4): libreoffice-calc-nogui
#   Translations (compilemessages, locale/): gettext
#   Browser tests: chromium (driven by Playwright for Python; never `playwright install`)
# Installs what is missing when run as root (or with sudo); otherwise says what to install.
set -euo pipefail
PACKAGES=(libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 poppler-utils chromium fonts-liberation2 libreoffice-writer-nogui libreoffice-calc-nogui gettext)
missing=()
for pkg in "${PACKAGES[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$pkg")
  fi
done
if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi
if [ "$(id -u)" = "0" ]; then
  SUDO=""
elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
  SUDO="sudo"
else
  echo "Thiếu gói hệ thống: ${missing[*]}" >&2
  echo "Hãy chạy: sudo apt-get install -y ${missing[*]}" >&2
  exit 0
fi
echo "Cài gói hệ thống: ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
