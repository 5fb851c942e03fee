// The owner of what isobench creates, and the decision alive/dead from /proc facts (pure: the view is given).
import { describe, expect, it } from 'vitest';
import { ownerAlive, ownerFromLabels, ownerFromName, ownerLabels, ownerTag, procHidesOthers, userName, currentOwner, workDirPrefix, type Owner, type ProcView } from '../../src/lifecycle/owner.js';
import { judge, runIdOf } from '../../src/lifecycle/leftovers.js';
import { othersLine } from '../../src/commands/cleanup.js';
import { labels, LABEL_OWNER } from '../../src/lifecycle/labels.js';

const BOOT = '42d133fc-edec-42c6-bc6d-a3f82fc16c97';
const owner: Owner = { uid: 0, pid: 4242, start: '123456', boot: BOOT, host: 'lab-pc' };
const view = (over: Partial<ProcView> = {}): ProcView => ({ host: 'lab-pc', boot: BOOT, startOf: (pid) => (pid === 4242 ? '123456' : undefined), hidesOthers: false, uid: 1001, ...over });

describe('ownerAlive', () => {
  it('alive: the pid runs with the same start time on this boot, whoever owns it', () => {
    expect(ownerAlive(owner, view())).toBe(true);
    expect(ownerAlive({ ...owner, uid: 1001 }, view())).toBe(true);
  });
  it('dead: no such pid, a reused pid (another start time), or another boot', () => {
    expect(ownerAlive({ ...owner, pid: 99 }, view())).toBe(false);
    expect(ownerAlive({ ...owner, start: '123457' }, view())).toBe(false);
    expect(ownerAlive({ ...owner, boot: 'ffffffff-0000-0000-0000-000000000000' }, view())).toBe(false);
  });
  it('never judges another host\'s process, and a name\'s 8-digit boot matches the whole id', () => {
    expect(ownerAlive({ ...owner, pid: 99, host: 'other' }, view())).toBe(true);
    expect(ownerAlive({ ...owner, boot: '42d133fc', host: undefined }, view())).toBe(true);
  });
  it('where /proc hides other users\' pids (hidepid), another user\'s unseen pid counts as alive; not so for root or one\'s own', () => {
    expect(ownerAlive({ ...owner, pid: 99 }, view({ hidesOthers: true }))).toBe(true);
    expect(ownerAlive({ ...owner, pid: 99 }, view({ hidesOthers: true, uid: 0 }))).toBe(false);
    expect(ownerAlive({ ...owner, pid: 99, uid: 1001 }, view({ hidesOthers: true }))).toBe(false);
  });
});

describe('owner in labels and names', () => {
  it('labels round-trip; labels without a complete owner (an older isobench) give none', () => {
    expect(ownerFromLabels(ownerLabels(owner))).toEqual(owner);
    const { 'isobench.owner.start': _, ...partial } = ownerLabels(owner);
    expect(ownerFromLabels(partial)).toBeUndefined();
    expect(ownerFromLabels({ [LABEL_OWNER]: 'r1' })).toBeUndefined();
  });
  it('a container\'s labels carry the run and this process as owner', () => {
    const l = labels('r1');
    expect(l[LABEL_OWNER]).toBe('r1');
    expect(ownerFromLabels(l)).toEqual(currentOwner());
    expect(ownerFromLabels(l)!.pid).toBe(process.pid);
  });
  it('a name carries o<uid>.<pid>.<start>.<boot8>, and the run id is still read from it', () => {
    expect(ownerTag(owner)).toBe('o0.4242.123456.42d133fc');
    const name = `isobench-test-20261203-170000-abcdef-${ownerTag(owner)}-vm-vagrant-1-default`;
    expect(ownerFromName(name)).toEqual({ uid: 0, pid: 4242, start: '123456', boot: '42d133fc' });
    expect(runIdOf(name)).toBe('test-20261203-170000-abcdef');
    expect(ownerFromName('isobench-20261203-170000-abcdef-work')).toBeUndefined();
    expect(workDirPrefix('20261203-170000-abcdef', owner)).toMatch(/\/isobench-20261203-170000-abcdef-o0\.4242\.123456\.42d133fc-$/);
  });
});

describe('judge (a resource: owner, else the caller\'s manifest, else its uid)', () => {
  const dead = () => false;
  const live = () => true;
  const m = { runId: 'r', pid: 1, hostname: 'lab-pc', startedAt: '' };
  it('an owner decides, whatever the manifests say', () => {
    expect(judge(owner, m, undefined, view(), dead)).toBe('alive');
    expect(judge({ ...owner, pid: 99 }, m, undefined, view(), live)).toBe('dead');
  });
  it('without an owner, the caller\'s manifest; without that, only the caller\'s own resource is dead, another\'s unknown', () => {
    expect(judge(undefined, m, 0, view(), live)).toBe('alive');
    expect(judge(undefined, m, 0, view(), dead)).toBe('dead');
    expect(judge(undefined, undefined, 1001, view(), live)).toBe('dead');
    expect(judge(undefined, undefined, 0, view(), dead)).toBe('unknown');
    expect(judge(undefined, undefined, undefined, view(), dead)).toBe('unknown');
  });
});

describe('users and /proc mounts', () => {
  const passwd = 'root:x:0:0:root:/root:/bin/bash\nisobench:x:1001:1001::/home/isobench:/usr/sbin/nologin\n';
  it('names a uid by /etc/passwd, else "uid N"', () => {
    expect([userName(0, passwd), userName(1001, passwd), userName(7, passwd)]).toEqual(['root', 'isobench', 'uid 7']);
  });
  it('sees hidepid in /proc\'s mount options', () => {
    expect(procHidesOthers('proc /proc proc rw,relatime 0 0\n')).toBe(false);
    expect(procHidesOthers('proc /proc proc rw,nosuid,hidepid=2 0 0\n')).toBe(true);
    expect(procHidesOthers('proc /proc proc rw,hidepid=invisible,gid=4 0 0\n')).toBe(true);
    expect(procHidesOthers('proc /proc proc rw,hidepid=0 0 0\n')).toBe(false);
  });
  it('the kept line says how many, whose, and the flag', () => {
    expect(othersLine([{ uid: 0 }, { uid: 0 }, {}], passwd)).toBe(
      "kept 3 leftover(s) of other users' dead runs (root: 2, an unknown user: 1); isobench cleanup --all-users removes them (as root, or in the docker group for containers)",
    );
  });
});
