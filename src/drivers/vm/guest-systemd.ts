// The full guest's system files: the agent as a systemd unit after multi-user.target, networkd DHCP,
// fstab and the extlinux boot menu (pure texts; the image builder writes them).
import { AGENT_PATH } from './guest-agent.js';

/** The filesystem label of every guest's root (fstab and the kernel's root= use it). */
export const ROOT_LABEL = 'isobench-root';

/** The systemd unit name of the agent. */
export const AGENT_UNIT_NAME = 'isobench-agent.service';

/** Where the unit's start script lives inside the guest. */
export const AGENT_START_PATH = '/opt/isobench/agent-start.sh';

/**
 * The agent's start script: ISOBENCH_INIT_UPTIME is the moment systemd started in the real root
 * (UserspaceTimestampMonotonic), the same event as the micro guest's init start, so "kernel" means
 * the same phase in both guests.
 */
export const AGENT_START_SOURCE = `#!/bin/sh
us=$(systemctl show -P UserspaceTimestampMonotonic)
ISOBENCH_INIT_UPTIME=$(awk -v us="$us" 'BEGIN { printf "%.3f", us / 1000000 }')
export ISOBENCH_INIT_UPTIME
exec /usr/bin/python3 ${AGENT_PATH}
`;

/**
 * The agent as a unit wanted by and ordered after multi-user.target: its hello on the virtio port
 * is the guest's readiness, so "ready" means multi-user.target was reached.
 */
export const AGENT_UNIT = `[Unit]
Description=isobench guest agent (JSON lines over virtio-serial)
After=multi-user.target

[Service]
Type=simple
ExecStart=${AGENT_START_PATH}
Restart=always
RestartSec=1

[Install]
WantedBy=multi-user.target
`;

/**
 * systemd-networkd: DHCP on every wired interface (eth*, en*), identified by the interface's MAC.
 * Every machine made from one image shares its /etc/machine-id, and networkd's default client id is
 * a DUID derived from it: two Vagrant machines on libvirt's network would then be one client to its
 * dnsmasq, the second taking the first's lease, and vagrant-libvirt (which finds a machine by the
 * lease of its MAC) would call the first "not running".
 */
export const NETWORK_UNIT = `[Match]
Name=en* eth*

[Network]
DHCP=yes

[DHCPv4]
ClientIdentifier=mac
`;

/** /etc/fstab of the full guest: the root by label. */
export const FSTAB = `LABEL=${ROOT_LABEL} / ext4 errors=remount-ro 0 1\n`;

/** The extlinux menu: boot the guest's own kernel and initramfs from /boot at once, console on the serial port. */
export function extlinuxConf(kernelFile: string, initrdFile: string): string {
  return [
    'DEFAULT debian',
    'PROMPT 0',
    'TIMEOUT 0',
    'LABEL debian',
    `  LINUX /boot/${kernelFile}`,
    `  INITRD /boot/${initrdFile}`,
    `  APPEND root=LABEL=${ROOT_LABEL} ro console=ttyS0 quiet loglevel=3 panic=-1`,
    '',
  ].join('\n');
}

/** Units the full guest enables besides the agent (udev and journald are static parts of systemd). */
export const ENABLED_UNITS = ['systemd-networkd.service', 'ssh.service', AGENT_UNIT_NAME];
