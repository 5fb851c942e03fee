import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { extract } from 'tar-stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { contextEntries, packContext } from '../../src/drivers/docker/context.js';

describe('contextEntries', () => {
  it('puts the Dockerfile first, then the folder files, then wheels under wheels/', () => {
    expect(contextEntries('/d', ['app.py', 'Dockerfile'], ['/w/b.whl', '/w/a.whl', '/w/.lock'])).toEqual([
      { name: 'Dockerfile', file: '/d/Dockerfile' },
      { name: 'app.py', file: '/d/app.py' },
      { name: 'wheels/a.whl', file: '/w/a.whl' },
      { name: 'wheels/b.whl', file: '/w/b.whl' },
    ]);
  });
  it('needs a Dockerfile', () => {
    expect(() => contextEntries('/d', ['app.py'])).toThrow(/no Dockerfile/);
  });
  it('rejects a wheelhouse without wheels', () => {
    expect(() => contextEntries('/d', ['Dockerfile'], ['/w/readme.txt'])).toThrow(/no \.whl/);
  });
  it('rejects hidden or nested names', () => {
    expect(() => contextEntries('/d', ['Dockerfile', '.env'])).toThrow(/unexpected entry/);
  });
});

describe('packContext', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'isobench-ctx-'));
    await writeFile(join(dir, 'Dockerfile'), 'FROM scratch\n');
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('packs every entry with fixed time and owner', async () => {
    const stream = await packContext([{ name: 'Dockerfile', file: join(dir, 'Dockerfile') }, { name: 'wheels/x.txt', content: 'hi' }]);
    const seen: { name: string; mtime?: Date; uid?: number; body: string }[] = [];
    const ex = extract();
    await new Promise<void>((resolve, reject) => {
      ex.on('entry', (h, s, next) => {
        const chunks: Buffer[] = [];
        s.on('data', (c) => void chunks.push(c as Buffer));
        s.on('end', () => (seen.push({ name: h.name, mtime: h.mtime, uid: h.uid, body: Buffer.concat(chunks).toString() }), next()));
      });
      ex.on('finish', resolve);
      ex.on('error', reject);
      stream.pipe(ex as unknown as NodeJS.WritableStream);
    });
    expect(seen.map((e) => [e.name, e.body])).toEqual([['Dockerfile', 'FROM scratch\n'], ['wheels/x.txt', 'hi']]);
    for (const e of seen) {
      expect(e.mtime?.getTime()).toBe(0);
      expect(e.uid).toBe(0);
    }
  });
});
