// Guest profiles as data, the full guest's system files and boot disk layout, the guest df parser.
import { describe, expect, it } from 'vitest';
import { vmConfig } from '../../src/drivers/vm/config.js';
import { vmPlan, guestProfile, guestSummary, profileEnvName, profileOfEnvName, PROFILES } from '../../src/drivers/vm/profiles.js';
import { AGENT_START_SOURCE, AGENT_UNIT, extlinuxConf, FSTAB, NETWORK_UNIT, ROOT_LABEL } from '../../src/drivers/vm/guest-systemd.js';
import { extlinuxInstallArgv, sfdiskScript } from '../../src/drivers/vm/boot-disk.js';
import { guestDf } from '../../src/drivers/vm/vm-metrics.js';
import { guestFacts, qemuRssMethod } from '../../src/drivers/vm/qemu-driver.js';
import { accelNote } from '../../src/drivers/vm/accel.js';

const exec = (stdout: string, exitCode = 0) => ({ exitCode, stdout, stderr: '', durationMs: 1, timedOut: false });

describe('guest profiles', () => {
  it('defaults: the full guest is the document\'s VM (systemd, firmware boot, 2048 MiB, 2 vCPUs); micro keeps today\'s guest', () => {
    const vm = vmConfig.parse({});
    expect(vm.guests).toEqual(['full', 'micro']);
    expect(guestProfile('full', vm)).toMatchObject({ init: 'systemd', boot: 'firmware', memoryMiB: 2048, cpus: 2 });
    expect(guestProfile('micro', vm)).toMatchObject({ boot: 'direct', memoryMiB: 512, cpus: 1, diskGiB: 4 });
    expect(PROFILES.full.packages).toEqual(expect.arrayContaining(['systemd-sysv', 'udev', 'openssh-server', 'extlinux']));
  });

  it('applies the config\'s allocation per profile and leaves the rest', () => {
    const vm = vmConfig.parse({ profiles: { full: { memoryMiB: 1024 } } });
    expect(guestProfile('full', vm)).toMatchObject({ memoryMiB: 1024, cpus: 2 });
    expect(guestProfile('micro', vm).memoryMiB).toBe(512);
  });

  it('rejects unknown and repeated guests, naming the field', () => {
    expect(vmConfig.safeParse({ guests: ['laptop'] }).success).toBe(false);
    expect(vmConfig.safeParse({ guests: ['full', 'full'] }).success).toBe(false);
    expect(vmConfig.safeParse({ guests: [] }).success).toBe(false);
  });

  it('the desktop guest is the full guest plus the GNOME desktop task on a 20 GiB disk, booted to multi-user.target', () => {
    const vm = vmConfig.parse({});
    const desktop = guestProfile('desktop', vm);
    expect(desktop).toMatchObject({ init: 'systemd', boot: 'firmware', diskGiB: 20, aptPackages: ['task-gnome-desktop'], defaultTarget: 'multi-user.target', subject: 'desktop-guest' });
    expect(desktop.packages).toEqual(PROFILES.full.packages);
    expect(PROFILES.full.aptPackages).toEqual([]);
    expect(PROFILES.micro.aptPackages).toEqual([]);
  });

  it('takes the desktop\'s packages from profiles.desktop.packages, and refuses what is no Debian package name', () => {
    const vm = vmConfig.parse({ profiles: { desktop: { packages: ['wget'], diskGiB: 12 } } });
    expect(guestProfile('desktop', vm)).toMatchObject({ aptPackages: ['wget'], diskGiB: 12 });
    expect(guestProfile('full', vm).aptPackages).toEqual([]);
    const bad = vmConfig.safeParse({ profiles: { desktop: { packages: ['GNOME Desktop'] } } });
    expect(bad.success).toBe(false);
    expect(bad.error!.issues[0]).toMatchObject({ path: ['profiles', 'desktop', 'packages', 0] });
    expect(bad.error!.issues[0]!.message).toMatch(/a Debian package name/);
    expect(vmConfig.safeParse({ profiles: { desktop: { packages: [] } } }).success).toBe(false);
    // Only the desktop installs a package list: the full guest is the server install.
    expect(vmConfig.safeParse({ profiles: { full: { packages: ['wget'] } } }).success).toBe(false);
  });

  it('maps env names to profiles and back', () => {
    expect(profileEnvName('full')).toBe('vm-full');
    expect(profileOfEnvName('vm-micro')).toBe('micro');
    expect(profileOfEnvName(profileEnvName('desktop'))).toBe('desktop');
    expect(() => profileOfEnvName('vm-qemu')).toThrow(/no VM guest profile/);
  });

  it('names the guest in one line: profile, init, boot path, allocation, acceleration', () => {
    const s = guestSummary(PROFILES.full, 'tcg');
    expect(s).toMatch(/^full OS: init systemd, SeaBIOS → MBR → extlinux/);
    expect(s).toMatch(/2048 MiB, 2 vCPU, TCG$/);
    const facts = guestFacts(PROFILES.micro, { accel: 'tcg', reason: 'KVM trial boot hung' });
    expect(facts).toMatchObject({ 'vm.profile': 'micro', 'vm.memoryMiB': '512', 'vm.cpus': '1', 'vm.accel': 'TCG', 'vm.accel.reason': 'KVM trial boot hung' });
    expect(facts['vm.boot']).toMatch(/direct kernel boot/);
    expect(facts.subject).toBe('micro-guest');
    const accel = { accel: 'tcg', reason: 'no KVM' } as const;
    expect(guestFacts(PROFILES.desktop, accel)).toMatchObject({ 'vm.profile': 'desktop', subject: 'desktop-guest', 'isolation.step': 'full-vm' });
    expect(guestFacts(PROFILES.full, accel).subject).toBe('server-guest');
    expect(guestFacts(PROFILES.full, accel, 'debian-12.qcow2').subject).toBe('cloud-image');
  });
});

