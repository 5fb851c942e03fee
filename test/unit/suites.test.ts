// Suite rows as data: config keys expand into extra env specs of the existing drivers, image keys and tags carry the suite.
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig, parseConfig } from '../../src/config/load.js';
import { UserError } from '../../src/config/errors.js';
import { dockerDriver } from '../../src/drivers/docker/index.js';
import { suiteImage } from '../../src/drivers/docker/suites.js';
import { SUITE_PLAN } from '../../src/drivers/plans.js';
import { vmImageKey } from '../../src/drivers/vm/image.js';
import { vmDriver } from '../../src/drivers/vm/index.js';
import { profileOfEnvName } from '../../src/drivers/vm/profiles.js';
import { debianPythonPackages, hostDebianMirror, withSuite } from '../../src/images/debian.js';
import { DEBIAN_SUITES, suiteName } from '../../src/images/suites.js';

const config = (text: string) => parseConfig(text, '/some/dir/bench.yaml');

describe('suite rows in the config', () => {
  it('are on by default: two container suites and one micro guest beside the main rows', async () => {
    const c = await loadConfig();
    expect(c.environments.docker.suites).toEqual(['bullseye', 'trixie']);
    expect(c.environments.vm.suites).toEqual(['bullseye']);
    expect(dockerDriver.specs(c)).toEqual([
      { name: 'docker-requests', label: 'docker: requests image' },
      { name: 'podman-rootless', label: 'rootless Podman: requests image' },
      { name: 'docker-gvisor', label: 'gVisor (runsc): requests image' },
      { name: 'docker-bullseye', label: 'docker: Debian bullseye (Debian 11) container', suite: 'bullseye' },
      { name: 'docker-trixie', label: 'docker: Debian trixie (Debian 13) container', suite: 'trixie' },
    ]);
    const vm = vmDriver.specs(c).map((s) => [s.name, s.suite]);
    expect(vm).toEqual([['vm-full', undefined], ['vm-micro', undefined], ['vm-desktop', undefined], ['vm-micro-bullseye', 'bullseye'], ['vm-vagrant', undefined]]);
    expect(vmDriver.specs(c)[2]!.label).toMatch(/^desktop OS: Debian bookworm \(Debian 12\) desktop \+ task-gnome-desktop, .*20 GiB disk, one untimed boot, sizes only\)$/);
    expect(vmDriver.specs(c)[3]!.label).toMatch(/^micro-VM: Debian bullseye \(Debian 11\) minbase, .*one boot, probes and size only\)$/);
  });

  it('are none when the list is empty or the kind is off', () => {
    const c = config('environments:\n  docker:\n    enabled: false\n    suites: [bullseye]\n  vm:\n    suites: []\n    vagrant:\n      enabled: false\n');
    expect(dockerDriver.specs(c)).toEqual([]);
    expect(vmDriver.specs(c).map((s) => s.name)).toEqual(['vm-full', 'vm-micro']);
  });

  it('refuse the main rows\' own suite, an unknown suite and a repeated one, naming the field', () => {
    const err = (text: string) => {
      try {
        config(text);
      } catch (e) {
        expect(e).toBeInstanceOf(UserError);
        return (e as Error).message;
      }
      throw new Error('expected a config error');
    };
    expect(err('environments:\n  docker:\n    suites: [bullseye, bookworm]\n')).toMatch(/^environments\.docker\.suites\.1: expected a suite other than debian\.suite \(bookworm\)/);
    expect(err('debian:\n  suite: bullseye\nenvironments:\n  vm:\n    suites: [bullseye]\n')).toMatch(/^environments\.vm\.suites\.0: expected a suite other than debian\.suite \(bullseye\)/);
    expect(err('environments:\n  docker:\n    suites: [jammy]\n')).toMatch(/^environments\.docker\.suites\.0: .*bullseye/);
    expect(err('environments:\n  docker:\n    suites: [trixie, trixie]\n')).toMatch(/each suite at most once/);
  });
});

describe('suite images', () => {
  it('tag each suite row\'s image with its suite', () => {
    expect(suiteImage('bullseye')).toBe('isobench/requests:debian-bullseye');
  });

  it('key the VM image cache by suite, leaving the main guests\' keys as they were', async () => {
    const c = await loadConfig();
    const ctx = { config: c };
    const without = { config: { ...c, environments: { ...c.environments, vm: { ...c.environments.vm, suites: [] } } } };
    expect(vmImageKey(withSuite(ctx, 'bullseye'), 'micro')).not.toBe(vmImageKey(ctx, 'micro'));
    expect(vmImageKey(withSuite(ctx, 'bullseye'), 'micro')).not.toBe(vmImageKey(withSuite(ctx, 'trixie'), 'micro'));
    expect(vmImageKey(ctx, 'micro')).toBe(vmImageKey(without, 'micro'));
    // The desktop's packages key its image, and only its image.
    const small = { config: { ...c, environments: { ...c.environments, vm: { ...c.environments.vm, profiles: { ...c.environments.vm.profiles, desktop: { packages: ['wget'] } } } } } };
    expect(vmImageKey(small, 'desktop')).not.toBe(vmImageKey(ctx, 'desktop'));
    expect(vmImageKey(small, 'full')).toBe(vmImageKey(ctx, 'full'));
    const { packagesFrom: _, ...before } = c.debian;
    expect(vmImageKey(ctx, 'full')).toBe(vmImageKey({ config: { ...c, debian: before as typeof c.debian } }, 'full'));
    expect(withSuite(ctx, 'bookworm')).toBe(ctx);
    expect(withSuite(ctx, 'bullseye').config.debian).toEqual({ ...c.debian, suite: 'bullseye', packagesFrom: 'debian' });
    expect(debianPythonPackages(withSuite(ctx, 'bullseye').config)).toEqual(['python3-requests']);
    expect(debianPythonPackages(c)).toEqual([]);
  });

  it('name the row\'s profile from its env name, with or without a suite', () => {
    expect(profileOfEnvName('vm-micro-bullseye')).toBe('micro');
    expect(profileOfEnvName('vm-full')).toBe('full');
  });

  it('plan one start and no warm imports', () => {
    expect(SUITE_PLAN).toEqual({ id: 'single', reason: 'suite-row', start: { samples: 1, warmups: 0 }, imports: { samples: 0, warmups: 0 } });
    expect(DEBIAN_SUITES.map(suiteName).slice(0, 4)).toEqual(['buster (Debian 10)', 'bullseye (Debian 11)', 'bookworm (Debian 12)', 'trixie (Debian 13)']);
  });

  it('come from the host\'s mirror of another suite when its apt sources list only its own', async () => {
    const root = await mkdtemp(join(tmpdir(), 'isobench-apt-'));
    try {
      await mkdir(join(root, 'sources.list.d'));
      await writeFile(join(root, 'sources.list.d', 'debian.sources'), 'Types: deb\nURIs: http://mirror.example/debian\nSuites: bookworm bookworm-updates\nComponents: main\n');
      expect(await hostDebianMirror('bullseye', root)).toBeUndefined();
      expect(await hostDebianMirror(DEBIAN_SUITES, root)).toBe('http://mirror.example/debian');
    } finally {
      await rm(root, { recursive: true, force: true });
    }
  });
});
