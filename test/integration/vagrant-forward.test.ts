// waitForForward against real processes laid out as vagrant-libvirt leaves them in a machine's folder:
// a listener that holds 127.0.0.1:PORT passes, an ssh that exited on "Address already in use" throws its log.
import { afterEach, describe, expect, it } from 'vitest';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa, type ResultPromise } from 'execa';
import { forwardFiles, waitForForward } from '../../src/drivers/vm/vagrant-libvirt.js';

const PORT = 18977;

describe('waitForForward (vagrant-libvirt ssh forwards)', () => {
  const dirs: string[] = [];
  const children: ResultPromise[] = [];
  let held: Server | undefined;

  afterEach(async () => {
    for (const c of children.splice(0)) c.kill('SIGKILL');
    await Promise.allSettled(children);
    await new Promise((r) => (held ? held.close(r) : r(undefined)));
    held = undefined;
    for (const d of dirs.splice(0)) await rm(d, { recursive: true, force: true });
  });

  async function machineDir(): Promise<{ dir: string; files: ReturnType<typeof forwardFiles> }> {
    const dir = await mkdtemp(join(tmpdir(), 'isobench-fwd-'));
    dirs.push(dir);
    const files = forwardFiles(dir, PORT);
    await mkdir(join(files.pidFile, '..'), { recursive: true });
    await mkdir(files.logDir, { recursive: true });
    return { dir, files };
  }

  it('returns once the pid in the pid file listens on 127.0.0.1:PORT', async () => {
    const { dir, files } = await machineDir();
    const listener = execa('node', ['-e', `require('net').createServer().listen(${PORT}, '127.0.0.1', () => console.log('up'))`], { reject: false, timeout: 60_000 });
    children.push(listener);
    await writeFile(files.pidFile, String(listener.pid));
    await expect(waitForForward(dir, PORT, 8000, 20_000)).resolves.toBeUndefined();
  });

  it('throws with the log when its ssh has exited (the port was taken by another machine)', async () => {
    const { dir, files } = await machineDir();
    held = createServer();
    await new Promise<void>((r) => held!.listen(PORT, '127.0.0.1', () => r()));
    const gone = execa('true');
    await gone;
    await writeFile(files.pidFile, String(gone.pid));
    await writeFile(join(files.logDir, `${files.logPrefix}192.168.121.5_8000.log`), 'bind [127.0.0.1]:18977: Address already in use\nCould not request local forwarding.\n');
    await expect(waitForForward(dir, PORT, 8000, 20_000)).rejects.toThrow(/ssh forward of 127\.0\.0\.1:18977 to the guest's port 8000 exited after vagrant up succeeded: bind \[127\.0\.0\.1\]:18977: Address already in use/);
  });

  it('does not take another process listening on the port for the forward, and gives up at the deadline', async () => {
    const { dir, files } = await machineDir();
    held = createServer();
    await new Promise<void>((r) => held!.listen(PORT, '127.0.0.1', () => r()));
    const sleeper = execa('sleep', ['60'], { reject: false });
    children.push(sleeper);
    await writeFile(files.pidFile, String(sleeper.pid));
    await expect(waitForForward(dir, PORT, 8000, 1500)).rejects.toThrow(/was not listening 1\.5 s after vagrant up \(ssh pid \d+\): no output/);
  });
});