describe('the sample plan of a VM row', () => {
  const starts = (vm: ReturnType<typeof vmConfig.parse>, accel: 'kvm' | 'tcg') => ['full', 'micro', 'vagrant', 'cloud'].map((p) => vmPlan(vm, p, accel).start.samples);

  it('boots 6 times under KVM (an interval) and once under TCG (shown, not judged), probes on', () => {
    const vm = vmConfig.parse({});
    expect(starts(vm, 'kvm')).toEqual([6, 6, 6, 6]);
    expect(starts(vm, 'tcg')).toEqual([1, 1, 1, 1]);
    expect(vmPlan(vm, 'full', 'kvm')).toMatchObject({ id: 'repeated', reason: 'kvm', probes: true });
    expect(vmPlan(vm, 'micro', 'tcg')).toMatchObject({ id: 'single', reason: 'tcg', probes: true, imports: { samples: 1, warmups: 0 } });
    expect(vmPlan(vm, 'micro', 'kvm').imports).toBeUndefined(); // the config's samples: an interval under KVM
    expect(vmPlan(vm, 'micro', 'tcg', { suite: true })).toMatchObject({ id: 'single', reason: 'suite-row' });
  });

  it('takes the config\'s bootSamples, the guest\'s before the global one, and says so', () => {
    const all = vmConfig.parse({ bootSamples: 4 });
    expect(vmPlan(all, 'full', 'kvm')).toMatchObject({ id: 'repeated', reason: 'config', start: { samples: 4, warmups: 0 } });
    expect(vmPlan(all, 'vagrant', 'tcg').start.samples).toBe(4);
    const one = vmConfig.parse({ bootSamples: 4, profiles: { micro: { bootSamples: 1 } } });
    expect(vmPlan(one, 'micro', 'tcg')).toMatchObject({ id: 'single', reason: 'config' });
    expect(vmPlan(one, 'full', 'tcg').start.samples).toBe(4);
  });

  it('plans the desktop row as sizes only: one untimed boot, no probes, no density, whatever the global bootSamples', () => {
    const sizes = { id: 'untimed', reason: 'sizes-only', start: { samples: 0, warmups: 0 }, imports: { samples: 0, warmups: 0 }, probes: false, density: false };
    expect(vmPlan(vmConfig.parse({}), 'desktop', 'tcg')).toEqual(sizes);
    expect(vmPlan(vmConfig.parse({}), 'desktop', 'kvm')).toEqual(sizes);
    expect(vmPlan(vmConfig.parse({ bootSamples: 3 }), 'desktop', 'kvm')).toEqual(sizes);
    expect(vmPlan(vmConfig.parse({ profiles: { desktop: { bootSamples: 2 } } }), 'desktop', 'kvm')).toMatchObject({ id: 'repeated', reason: 'config', probes: false, density: false });
    expect(vmPlan(vmConfig.parse({}), 'full', 'tcg').density).toBeUndefined();
  });

  it('lets a profile ask for one untimed boot and no probes, as data', () => {
    const saved = PROFILES.micro.sampling;
    PROFILES.micro.sampling = { kvm: 0, tcg: 0, probes: false };
    try {
      expect(vmPlan(vmConfig.parse({}), 'micro', 'tcg')).toEqual({ id: 'untimed', reason: 'sizes-only', start: { samples: 0, warmups: 0 }, imports: { samples: 0, warmups: 0 }, probes: false });
    } finally {
      PROFILES.micro.sampling = saved;
    }
  });
});

