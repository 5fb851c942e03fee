#!/usr/bin/env bash
# Installs the headless browser, CJK and emoji fonts the HTML report test renders with (fresh Debian 12, as root); idempotent.
set -euo pipefail
export DEBIAN_FRONTEND=noninteractive

missing=()
command -v chromium >/dev/null 2>&1 || missing+=(chromium)
fc-list 2>/dev/null | grep -qi "Noto Sans CJK" || missing+=(fonts-noto-cjk)
fc-list 2>/dev/null | grep -qi "Noto Color Emoji" || missing+=(fonts-noto-color-emoji)
if ((${#missing[@]})); then
  echo "browser.sh: installing ${missing[*]}"
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
echo "browser.sh: $(chromium --version 2>/dev/null || echo 'chromium missing')"
