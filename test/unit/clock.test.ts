import { describe, expect, it } from 'vitest';
import { sample } from '../../src/measure/clock.js';

describe('sample', () => {
  it('keeps the samples in run order, not sorted, and leaves warm-ups out', async () => {
    const waits = [1, 40, 25, 5, 30];
    let call = 0;
    const got = await sample(() => new Promise((r) => setTimeout(r, waits[call++]!)), { samples: 4, warmups: 1 });
    expect(call).toBe(5);
    expect(got).toHaveLength(4);
    // 40, 25, 5, 30 in that order: sorted it would be 5, 25, 30, 40.
    expect(got[0]).toBeGreaterThan(got[1]!);
    expect(got[1]).toBeGreaterThan(got[2]!);
    expect(got[3]).toBeGreaterThan(got[2]!);
    expect(got[0]).toBeGreaterThanOrEqual(39);
  });
});
