import { describe, expect, it } from 'vitest';
import { diskUsedBytes, sharedBytes, type HistoryEntry } from '../../src/drivers/docker/layers.js';

const h = (Id: string, Size: number, CreatedBy = Id, Created = 1): HistoryEntry => ({ Id, Size, CreatedBy, Created });

describe('sharedBytes', () => {
  it('sums the common oldest-first prefix of two histories (newest first, as the Engine lists them)', () => {
    const a = [h('a-app', 1_000), h('req', 30_000), h('base', 100_000)];
    const b = [h('b-app', 2_000), h('req', 30_000), h('base', 100_000)];
    expect(sharedBytes(a, b)).toBe(130_000);
  });
  it('matches pulled layers (<missing> ids) by command, time and size', () => {
    const a = [h('a', 5), h('<missing>', 70, 'RUN x', 7), h('<missing>', 80, 'ADD rootfs', 3)];
    const b = [h('b', 6), h('<missing>', 71, 'RUN y', 7), h('<missing>', 80, 'ADD rootfs', 3)];
    expect(sharedBytes(a, b)).toBe(80);
  });
  it('is zero for unrelated images', () => {
    expect(sharedBytes([h('x', 5)], [h('y', 5)])).toBe(0);
  });
});

describe('diskUsedBytes', () => {
  it('counts shared bytes once plus the own bytes of each image from system df', () => {
    expect(diskUsedBytes(227, { Id: 'a', Size: 228, SharedSize: 227 }, { Id: 'b', Size: 229, SharedSize: 227 })).toBe(230);
  });
  it('falls back to Size - shared when df did not compute SharedSize', () => {
    expect(diskUsedBytes(227, { Id: 'a', Size: 228, SharedSize: -1 }, { Id: 'b', Size: 229, SharedSize: -1 })).toBe(230);
  });
});