describe('the full guest\'s system files', () => {
  it('starts the agent as a unit wanted by and ordered after multi-user.target', () => {
    expect(AGENT_UNIT).toMatch(/^After=multi-user\.target$/m);
    expect(AGENT_UNIT).toMatch(/^WantedBy=multi-user\.target$/m);
    expect(AGENT_START_SOURCE).toMatch(/UserspaceTimestampMonotonic/);
  });

  it('boots its own kernel from /boot by root label, with DHCP from networkd and the root in fstab', () => {
    const conf = extlinuxConf('vmlinuz-6.1.0-1-amd64', 'initrd.img-6.1.0-1-amd64');
    expect(conf).toMatch(/^ {2}LINUX \/boot\/vmlinuz-6\.1\.0-1-amd64$/m);
    expect(conf).toMatch(/^ {2}INITRD \/boot\/initrd\.img-6\.1\.0-1-amd64$/m);
    expect(conf).toContain(`root=LABEL=${ROOT_LABEL}`);
    expect(conf).toMatch(/^TIMEOUT 0$/m);
    expect(FSTAB).toMatch(new RegExp(`^LABEL=${ROOT_LABEL} / ext4`));
    expect(NETWORK_UNIT).toMatch(/^DHCP=yes$/m);
    // Clones share /etc/machine-id: the DHCP client id must be the interface's own MAC, not the machine-id's DUID.
    expect(NETWORK_UNIT).toMatch(/^\[DHCPv4\]\nClientIdentifier=mac$/m);
  });

  it('partitions one bootable MBR partition at 1 MiB and installs extlinux into /boot/extlinux', () => {
    expect(sfdiskScript()).toBe('label: dos\nstart=2048, type=83, bootable\n');
    expect(extlinuxInstallArgv('/m/boot/extlinux')).toEqual(['extlinux', '--install', '/m/boot/extlinux']);
  });
});

