// A real container registry (Debian's docker-registry, the CNCF distribution) on 127.0.0.1, with storage in a temp folder.
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { execa, type ResultPromise } from 'execa';

export interface LocalRegistry {
  /** host:port, e.g. 127.0.0.1:40123 */
  host: string;
  /** Kills the registry process at once (SIGKILL), as a crash would. */
  kill(): void;
  /** Stops it and waits for the process to end; idempotent. */
  stop(): Promise<void>;
}

/** Starts `docker-registry serve` bound to 127.0.0.1 on an ephemeral port (or `port`), storage under dir. */
export async function startRegistry(dir: string, port = 0): Promise<LocalRegistry> {
  const config = join(dir, `registry-${process.hrtime.bigint()}.yml`);
  await writeFile(
    config,
    [
      'version: 0.1',
      'log: {level: info, accesslog: {disabled: true}}',
      `storage: {filesystem: {rootdirectory: ${JSON.stringify(join(dir, 'storage'))}}, delete: {enabled: true}}`,
      `http: {addr: "127.0.0.1:${port}", secret: isobench-test}`,
      '',
    ].join('\n'),
  );
  const proc: ResultPromise = execa('docker-registry', ['serve', config], { reject: false, timeout: 60 * 60_000, buffer: false });
  const stop = async () => {
    if (proc.exitCode === null && !proc.killed) proc.kill('SIGTERM');
    await proc;
  };
  try {
    const host = await new Promise<string>((resolve, reject) => {
      let seen = '';
      const timer = setTimeout(() => reject(new Error(`docker-registry did not listen within 15 s: ${seen.slice(-400)}`)), 15_000);
      proc.stderr!.on('data', (c: Buffer) => {
        seen += c.toString();
        const m = /listening on (127\.0\.0\.1:\d+)/.exec(seen);
        if (m) (clearTimeout(timer), resolve(m[1]!));
      });
      void proc.then((r) => {
        clearTimeout(timer);
        const why = r.failed && !r.exitCode ? r.shortMessage : `exit ${r.exitCode}: ${seen.slice(-400)}`;
        reject(new Error(`docker-registry ended before it listened (${why}); install it with bash .ci/registry.sh`));
      });
    });
    return { host, kill: () => void proc.kill('SIGKILL'), stop };
  } catch (err) {
    await stop();
    throw err;
  }
}
