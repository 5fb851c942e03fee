// Behaviour of the class server's token buckets and counters, pinned where the mutation run (npm run mutate) found gaps.
import { describe, expect, it } from 'vitest';
import { counter, rateLimiter } from '../../src/class/rate-limit.js';

describe('rateLimiter', () => {
  it('lets a client send its burst, then refuses with the wait until one token is back', () => {
    let t = 0;
    const limit = rateLimiter({ burst: 3, perSecond: 2 }, () => t);
    expect([1, 2, 3].map(() => limit.take('a').ok)).toEqual([true, true, true]);
    expect(limit.take('a')).toEqual({ ok: false, retryAfterSec: 1 });
    t = 250; // half a token back: still refused, and the wait rounds up to a whole second
    expect(limit.take('a')).toEqual({ ok: false, retryAfterSec: 1 });
    t = 500;
    expect(limit.take('a')).toEqual({ ok: true });
  });

  it('says how long to wait from the tokens missing, not the tokens held', () => {
    let t = 0;
    const limit = rateLimiter({ burst: 1, perSecond: 0.1 }, () => t);
    expect(limit.take('a').ok).toBe(true);
    t = 1000; // 0.1 token back: 0.9 missing at 0.1/s is 9 s
    expect(limit.take('a')).toEqual({ ok: false, retryAfterSec: 9 });
  });

  it('keeps exactly maxClients buckets, forgetting the least recent client first', () => {
    const limit = rateLimiter({ burst: 1, perSecond: 0 }, () => 0, 2);
    expect(limit.take('a').ok).toBe(true);
    expect(limit.take('b').ok).toBe(true);
    // Two clients fit: a is still remembered as spent.
    expect(limit.take('a').ok).toBe(false);
    // A third pushes out the least recent (b), whose bucket starts full again.
    expect(limit.take('c').ok).toBe(true);
    expect(limit.take('a').ok).toBe(false);
    expect(limit.take('b').ok).toBe(true);
  });

  it('uses the real monotonic clock by default', () => {
    const limit = rateLimiter({ burst: 1, perSecond: 1 });
    expect(limit.take('a')).toEqual({ ok: true });
    expect(limit.take('a')).toEqual({ ok: false, retryAfterSec: 1 });
  });
});

describe('counter', () => {
  it('counts up and down per key and forgets a key at zero', () => {
    const c = counter();
    expect(c.get('x')).toBe(0);
    expect(c.add('x', 2)).toBe(2);
    expect(c.add('x', 3)).toBe(5);
    expect(c.get('x')).toBe(5);
    expect(c.get('y')).toBe(0);
    expect(c.add('x', -5)).toBe(0);
    expect(c.get('x')).toBe(0);
    expect(c.add('x', 1)).toBe(1);
    expect(c.add('x', -2)).toBe(-1);
    expect(c.get('x')).toBe(0);
  });
});
