// Per-client token buckets (a flood from one address gets 429 while every other client is served), and per-client counts.

export interface RateLimit {
  /** Requests a client may send at once. */
  burst: number;
  /** Requests a second it gets back. */
  perSecond: number;
}

/** A limiter keyed by client address; `take` says whether a request may go on, else how long to wait (s). */
export function rateLimiter(limit: RateLimit, now: () => number = () => performance.now(), maxClients = 10_000) {
  const buckets = new Map<string, { tokens: number; at: number }>();
  return {
    take(client: string): { ok: true } | { ok: false; retryAfterSec: number } {
      const t = now();
      const b = buckets.get(client) ?? { tokens: limit.burst, at: t };
      b.tokens = Math.min(limit.burst, b.tokens + ((t - b.at) / 1000) * limit.perSecond);
      b.at = t;
      buckets.delete(client);
      buckets.set(client, b);
      if (buckets.size > maxClients) buckets.delete(buckets.keys().next().value!);
      if (b.tokens < 1) return { ok: false, retryAfterSec: Math.ceil((1 - b.tokens) / limit.perSecond) };
      b.tokens -= 1;
      return { ok: true };
    },
  };
}

/** Counts per key (open connections, requests in flight, machines added), forgetting a key at zero. */
export function counter() {
  const counts = new Map<string, number>();
  return {
    get: (k: string) => counts.get(k) ?? 0,
    add(k: string, d: number) {
      const n = (counts.get(k) ?? 0) + d;
      if (n > 0) counts.set(k, n);
      else counts.delete(k);
      return n;
    },
  };
}
