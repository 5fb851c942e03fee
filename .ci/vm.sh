#!/bin/sh
# Host packages the VM path needs (QEMU, qemu-img, debootstrap, mkfs.ext4 -d; the full guest's disk:
# sfdisk, losetup, extlinux). Idempotent; run as root on Debian 12. The images themselves are built
# afterwards by `node bin/isobench.js images build vm` (.ci/prepare).
set -eu

if [ "$(id -u)" -ne 0 ]; then
  echo "vm.sh: run as root (apt-get, and the image build needs debootstrap/chroot)" >&2
  exit 2
fi

. "$(dirname "$0")/packages.sh"
ensure_packages qemu-system-x86 qemu-utils debootstrap debian-archive-keyring e2fsprogs genisoimage cloud-init extlinux syslinux-common fdisk mount

qemu-system-x86_64 --version | head -n 1
qemu-img --version | head -n 1
if [ -e /dev/kvm ]; then
  echo "vm.sh: /dev/kvm present (isobench trial-boots it and falls back to TCG if a guest hangs)"
else
  echo "vm.sh: no /dev/kvm: guests run under TCG (software emulation)"
fi
