// Under sudo, `images build` works in the invoking user's cache: who that user is, and which folder (pure).
import { describe, expect, it } from 'vitest';
import { invokingUser, isobenchCommand, sudoCacheDir } from '../../src/lifecycle/paths.js';

const PASSWD = 'root:x:0:0:root:/root:/bin/bash\nana:x:1002:1003::/home/ana:/bin/bash\n';

describe('invokingUser', () => {
  it('is the SUDO_UID user, with SUDO_GID and the home of /etc/passwd, when root runs under sudo', () => {
    expect(invokingUser(0, { SUDO_UID: '1002', SUDO_GID: '1003', HOME: '/root' }, PASSWD)).toEqual({ uid: 1002, gid: 1003, name: 'ana', home: '/home/ana' });
    expect(invokingUser(0, { SUDO_UID: '1002' }, PASSWD)!.gid).toBe(1003);
  });
  it('is nobody when not root, not under sudo, sudo from root itself, or an unknown uid', () => {
    expect(invokingUser(1002, { SUDO_UID: '1002' }, PASSWD)).toBeUndefined();
    expect(invokingUser(0, {}, PASSWD)).toBeUndefined();
    expect(invokingUser(0, { SUDO_UID: '0' }, PASSWD)).toBeUndefined();
    expect(invokingUser(0, { SUDO_UID: '4711' }, PASSWD)).toBeUndefined();
    expect(invokingUser(0, { SUDO_UID: '10x' }, PASSWD)).toBeUndefined();
  });
});

describe('sudoCacheDir', () => {
  const ana = invokingUser(0, { SUDO_UID: '1002' }, PASSWD);
  it('is the user\'s ~/.cache/isobench (not root\'s), or ISOBENCH_CACHE when sudo passed it on', () => {
    expect(sudoCacheDir(ana, { HOME: '/root', XDG_CACHE_HOME: '/root/.cache' })).toBe('/home/ana/.cache/isobench');
    expect(sudoCacheDir(ana, { ISOBENCH_CACHE: '/srv/cache' })).toBe('/srv/cache');
    expect(sudoCacheDir(undefined, {})).toBeUndefined();
  });
});

describe('isobenchCommand (the fix doctor prints)', () => {
  it('is the linked command, or node with the absolute bin path of a checkout', () => {
    expect(isobenchCommand('/usr/local/bin/isobench')).toBe('isobench');
    expect(isobenchCommand('/src/isobench/bin/isobench.js')).toBe('node /src/isobench/bin/isobench.js');
    expect(isobenchCommand('/a b/bin/isobench.js')).toBe('node "/a b/bin/isobench.js"');
  });
});
