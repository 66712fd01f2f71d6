#!/usr/bin/env bash
# Make sure the Debian packages a setup step needs are installed.
#   scripts/system-packages.sh python    Python 3.11 with venv (to create .venv/)
#   scripts/system-packages.sh web       gettext (translation catalogues); Pango, HarfBuzz and a Korean font (PDFs)
#   scripts/system-packages.sh browser   Chromium (browser tests) and poppler-utils (reading PDFs in tests)
# As root it installs what is missing with apt-get; otherwise it prints the command to run and fails.
set -euo pipefail

python_bin="${PYTHON:-python3.11}"

case "${1:-}" in
  python)
    if command -v "$python_bin" >/dev/null 2>&1 && "$python_bin" -c "import venv, ensurepip" >/dev/null 2>&1; then
      exit 0
    fi
    packages=(python3.11 python3.11-venv)
    ;;
  web) packages=(gettext libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-noto-cjk) ;;
  browser) packages=(chromium fonts-noto-cjk poppler-utils) ;;
  *)
    echo "usage: $0 python|web|browser" >&2
    exit 2
    ;;
esac

missing=()
for package in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
done
[ ${#missing[@]} -eq 0 ] && exit 0

if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null 2>&1; then
  echo "Installing system packages: ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null 2>&1 || {
    apt-get update -qq && apt-get install -y -qq --no-install-recommends "${missing[@]}"
  }
else
  echo "Revisio needs these system packages. Install them, then run make again:" >&2
  echo "  sudo apt-get install ${missing[*]}" >&2
  exit 1
fi
