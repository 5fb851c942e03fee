#!/usr/bin/env bash
# Makes a Docker Engine answer on this machine (fresh Debian 12, as root); idempotent.
# Installs docker.io when dockerd is missing, starts dockerd in the background (log: $DOCKERD_LOG)
# when the socket does not answer, and waits up to 60 s for `docker info`.
set -euo pipefail
export DEBIAN_FRONTEND=noninteractive
DOCKERD_LOG="${DOCKERD_LOG:-/var/log/dockerd.log}"

# debootstrap builds the offline base image when no registry is reachable.
missing=()
command -v dockerd >/dev/null 2>&1 || missing+=(docker.io)
command -v debootstrap >/dev/null 2>&1 || missing+=(debootstrap)
if ((${#missing[@]})); then
  echo "docker.sh: installing ${missing[*]}"
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

if docker info >/dev/null 2>&1; then
  echo "docker.sh: engine already answers"
  exit 0
fi

if ! pgrep -x dockerd >/dev/null 2>&1; then
  echo "docker.sh: starting dockerd (log: $DOCKERD_LOG)"
  # One attempt per layer download: the registry test cuts a pull off on purpose, and dockerd's default five
  # attempts (with back-offs) cost it over a minute. A user's dockerd keeps its own setting; the message is the same.
  nohup dockerd --max-download-attempts 1 >"$DOCKERD_LOG" 2>&1 &
fi

for _ in $(seq 1 60); do
  if docker info >/dev/null 2>&1; then
    echo "docker.sh: engine answers ($(docker version --format '{{.Server.Version}}'))"
    exit 0
  fi
  sleep 1
done
echo "docker.sh: dockerd did not answer within 60 s; last lines of $DOCKERD_LOG:" >&2
tail -n 20 "$DOCKERD_LOG" >&2 || true
exit 1
