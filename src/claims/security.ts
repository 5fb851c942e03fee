// The document's security statements judged on the two probes that observe part of them: which kernel answers the
// environment's system calls, and whether root inside is root on the host. Pure: no I/O.
import type { ClaimVerdict, EnvResult } from '../results/schema.js';
import type { Claim } from './schema.js';

type SecurityClaim = Extract<Claim, { check: 'security' }>;
type Judged = Omit<ClaimVerdict, 'claimId' | 'kind'>;

/** Who answers the system calls, as the syscall-kernel probe decided it: host, gvisor, guest, other, or null (not decided). */
export type KernelAnswer = 'host' | 'gvisor' | 'guest' | 'other' | null;

/** What the two security probes decided for one environment (null: not decided). */
export interface SecurityView {
  kernel: KernelAnswer;
  rootOnHost: boolean | null;
  /** Probes of the environment that found something shared with the host or the other instance. */
  shared: string[];
}

/** The security view of an environment, from its probes' results. */
export function securityView(env: EnvResult): SecurityView {
  const sk = env.probes.find((p) => p.id === 'syscall-kernel');
  const rm = env.probes.find((p) => p.id === 'root-mapping');
  const answer = sk?.evidence.answeredBy;
  const root = rm?.evidence.rootOnHost;
  return {
    kernel: typeof answer === 'string' ? (answer as KernelAnswer) : null,
    rootOnHost: typeof root === 'boolean' ? root : null,
    shared: env.probes.filter((p) => p.isolated === false).map((p) => p.id),
  };
}

/** Whether an environment holds one of the probes a security claim rests on. */
export function hasSecurityProbes(env: EnvResult): boolean {
  return env.probes.some((p) => p.id === 'syscall-kernel' || p.id === 'root-mapping');
}

/** A short code of the view for the verdict's measured value, e.g. "kernel=guest root=unmeasured" (the report renders it per language). */
export function viewCode(v: SecurityView): string {
  return `kernel=${v.kernel ?? 'unmeasured'} root=${v.rootOnHost === null ? 'unmeasured' : v.rootOnHost ? 'host-root' : 'unprivileged'}`;
}

/**
 * Judges a security claim on what its level implies that the probes decide: refuted when a decided part contradicts
 * it; informational (the probes' findings, and the rest is a judgment) when every decided part agrees; not measured
 * when the probes decided none of its parts.
 */
export function judgeSecurity(claim: SecurityClaim, env: EnvResult): Judged {
  const view = securityView(env);
  const summary = (id: string) => env.probes.find((p) => p.id === id)?.summary ?? `no ${id} probe`;
  const against: string[] = [];
  const agree: string[] = [];
  if (claim.kernel && view.kernel !== null) {
    const notHost = view.kernel !== 'host';
    ((claim.kernel === 'not-host') === notHost ? agree : against).push(`syscall-kernel: ${summary('syscall-kernel')}`);
  }
  if (claim.rootOnHost !== undefined && view.rootOnHost !== null) {
    (claim.rootOnHost === view.rootOnHost ? agree : against).push(`root-mapping: ${summary('root-mapping')}`);
  }
  if (claim.allIsolated) {
    // Decided only by probes that found something: shared refutes it; none shared agrees, naming those that did not decide.
    const undecided = env.probes.filter((p) => p.isolated === null).map((p) => p.id);
    if (view.shared.length) against.push(`shared: ${view.shared.join(', ')}`);
    else if (undecided.length < env.probes.length) agree.push(undecided.length ? `no probe found anything shared (not decided: ${undecided.join(', ')})` : 'every probe found it isolated');
  }
  const measured = { value: viewCode(view) };
  if (against.length) return { measured, verdict: 'refuted', why: against.join('; ') };
  if (!agree.length) {
    return { verdict: 'not-measured', why: `the probes did not decide it: ${summary('syscall-kernel')}; ${summary('root-mapping')}` };
  }
  return { measured, verdict: 'info', why: `${agree.join('; ')}; ${claim.rest.en}` };
}
