// "Can differ" claims (another Python, another OS release, another kernel): confirmed only by two instances that differed.
import type { ClaimVerdict, EnvResult } from '../results/schema.js';
import { hostValues, insideValue } from './probe-values.js';
import type { Claim } from './schema.js';

type Judged = Omit<ClaimVerdict, 'claimId' | 'kind'>;

/**
 * Looks at every completed environment of the claim's kind that ran the probe. Confirmed when one of them had a value
 * the host has none of (the host runs at the same time), or two of them had different values; otherwise not shown,
 * with what was seen.
 */
export function judgeDiffers(claim: Extract<Claim, { check: 'differs' }>, environments: readonly EnvResult[]): Judged {
  const seen = environments.flatMap((e) => {
    const p = e.kind === claim.kind && e.status === 'completed' ? e.probes.find((q) => q.id === claim.probe) : undefined;
    const value = p && insideValue(claim.probe, p);
    return p && value ? [{ env: e.name, value, host: hostValues(claim.probe, p) }] : [];
  });
  const first = seen[0];
  if (!first) return { verdict: 'not-measured', why: `no ${claim.kind} environment recorded what the ${claim.probe} probe saw`, note: { code: 'probe-undetermined', args: { probe: claim.probe } } };
  const vsHost = seen.find((s) => s.host.length > 0 && !s.host.includes(s.value));
  if (vsHost) {
    const host = vsHost.host.join(', ');
    const why = `${vsHost.env} has ${vsHost.value}; the host, at the same time, has ${host}`;
    return { env: vsHost.env, measured: { value: vsHost.value }, verdict: 'confirmed', why, note: { code: 'differs-host', args: { env: vsHost.env, value: vsHost.value, host } } };
  }
  const other = seen.find((s) => s.value !== first.value);
  if (other) {
    const why = `${first.env} has ${first.value}; ${other.env} has ${other.value}`;
    return { env: first.env, measured: { value: `${first.value} / ${other.value}` }, verdict: 'confirmed', why, note: { code: 'differs-pair', args: { a: first.env, av: first.value, b: other.env, bv: other.value } } };
  }
  const host = [...new Set(seen.flatMap((s) => s.host))].join(', ');
  const envs = seen.map((s) => s.env).join(', ');
  const why = `not shown here: every ${claim.kind} environment (${envs}) had ${first.value}, ${host ? `which the host has too (${host})` : 'and the probe recorded nothing of the host'}`;
  return { env: first.env, measured: { value: first.value }, verdict: 'not-shown', why, note: { code: 'same', args: { envs, value: first.value, host } } };
}
