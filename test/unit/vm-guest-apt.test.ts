// The desktop guest's apt step as argv and parsed output (the build itself: test/integration/vm-desktop.test.ts).
import { describe, expect, it } from 'vitest';
import { aptInstallArgv, DPKG_LIST_ARGV, installedPackages } from '../../src/drivers/vm/guest-apt.js';

describe('apt in the guest\'s chroot', () => {
  it('installs with Recommends, no Suggests, no questions, keeping packaged config files', () => {
    const argv = aptInstallArgv(['task-gnome-desktop']);
    expect(argv.slice(0, 3)).toEqual(['env', 'DEBIAN_FRONTEND=noninteractive', 'LC_ALL=C.UTF-8']);
    expect(argv).toContain('--install-recommends');
    expect(argv).toContain('--no-install-suggests');
    expect(argv).toContain('Dpkg::Options::=--force-confold');
    expect(argv.at(-1)).toBe('task-gnome-desktop');
    expect(argv.indexOf('install')).toBe(argv.indexOf('apt-get') + 1);
  });

  it('counts only packages dpkg has installed (not removed ones with config files left)', () => {
    expect(DPKG_LIST_ARGV[0]).toBe('dpkg-query');
    expect(installedPackages('installed wget\nconfig-files exim4\ninstalled ca-certificates\n\nnot-installed foo\n')).toEqual(['wget', 'ca-certificates']);
  });
});
