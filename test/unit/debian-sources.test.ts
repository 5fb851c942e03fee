import { describe, expect, it } from 'vitest';
import { parseAptSources } from '../../src/images/debian.js';

describe('apt sources', () => {
  it('reads deb822 stanzas, skipping deb-src and disabled ones', () => {
    const text = [
      'Types: deb deb-src',
      'URIs: http://mirror.example/debian',
      'Suites: bookworm bookworm-updates',
      'Components: main contrib',
      '',
      'Types: deb-src',
      'URIs: http://src.example/debian',
      'Suites: bookworm',
      'Components: main',
      '',
      'Types: deb',
      'Enabled: no',
      'URIs: http://off.example/debian',
      'Suites: bookworm',
      'Components: main',
    ].join('\n');
    expect(parseAptSources(text, 'deb822')).toEqual([
      { uri: 'http://mirror.example/debian', suites: ['bookworm', 'bookworm-updates'], components: ['main', 'contrib'] },
    ]);
  });

  it('reads one-line sources with options and comments', () => {
    const text = '# comment\ndeb [arch=amd64 signed-by=/k.gpg] http://m.example/debian bookworm main non-free\ndeb-src http://m.example/debian bookworm main\n';
    expect(parseAptSources(text, 'list')).toEqual([{ uri: 'http://m.example/debian', suites: ['bookworm'], components: ['main', 'non-free'] }]);
  });
});

describe('mounts below a build tree', () => {
  it('lists the mounts at or under the root, deepest first, and nothing outside it', async () => {
    const { mountsBelow } = await import('../../src/images/debian.js');
    const mounts = [
      'proc /proc proc rw 0 0',
      'proc /b/rootfs/proc proc rw 0 0',
      'sysfs /b/rootfs/sys sysfs rw 0 0',
      'tmpfs /b/rootfs/sys/fs/cgroup tmpfs rw 0 0',
      'tmpfs /b/rootfs-other tmpfs rw 0 0',
      'tmpfs /b/with\\040space tmpfs rw 0 0',
    ].join('\n');
    expect(mountsBelow('/b/rootfs/', mounts)).toEqual(['/b/rootfs/sys/fs/cgroup', '/b/rootfs/proc', '/b/rootfs/sys']);
    expect(mountsBelow('/b/with space', mounts)).toEqual(['/b/with space']);
    expect(mountsBelow('/elsewhere', mounts)).toEqual([]);
  });
});
