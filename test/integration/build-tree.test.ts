// Removing an image build tree that still has a chroot's /proc mounted in it: unmount first, never walk into it.
import { describe, expect, it } from 'vitest';
import { mkdir, mkdtemp, readFile, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { removeBuildTree } from '../../src/images/debian.js';

describe('removeBuildTree (real mounts, as root)', () => {
  it('detaches a proc mount inside the tree, then removes the tree', async () => {
    const root = await mkdtemp(join(tmpdir(), 'isobench-test-'));
    await mkdir(join(root, 'rootfs', 'proc'), { recursive: true });
    await execa('mount', ['-t', 'proc', 'proc', join(root, 'rootfs', 'proc')], { timeout: 10_000 });
    expect(await readFile('/proc/self/mounts', 'utf8')).toContain(join(root, 'rootfs', 'proc'));
    await removeBuildTree(root);
    await expect(stat(root)).rejects.toThrow(/ENOENT/);
    expect(await readFile('/proc/self/mounts', 'utf8')).not.toContain(root);
    expect((await stat('/proc/self/status')).isFile()).toBe(true);
  });
});
