#!/bin/sh
# What the Vagrant row needs (idempotent; root on Debian 12): vagrant with the libvirt plugin, libvirt's
# daemons started by hand (PID 1 is not systemd in CI containers), libvirt's default storage pool.
# The box itself is built afterwards by `node bin/isobench.js images build vagrant` (.ci/prepare).
set -eu

if [ "$(id -u)" -ne 0 ]; then
  echo "vagrant.sh: run as root (apt-get, libvirtd)" >&2
  exit 2
fi

. "$(dirname "$0")/packages.sh"
ensure_packages vagrant vagrant-libvirt libvirt-daemon-system libvirt-clients dnsmasq-base iptables

# Where udev runs, its rule gives /dev/kvm to the kvm group (0660) and libvirt's QEMU user is in that group.
# Without udev /dev/kvm stays root-only, and libvirt then re-probes QEMU at every capability lookup (about
# 70 s of every `vagrant up` on a 2-core machine): set it as udev would.
if [ -c /dev/kvm ] && getent group kvm >/dev/null && [ "$(stat -c %G:%a /dev/kvm)" != kvm:660 ]; then
  chgrp kvm /dev/kvm && chmod 660 /dev/kvm && echo "vagrant.sh: /dev/kvm is now root:kvm 0660, as udev sets it"
fi

# Where systemd would start them; -d daemonizes. Already running: leave them.
pgrep -x virtlogd >/dev/null || virtlogd -d
pgrep -x libvirtd >/dev/null || libvirtd -d
for _ in $(seq 1 50); do
  [ -S /var/run/libvirt/libvirt-sock ] && break
  sleep 0.2
done

VIRSH="timeout 60 virsh --connect qemu:///system"
if ! $VIRSH pool-info default >/dev/null 2>&1; then
  $VIRSH pool-define-as default dir --target /var/lib/libvirt/images
  $VIRSH pool-build default
fi
$VIRSH pool-info default | grep -q 'State: *running' || $VIRSH pool-start default
$VIRSH pool-autostart default >/dev/null

vagrant --version
timeout 120 vagrant plugin list
