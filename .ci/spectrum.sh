#!/usr/bin/env bash
# The rows between a container and a VM (fresh Debian 12, as root; idempotent, after docker.sh):
# gVisor's runsc registered with the running dockerd (daemon.json "runtimes", then SIGHUP: dockerd
# reloads runtimes without a restart), and rootless Podman: an unprivileged user with subordinate
# uid/gid ranges whose `podman system service` answers on its runtime dir's socket.
# The user's Podman storage gets the offline base image when isobench creates the row.
set -euo pipefail
. "$(dirname "$0")/packages.sh"
ensure_packages runsc podman uidmap slirp4netns fuse-overlayfs python3 curl

ROOTLESS_USER="${ISOBENCH_ROOTLESS_USER:-isobench}"
DAEMON_JSON=/etc/docker/daemon.json
RUNSC="$(command -v runsc)"

# runsc: merge {"runtimes": {"runsc": ...}} into daemon.json, keeping every other key; SIGHUP only on a change.
# --network=host: this runsc release's own network stack refuses to start on this kernel ("cannot run with network
# enabled in root network namespace"); with it, the sandbox uses the container's network namespace through the host kernel.
mkdir -p "$(dirname "$DAEMON_JSON")"
changed="$(timeout 20 python3 - "$DAEMON_JSON" "$RUNSC" <<'PY'
import json, os, sys
path, runsc = sys.argv[1], sys.argv[2]
conf = {}
if os.path.exists(path) and os.path.getsize(path) > 0:
    with open(path) as f:
        conf = json.load(f)
want = {"path": runsc, "runtimeArgs": ["--network=host"]}
if conf.get("runtimes", {}).get("runsc") == want:
    print("no")
    sys.exit(0)
conf.setdefault("runtimes", {})["runsc"] = want
tmp = path + ".isobench-tmp"
with open(tmp, "w") as f:
    json.dump(conf, f, indent=2)
os.replace(tmp, path)
print("yes")
PY
)"
if [ "$changed" = yes ] || ! docker info --format '{{json .Runtimes}}' | grep -q '"runsc"'; then
  pid="$(pgrep -x -o dockerd)"
  echo "spectrum.sh: registering runsc with dockerd (pid $pid) by SIGHUP (runtimes reload without a restart)"
  kill -HUP "$pid"
  sleep 1
  for _ in $(seq 1 20); do
    docker info --format '{{json .Runtimes}}' | grep -q '"runsc"' && break
    sleep 0.5
  done
fi
docker info --format '{{json .Runtimes}}' | grep -q '"runsc"' || { echo "spectrum.sh: dockerd did not register runsc" >&2; exit 1; }
echo "spectrum.sh: runsc registered ($(runsc --version 2>/dev/null | head -n 1))"

# The unprivileged user and its subordinate ranges (useradd gives them from login.defs; added if missing).
if ! id -u "$ROOTLESS_USER" >/dev/null 2>&1; then
  useradd --create-home --shell /usr/sbin/nologin "$ROOTLESS_USER"
fi
uid="$(id -u "$ROOTLESS_USER")"
grep -q "^$ROOTLESS_USER:" /etc/subuid || usermod --add-subuids 200000-265535 "$ROOTLESS_USER"
grep -q "^$ROOTLESS_USER:" /etc/subgid || usermod --add-subgids 200000-265535 "$ROOTLESS_USER"

# Its runtime dir (no logind here) and its Podman API service, started once.
run_dir="/run/user/$uid"
home="$(getent passwd "$ROOTLESS_USER" | cut -d: -f6)"
for d in "$run_dir" "$run_dir/podman"; do install -d -m 0700 -o "$uid" -g "$(id -g "$ROOTLESS_USER")" "$d"; done
sock="$run_dir/podman/podman.sock"
# Native overlay in the user namespace (kernel >= 5.11): without this file Podman falls back to vfs here
# (/dev/fuse is root's only), which copies every layer and makes its disk figures another quantity.
conf="$home/.config/containers/storage.conf"
if [ ! -e "$conf" ]; then
  install -d -o "$uid" -g "$(id -g "$ROOTLESS_USER")" "$home/.config" "$home/.config/containers"
  printf '[storage]\ndriver = "overlay"\n' >"$conf"
  chown "$uid:$(id -g "$ROOTLESS_USER")" "$conf"
fi
as_user() { timeout 60 runuser -u "$ROOTLESS_USER" -- env HOME="$home" XDG_RUNTIME_DIR="$run_dir" "$@"; }
answers() { timeout 5 curl -sf --unix-socket "$sock" http://d/_ping >/dev/null 2>&1; }
if ! answers; then
  echo "spectrum.sh: starting $ROOTLESS_USER's podman system service on $sock"
  # Its own session, every descriptor on the log: the service outlives this script and holds none of its pipes.
  ( cd / && exec setsid runuser -u "$ROOTLESS_USER" -- env HOME="$home" XDG_RUNTIME_DIR="$run_dir" \
      podman system service --time=0 "unix://$sock" ) >"/var/log/podman-$ROOTLESS_USER.log" 2>&1 </dev/null &
  for _ in $(seq 1 30); do answers && break; sleep 0.5; done
fi
answers || { echo "spectrum.sh: $ROOTLESS_USER's podman service did not answer; see /var/log/podman-$ROOTLESS_USER.log" >&2; exit 1; }
echo "spectrum.sh: rootless Podman answers ($(as_user podman version --format '{{.Version}}'), uid $uid)"
