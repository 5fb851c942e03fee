// Runs isobench as a machine without the default Docker socket: a private mount namespace (unshare --mount) in which
// an empty file is bind-mounted over /run/docker.sock (and any other path given), so only that child sees no dockerd.
// The machine's dockerd keeps running and every other process still reaches it.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';

const ROOT = join(import.meta.dirname, '..', '..');
const BIN = join(ROOT, 'bin', 'isobench.js');
const HELPER = join(import.meta.dirname, 'mount-then-exec.mjs');

/** An empty file to mount over a socket, in a fresh temp dir. */
export async function emptyFile(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'isobench-test-hide-'));
  const f = join(dir, 'empty');
  await writeFile(f, '');
  return f;
}

/** `isobench ARGS` with /run/docker.sock hidden (and each extra SOURCE=TARGET bind), env replaced by `env`. */
export async function isobenchHidden(args: string[], env: Record<string, string>, binds: string[] = [], timeoutMs = 1_200_000) {
  const empty = await emptyFile();
  const argv = ['--mount', '--propagation', 'private', '--', process.execPath, HELPER, `${empty}=/run/docker.sock`, ...binds, '--', process.execPath, BIN, ...args];
  try {
    return await execa('unshare', argv, { reject: false, timeout: timeoutMs, env, extendEnv: false, buffer: true, cwd: ROOT });
  } finally {
    await rm(dirname(empty), { recursive: true, force: true });
  }
}
