// The report as a reader meets it, on recorded results: order, the "read this first" box, short names, phases, Korean.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PACKAGE_ROOT } from '../../src/lifecycle/paths.js';
import { orderedMetrics, phaseMeaning } from '../../src/report/env-tables.js';
import { renderHtml } from '../../src/report/html.js';
import { en } from '../../src/report/i18n/en.js';
import { ko } from '../../src/report/i18n/ko.js';
import { renderMarkdown } from '../../src/report/markdown.js';
import { readFirstLines } from '../../src/report/read-first.js';
import { runResultsSchema, type RunResults } from '../../src/results/schema.js';
import { upgradeResults } from '../../src/results/upgrade.js';

const recorded = (): RunResults =>
  runResultsSchema.parse(upgradeResults(JSON.parse(readFileSync(join(PACKAGE_ROOT, 'fixtures', 'results', 'recorded-2026-11-29.json'), 'utf8'))));
const letters = (s: string) => ({ latin: s.match(/[A-Za-z]/g)?.length ?? 0, hangul: s.match(/[\uac00-\ud7a3]/g)?.length ?? 0 });
const count = (s: string, sub: string) => s.split(sub).length - 1;

describe('report order', () => {
  it("puts the read-first box first, then the document's table, the details, and the claims last (Markdown and HTML)", () => {
    const r = recorded();
    const md = renderMarkdown(r, 'en');
    const at = (h: string) => md.indexOf(`\n## ${h}`);
    const order = [en.reader.headings.readFirst, en.reader.headings.docTable, en.reader.headings.envs, en.reader.headings.phases, en.headings.summary, en.headings.probes, en.headings.notes, en.headings.claims];
    const positions = order.map(at);
    expect(positions.every((p) => p > 0)).toBe(true);
    expect([...positions].sort((a, b) => a - b)).toEqual(positions);
    expect(md.slice(at(en.headings.claims) + 1)).not.toMatch(/\n## /);
    const ids = [...renderHtml(r, 'ko').matchAll(/<section id="([^"]+)"/g)].map((m) => m[1]);
    expect(ids[0]).toBe('read-first');
    expect(ids[1]).toBe('table');
    expect(ids.at(-1)).toBe('claims');
  });
});

describe('"read this first" comes from the results\' facts', () => {
  it('says TCG, an offline build and Debian on the recorded run, and that whether the host is a VM is not recorded', () => {
    const lines = readFirstLines(recorded(), en);
    expect(lines[0]).toMatch(/^The VMs here \(vm-full, vm-micro, vm-vagrant\) ran under TCG.*Why not KVM: \/dev\/kvm is present but a KVM trial boot failed/);
    expect(lines).toContain(en.reader.readFirst.hostVmUnknown);
    expect(lines).toContain('No container registry was reachable: the images were built offline on a local Debian base (isobench/debian-python:bookworm), not pulled.');
    expect(lines.at(-1)).toMatch(/^Every system here is Debian GNU\/Linux 12 \(bookworm\) \(host: Debian GNU\/Linux 12 \(bookworm\)\)/);
    expect(readFirstLines(recorded(), ko)[0]).toMatch(/^여기의 VM\(vm-full, vm-micro, vm-vagrant\)은 QEMU의 소프트웨어 에뮬레이션인 TCG로 실행했습니다/);
  });

  it("names the minimal debootstrap guests, then the host's CPU, cores and memory (en, ko)", () => {
    const lines = readFirstLines(recorded(), en);
    const guests = lines.findIndex((l) => l.startsWith('The VM guests here (vm-full, vm-micro, vm-vagrant) are minimal Debian server systems'));
    expect(guests).toBeGreaterThan(0);
    const host = lines.findIndex((l) => /^This host: .+, \d+ cores, [\d.]+ GB of memory\./.test(l));
    expect(guests).toBeLessThan(host);
    const koLines = readFirstLines(recorded(), ko);
    expect(koLines).toContainEqual(expect.stringMatching(/^여기의 VM 게스트\(vm-full, vm-micro, vm-vagrant\)는 debootstrap으로 만든 최소 데비안 서버 시스템/));
    const r = recorded();
    const own = recorded();
    own.environments.find((e) => e.name === 'vm-vagrant')!.facts['vm.guest'] = 'Vagrant box generic/ubuntu2204';
    expect(readFirstLines(own, en)).toContainEqual(expect.stringMatching(/^The VM guests here \(vm-full, vm-micro\) are minimal/));
    expect(lines.join('\n')).toContain("No desktop guest ran, so its VM sizes are shown beside them, not judged.");
    const desk = recorded();
    desk.environments.find((e) => e.name === 'vm-micro')!.facts['subject'] = 'desktop-guest';
    expect(readFirstLines(desk, en)).toContainEqual(expect.stringMatching(/^The VM guests here \(vm-full, vm-vagrant\) are minimal .* Its VM sizes are judged on vm-micro, a Debian 12 guest with a desktop installed/));
    for (const e of r.environments) if (e.facts['vm.profile']) e.facts['subject'] = 'cloud-image';
    expect(readFirstLines(r, en).join('\n')).not.toMatch(/minimal Debian server/);
  });

  it('lists the start phases in time order (each a time since start), after the known metrics', () => {
    const vagrant = recorded().environments.find((e) => e.name === 'vm-vagrant')!;
    const phases = orderedMetrics(vagrant).filter(([id]) => id.startsWith('start.phase.'));
    expect(phases.length).toBeGreaterThan(3);
    const values = phases.map(([, m]) => m.value);
    expect(values).toEqual([...values].sort((a, b) => a - b));
    const ids = orderedMetrics(vagrant).map(([id]) => id);
    expect(ids.indexOf('ready.python.ms')).toBeLessThan(ids.indexOf(phases[0]![0]));
  });

  it('follows other facts: KVM, a host that records being a VM, images pulled from a registry', () => {
    const r = recorded();
    for (const e of r.environments) {
      if (e.facts['vm.accel']) e.facts['vm.accel'] = 'KVM';
      if (e.facts['docker.imagePath']) e.facts['docker.imagePath'] = 'pulled';
    }
    r.host.facts['host.virtualization'] = 'kvm';
    const lines = readFirstLines(r, en);
    expect(lines[0]).toBe('The VMs here (vm-full, vm-micro, vm-vagrant) ran under KVM (hardware virtualization): their times are judged.');
    expect(lines).toContain('This host is itself a virtual machine (kvm).');
    expect(lines.join('\n')).not.toMatch(/TCG|registry/);
  });

  it('names the sample plan that ran, grouped by plan, and a row left out, in English and Korean; none for results without plans', () => {
    const r = recorded();
    expect(readFirstLines(r, en).join('\n')).not.toMatch(/Sample plan/);
    const tcg = { id: 'single', reason: 'tcg', starts: 1, warmups: 0, imports: 1, probes: true } as const;
    for (const e of r.environments) {
      if (e.name === 'vm-full' || e.name === 'vm-micro') e.plan = tcg;
      else if (e.name === 'vm-vagrant') Object.assign(e, { status: 'skipped', plan: { id: 'left-out', reason: 'tcg-repeats', starts: 0, warmups: 0, imports: 0, probes: false, repeats: 'vm-full' } });
      else if (e.kind === 'venv') e.plan = { id: 'repeated', reason: 'fast-start', starts: 10, warmups: 1, imports: 10, probes: true };
    }
    const lines = readFirstLines(r, en);
    expect(lines).toContain("Sample plan of vm-full, vm-micro: one timed boot and one warm import each under TCG (emulation: shown, not judged), so the boot is n=1, with no interval; the probes' other instances booted after it, untimed.");
    expect(lines.find((l) => /^Sample plan of venv/.test(l))).toMatch(/10 timed starts each .*medians with their 95% interval\.$/);
    expect(lines).toContain('vm-vagrant was left out of this run: under TCG it would repeat the evidence of vm-full (the same image and kernel) at minutes a boot. Include it with `isobench run --only all` or `environments.vm.vagrant.enabled: true`.');
    const koLines = readFirstLines(r, ko).filter((l) => /표본 계획|뺐습니다/.test(l));
    expect(koLines).toHaveLength(3);
    expect(koLines.find((l) => l.startsWith('vm-full, vm-micro'))).toMatch(/부팅 시간은 한 번만, 워밍된 `import requests`는 1번 쟀습니다.*부팅 시간은 n=1이고 신뢰구간은 없습니다/);
    expect(koLines.find((l) => l.startsWith('vm-vagrant'))).toMatch(/isobench run --only all/);
    for (const l of koLines) expect(letters(l.replace(/`[^`]*`|vm-[a-z]+|venv-[a-z0-9]+|TCG|KVM|n=\d+/g, '')).latin).toBe(0);
  });
});

describe('short names', () => {
  it('gives each environment its full description once, in the environments table', () => {
    const r = recorded();
    const md = renderMarkdown(r, 'en');
    for (const e of r.environments) expect(count(md, e.label), e.name).toBe(1);
    const vmFull = r.environments.find((e) => e.name === 'vm-full')!;
    expect(vmFull.label.length).toBeGreaterThan(150);
    expect(count(md, '| vm-full |')).toBeGreaterThan(20);
  });
});

describe('phases', () => {
  it('say why create, install and start are not alike across the rows of the recorded run', () => {
    const r = recorded();
    const of = (name: string) => phaseMeaning(r.environments.find((e) => e.name === name)!, r.environments, en);
    expect(of('vm-full')).toBe('create is a lookup of an image built before (its build took 3.06 min, once); install was timed at image build, not in this run; start ran under TCG emulation');
    expect(of('venv-python3')).toMatch(/^install ran pip against a package index; it took many times the fastest install here \(1\.25 s\): if pip retried an index it could not reach, most of this time may be waiting/);
    expect(of('docker-requests')).toBe('install is an image build in this run (pip from a wheelhouse, no index)');
    expect(of('vm-vagrant')).toBe(en.reader.phase.emulated);
  });

  it('says what Vagrant\'s create, install and start are, and a venv install pip spent retrying, from their methods', () => {
    const r = recorded();
    const env = (name: string) => r.environments.find((e) => e.name === name)!;
    const vagrant = env('vm-vagrant');
    vagrant.metrics['create.ms']!.method = 'wall time of making a machine from the box b: vagrant up --no-provision (…)';
    vagrant.metrics['install.ms']!.method = 'wall time of vagrant provision on the machine made from the box, in this run: (…)';
    vagrant.metrics['ready.python.ms']!.method = 'from nothing running until a Python process in the environment answers: vagrant up of the halted, already provisioned machine (…)';
    env('venv-python3').metrics['install.ms']!.method = "wall time of pip install requests with pip's own configuration, in this run; it includes 25 retries of an index pip could not reach (Name or service not known), each after a back-off";
    const p = en.reader.phase;
    expect(phaseMeaning(vagrant, r.environments, en)).toBe([p.fromBox, p.provisioned, p.restarted, p.emulated].join('; '));
    expect(phaseMeaning(env('venv-python3'), r.environments, en)).toBe(p.pipRetried(25));
    expect(phaseMeaning(env('venv-python3'), r.environments, ko)).toMatch(/^설치 시간에는 pip가 닿지 않는 인덱스를 25번 재시도하며/);
  });
});

describe('the Korean report', () => {
  it('says the security probes (syscall kernel, root mapping) in Korean, from their evidence, on the sample run', () => {
    const r = runResultsSchema.parse(JSON.parse(readFileSync(join(PACKAGE_ROOT, 'reports', 'sample', 'results.json'), 'utf8')));
    const md = renderMarkdown(r, 'ko');
    expect(md).toContain('gVisor의 Sentry가 답합니다');
    expect(md).toContain('내부 root는 호스트에서 비특권 uid입니다');
    expect(md).toContain('이 호스트에서 도는 커널이 답합니다');
    expect(md).not.toMatch(/root inside is|kernel answers|not measured on the host/);
  });

  it('is Korean throughout on the recorded run: more Hangul than Latin letters, no English sentences where it has words of its own', () => {
    const r = recorded();
    const md = renderMarkdown(r, 'ko');
    const { latin, hangul } = letters(md);
    expect(hangul).toBeGreaterThan(latin);
    for (const english of ['rank ', 'TCG is QEMU software emulation', 'on the full-OS guest', 'wall time of', 'is not importable', 'not shown here', 'judged on', 'crosses the']) {
      expect(md, english).not.toContain(english);
    }
    expect(md).toContain('TCG는 QEMU의 소프트웨어 에뮬레이션입니다');
    expect(md).toContain('3개 중 작업 프로세스의 RSS° 1–3위, 호스트 메모리* 1–2위, 호스트 디스크에서 차지하는 크기 1위');
  });

  it('labels emulated VM bars in the start chart', () => {
    const html = renderHtml(recorded(), 'ko');
    const start = html.slice(html.indexOf('id="chart-start"'), html.indexOf('</svg>', html.indexOf('id="chart-start"')));
    expect(count(start, 'class="bar bar-vm tagged"')).toBe(3);
    expect(start).toMatch(/<text class="value"[^>]*>56\.7 s \(TCG 에뮬레이션\)<\/text>/);
    expect(start).not.toMatch(/bar-venv tagged|bar-docker tagged/);
    const disk = html.slice(html.indexOf('id="chart-disk"'), html.indexOf('</svg>', html.indexOf('id="chart-disk"')));
    expect(disk).not.toContain('TCG');
  });
});

describe('ranks', () => {
  it('name the quantity each rank is of, in the order of the claim\'s measures (en, ko), a single measure too', () => {
    const en_ = renderMarkdown(recorded(), 'en');
    // One quantity per measure, each named; the workload's own (°) and a TCG-inflated one (*) are marked, with their legend.
    expect(en_).toContain('Best → workload RSS° rank 1–3, host memory* rank 1–2, disk on the host rank 1 (of 3) (°: the workload itself, the same in each kind, not judged; *: rows under TCG emulation not judged, the rest ranked)');
    expect(en_).toMatch(/✅ confirmed: workload RSS: vm 27\.2 MB ≈ docker 27\.3 MB ≈ venv 28\.5 MB; host memory: venv 28\.5 MB ≈ docker 36\.7 MB < vm 642 MB; disk on the host: venv 30\.3 MB < docker 149 MB < vm 763 MB/);
    expect(en_).not.toMatch(/rank \d(–\d)?\/\d/);
    expect(en_).toContain('| start time to a Python answer* rank 1 (of 3) (*: rows under TCG emulation not judged, the rest ranked) |');
    expect(renderMarkdown(recorded(), 'ko')).toContain('3개 중 작업 프로세스의 RSS° 1–3위, 호스트 메모리* 1–2위, 호스트 디스크에서 차지하는 크기 1위');
  });
});

describe('Korean notes', () => {
  it('render the Podman network note and its reason in Korean', async () => {
    const { koNote } = await import('../../src/report/i18n/ko-notes.js');
    const ko_ = koNote('podman: containers run with network none (/dev/net/tun is not open to uid 1001, so slirp4netns cannot start); set environments.docker.podman.network to choose');
    expect(ko_).toContain('uid 1001이 /dev/net/tun을 열 수 없어 slirp4netns를 시작할 수 없음');
    expect(ko_).not.toMatch(/is not open|cannot start/);
    expect(koNote('/dev/kvm is missing or not read-writable')).toBe('/dev/kvm이 없거나 읽기·쓰기 권한이 없음');
    expect(koNote('the default socket')).toBe('기본 소켓');
    expect(koNote('Docker context colima (currentContext in ~/.docker/config.json)')).toBe('Docker 컨텍스트 colima(~/.docker/config.json의 currentContext)');
  });
});

describe('the Korean environments table', () => {
  it('keeps what tells the container rows and the suite rows apart (Podman uid, gVisor runtime, suite, kernel) on the sample run', () => {
    const r = runResultsSchema.parse(JSON.parse(readFileSync(join(PACKAGE_ROOT, 'reports', 'sample', 'results.json'), 'utf8')));
    const md = renderMarkdown(r, 'ko');
    const row = (name: string) => md.split('\n').find((l) => l.startsWith(`| ${name} | `)) ?? '';
    expect(row('podman-rootless')).toMatch(/rootless Podman, uid \d+로 실행/);
    expect(row('docker-gvisor')).toMatch(/gVisor 런타임 runsc\(ptrace 플랫폼/);
    expect(row('docker-bullseye')).toContain('bullseye(데비안 11)를 debootstrap으로 만든 이미지');
    expect(row('vm-micro-bullseye')).toMatch(/bullseye\(데비안 11\), 커널 5\.10/);
    const rows = ['docker-requests', 'podman-rootless', 'docker-gvisor'].map((n) => row(n).split(' | ')[2]);
    expect(new Set(rows).size).toBe(3);
  });
});