describe('guest measurements', () => {
  it('reads df\'s used bytes, and refuses output without them', () => {
    expect(guestDf(exec('  1B-blocks      Used     Avail\n 8350298112 812345344 7100000000\n'))).toEqual({ size: 8350298112, used: 812345344, avail: 7100000000 });
    expect(() => guestDf(exec('', 1))).toThrow(/df inside the guest printed/);
  });

  it('says what QEMU RSS holds: the TCG translation cache and its size, none under KVM', () => {
    expect(qemuRssMethod('tcg', 128)).toMatch(/translation cache \(up to 128 MiB \(-accel tcg,tb-size=128\)/);
    expect(qemuRssMethod('tcg', 0)).toMatch(/default 1 GiB/);
    expect(qemuRssMethod('kvm', 128)).not.toMatch(/translation/);
    expect(accelNote({ accel: 'tcg', reason: 'r' }, 128)).toMatch(/tb-size=128.*part of the QEMU RSS/);
  });
});

describe('VM rows name their guest once, in the environments table', () => {
  it('describes the guest (profile, init, boot path, allocation, acceleration) in both languages; verdicts do not repeat it', async () => {
    const { verdictText } = await import('../../src/report/claims-table.js');
    const { envRows } = await import('../../src/report/env-tables.js');
    const { en } = await import('../../src/report/i18n/en.js');
    const { ko } = await import('../../src/report/i18n/ko.js');
    const facts = guestFacts(PROFILES.full, { accel: 'tcg', reason: 'r' });
    const vm = { kind: 'vm' as const, name: 'vm-full', label: 'full OS: Debian bookworm server, init systemd (QEMU, 2048 MiB, 2 vCPU), TCG', status: 'completed' as const, steps: [], metrics: {}, probes: [], notes: [], facts };
    expect(envRows([vm], en)[0]).toEqual(['vm-full', 'Virtual machine', vm.label, '—', 'TCG']);
    expect(envRows([vm], ko)[0]![2]).toMatch(/^전체 OS 게스트: init systemd, 부팅 경로 SeaBIOS → MBR → extlinux.*메모리 2048 MiB, vCPU 2개, TCG\(소프트웨어 에뮬레이션/);
    const micro = { ...vm, name: 'vm-micro', facts: guestFacts(PROFILES.micro, { accel: 'kvm', reason: 'trial ok' }) };
    expect(envRows([micro], ko)[0]![2]).toMatch(/^마이크로 VM: init sh 스크립트\(systemd 없음\), 부팅 경로 커널 직접 부팅.*메모리 512 MiB, vCPU 1개, KVM\./);
    const v = { claimId: 'vm.table.start', kind: 'vm' as const, env: 'vm-full', verdict: 'off' as const, factor: 6.4, measured: { value: 9410, unit: 'ms' } };
    expect(verdictText(v, undefined, [vm], 'en', en)).not.toMatch(/guest|SeaBIOS/);
  });

  it("shows a disk claim on a server guest as unlike the document's desktop install, naming both, and judges nothing", async () => {
    const { verdictText } = await import('../../src/report/claims-table.js');
    const { judgeClaims } = await import('../../src/claims/verdict.js');
    const { en } = await import('../../src/report/i18n/en.js');
    const { ko } = await import('../../src/report/i18n/ko.js');
    const { loadClaims } = await import('../../src/claims/load.js');
    const claim = loadClaims().find((c) => c.id === 'vm.lab.disk-8gb')!;
    const metrics = { 'disk.guestUsed.bytes': { unit: 'bytes' as const, value: 1.01e9, method: 'df' } };
    const vm = { kind: 'vm' as const, name: 'vm-full', label: 'l', status: 'completed' as const, steps: [], metrics, probes: [], notes: [], facts: guestFacts(PROFILES.full, { accel: 'tcg', reason: 'r' }) };
    const [v] = judgeClaims([claim], [vm]);
    expect(v).toMatchObject({ verdict: 'unlike', measured: { value: 1.01e9 } });
    expect(verdictText(v!, claim, [vm], 'en', en)).toBe('≠ unlike: shown, not judged: the document measured Ubuntu 22.04 installed from its ISO (20 GB disk, 8 GB used; the document names no edition, so a desktop install stands for it); vm-full: a minimal Debian server guest (debootstrap, no desktop)');
    expect(verdictText(v!, claim, [vm], 'ko', ko)).toMatch(/^≠ 같은 대상이 아님: .*ISO로 설치한 Ubuntu 22\.04.*최소 데비안 서버 게스트/);
    expect(verdictText(v!, claim, [vm], 'en', en)).not.toMatch(/band:/);
  });
});
