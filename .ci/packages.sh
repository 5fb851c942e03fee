#!/bin/sh
# Sourced by the .ci scripts: ensure_packages NAME... installs the Debian packages not yet installed
# (one apt-get update and install for all of them, with a deadline); installed ones cost one dpkg-query each.
ensure_packages() {
  missing=""
  for p in "$@"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing="$missing $p"
  done
  [ -z "$missing" ] && return 0
  export DEBIAN_FRONTEND=noninteractive
  timeout 600 apt-get update -q
  # shellcheck disable=SC2086
  timeout 1200 apt-get install -y -q --no-install-recommends $missing
}
