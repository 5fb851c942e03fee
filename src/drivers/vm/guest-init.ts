// The guest's PID 1: a tiny sh init instead of systemd, so that a TCG boot takes seconds, not a minute.
import { AGENT_PATH } from './guest-agent.js';

/** Where the init lives inside the guest (the kernel's init=). */
export const INIT_PATH = '/sbin/isobench-init';

/** The guest's venv (with the packages baked in at image build). */
export const GUEST_VENV = '/opt/isobench/venv';

/** argv as a guest runs it: a leading `python` is the guest venv's interpreter (the one with the packages). */
export function guestArgv(argv: string[]): string[] {
  return argv[0] === 'python' ? [`${GUEST_VENV}/bin/python`, ...argv.slice(1)] : argv;
}

/** The marker the init writes on the serial console once the system is up (before the agent starts). */
export const READY_MARKER = 'ISOBENCH-READY';

/**
 * Mounts the pseudo filesystems (the initramfs has usually moved /proc, /sys and /dev in already),
 * loads the virtio console/net and power-button modules, brings up lo and the user-mode network's
 * static address, writes the marker with the guest's uptime to the console and runs the agent,
 * restarting it if it dies. Zombies are reaped by the shell's wait.
 */
export const INIT_SOURCE = `#!/bin/sh
export PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
[ -e /proc/uptime ] || mount -t proc proc /proc
read ISOBENCH_INIT_UPTIME _ < /proc/uptime
export ISOBENCH_INIT_UPTIME
[ -d /sys/kernel ] || mount -t sysfs sysfs /sys
[ -e /dev/null ] || mount -t devtmpfs devtmpfs /dev
mkdir -p /dev/pts /dev/shm /run
mount -t devpts devpts /dev/pts 2>/dev/null
mount -t tmpfs tmpfs /dev/shm 2>/dev/null
mount -t tmpfs tmpfs /tmp
grep -q ' /run ' /proc/mounts || mount -t tmpfs tmpfs /run
hostname isobench-guest
for m in virtio_console virtio_net evdev button; do modprobe -q $m; done
ip link set lo up
ip link set eth0 up && ip addr add 10.0.2.15/24 dev eth0 && ip route add default via 10.0.2.2
read UP _ < /proc/uptime
echo "${READY_MARKER} init_uptime=$ISOBENCH_INIT_UPTIME uptime=$UP" > /dev/console
while :; do
  /usr/bin/python3 ${AGENT_PATH}
  echo "isobench-init: agent exited with $?, restarting" > /dev/console
  sleep 1
done
`;
