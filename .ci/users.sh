#!/usr/bin/env bash
# A second, unprivileged user for the multi-user tests (fresh Debian 12, as root; idempotent, after docker.sh
# and vagrant.sh): in the docker group (and kvm, libvirt where they exist), with sudo for node only, as an
# engineer who runs `sudo isobench images build …` has it.
set -euo pipefail
. "$(dirname "$0")/packages.sh"
ensure_packages sudo

PEER="${ISOBENCH_PEER_USER:-isobench-peer}"
if ! id -u "$PEER" >/dev/null 2>&1; then
  useradd --create-home --shell /bin/bash "$PEER"
fi
for g in docker kvm libvirt; do
  if getent group "$g" >/dev/null; then usermod -aG "$g" "$PEER"; fi
done
node="$(command -v node)"
rule="/etc/sudoers.d/isobench-peer"
printf '%s ALL=(root) NOPASSWD: %s\n' "$PEER" "$node" >"$rule.tmp"
chmod 0440 "$rule.tmp"
visudo -cf "$rule.tmp" >/dev/null
mv "$rule.tmp" "$rule"
echo "users.sh: $PEER (uid $(id -u "$PEER"), groups $(id -nG "$PEER")), sudo for $node"
