// The Driver contract: one implementation per environment kind (venv, docker, vm).
import type { Config } from '../config/schema.js';
import type { CleanupStack } from '../lifecycle/cleanup.js';
import type { Logger } from '../lifecycle/log.js';
import type { ProcessTimer } from '../measure/timer.js';
import type { PlanId, PlanReason } from '../results/schema.js';

export type Kind = 'venv' | 'docker' | 'vm';
export const KINDS: readonly Kind[] = ['venv', 'docker', 'vm'];

/** What every driver call may use: the run's identity, config, cleanup stack and log. */
export interface DriverContext {
  runId: string;
  /** The run's work dir: environments, overlays and temp files of this run live below it. */
  workDir: string;
  config: Config;
  cleanup: CleanupStack;
  log: Logger;
  /** Aborted on SIGINT/SIGTERM: long steps pass it on to execa / fetch / dockerode. */
  signal: AbortSignal;
  /** Times the commands whose wall time is a sample (posix_spawn helper); everything else runs through execa. */
  timer: ProcessTimer;
  /** --keep: leave environments (venvs, containers' images, overlays) in place after the run. */
  keep?: boolean;
  /** Where a driver records what the report must say about how it measured (e.g. "KVM hung, used TCG"). */
  note(text: string): void;
  /** The run's log file beside results.json (isobench.log), where a failed step's whole output goes. */
  logFile?: string;
}

/** Is this driver usable here? Never throws for a missing tool: says why and how to fix it. */
export interface Preflight {
  ok: boolean;
  reason?: string;
  fix?: string;
  /** Versions and settings that go into the host fingerprint (e.g. docker.version, qemu.accel). */
  facts?: Record<string, string>;
  /** Not usable in this run by choice (plan id left-out), not for a missing prerequisite: what the row would repeat, and why. */
  leftOut?: { reason: PlanReason; repeats?: string };
}

/** Which environment to create: one entry of the config's list for that kind. */
export interface EnvSpec {
  /** Unique within the run, filesystem- and label-safe, e.g. "venv-python3", "docker-requests". */
  name: string;
  /** Shown in reports, e.g. "python3.11 venv", "isobench/requests:offline". */
  label: string;
  /** A row of another Debian suite than debian.suite (e.g. bullseye), built offline like the kind's main row. */
  suite?: string;
}

export interface Env {
  kind: Kind;
  name: string;
  label: string;
  /** What the report should say about this environment (image, base, accel…); copied into its result. */
  facts?: Record<string, string>;
  /** What this env's create, ready and up numbers mean where its kind's usual words would not say it. */
  methods?: Partial<Record<'create' | 'ready' | 'up', string>>;
  /** What this row samples and why (a VM's boots under TCG or KVM, a suite row…); unset: the config's samples (fast-start). */
  plan?: SamplePlan;
  /** Why its instances publish no host port (e.g. a container without a network); unset: they publish where the kind does. */
  noPublish?: string;
}

/**
 * A row's sample plan, decided by its driver as data: the runner follows it and records it, without asking the kind.
 * start.samples 0: one start that no number times (sizes and memory are read on it).
 */
export interface SamplePlan {
  id: PlanId;
  reason: PlanReason;
  start: { samples: number; warmups: number };
  /** Warm `import requests` samples after the first one; unset: the config's samples and warmups ({0, 0}: the first import only). */
  imports?: { samples: number; warmups: number };
  /** false: no probes (a row that shows only sizes); unset: the probes run. */
  probes?: boolean;
  /** false: no density step (a row that shows only sizes); unset: it runs where config.instances asks. */
  density?: boolean;
}

export interface Instance {
  env: Env;
  id: string;
  /** Phases of this start, in ms since start() was called (e.g. {create: 40, started: 210, ready: 950}). */
  phases: Record<string, number>;
}

/** One timed step; a failure is data (ok: false + error), not a throw, where the run can go on. */
export interface Step {
  step: string;
  ok: boolean;
  durationMs: number;
  samples?: number[];
  error?: string;
  /** How and when the number was taken, when not plainly "in this run" (e.g. "at image build, 2026-11-29T10:02Z"). */
  method?: string;
  /** The step was done, but not timed apart (packages that came with an image): no number is recorded for it. */
  untimed?: boolean;
  /** A failed step's whole tool output: written to the run's log, never to results.json (error says it in one line). */
  output?: string;
}

export interface ExecOptions {
  timeoutMs?: number;
  env?: Record<string, string>;
  input?: string;
  /** Run as root inside (a probe of root's view: the kernel log, root's files); a driver whose commands already run as root ignores it. */
  asRoot?: boolean;
}

/** Result of a command run inside an instance: a non-zero exit is data, not a throw. */
export interface ExecResult {
  exitCode: number;
  stdout: string;
  stderr: string;
  durationMs: number;
  timedOut: boolean;
}

/** A long-running command inside an instance (a server for the port probe). */
export interface Background {
  /** Resolves with the output seen so far once `pattern` appears on stdout or stderr; rejects on exit or timeout. */
  waitFor(pattern: RegExp, timeoutMs: number): Promise<string>;
  /** Stops the command; idempotent. */
  stop(): Promise<void>;
}

export interface StartOptions {
  /** Publish inside ports on 127.0.0.1 host ports (docker: -p 127.0.0.1:host:inside; vm: hostfwd). */
  publish?: { inside: number; host: number }[];
}

/** Where a kind's instances run relative to this machine: host-side probe comparisons need `sameMachine`. */
export interface Placement {
  /** True only when the instances are known to run on this machine (its kernel, its /tmp, its processes). */
  sameMachine: boolean;
  /** Why, in words for the report, e.g. "the Docker daemon is reached over ssh://build-box". */
  reason: string;
}

/** A measured number a driver reports, keyed by a stable id (see claims/metrics.ts). */
export interface Metric {
  id: string;
  unit: 'ms' | 'bytes' | 'count';
  /** The number; may be omitted when `samples` are given (the runner reports their median). */
  value?: number;
  /** Raw samples when the number was sampled; the runner adds statistics. */
  samples?: number[];
  /** How it was measured, for the reader: e.g. "du -s --apparent-size", "time docker run …". */
  method: string;
}

/**
 * One per environment kind. `exec` and `spawn` argv: argv[0] === 'python' means the environment's
 * Python interpreter (the venv's python, the image's python3, the guest's venv python).
 */
export interface Driver<E extends Env = Env, I extends Instance = Instance> {
  kind: Kind;
  preflight(ctx: DriverContext): Promise<Preflight>;
  /** A check of one environment that needs more than its kind (e.g. the Vagrant row); undefined: the kind's preflight decides. */
  preflightSpec?(spec: EnvSpec, ctx: DriverContext): Promise<Preflight | undefined>;
  /** The environments the config asks for, in order. */
  specs(config: Config): EnvSpec[];
  /** Creates the environment; registers its own teardown on ctx.cleanup before returning. */
  create(spec: EnvSpec, ctx: DriverContext): Promise<E>;
  install(env: E, pkgs: string[], ctx: DriverContext): Promise<Step>;
  /** A running instance: activated venv / running container / booted VM. Registers its stop on ctx.cleanup. */
  start(env: E, ctx: DriverContext, opts?: StartOptions): Promise<I>;
  exec(inst: I, argv: string[], opts?: ExecOptions): Promise<ExecResult>;
  spawn(inst: I, argv: string[], opts?: ExecOptions): Promise<Background>;
  /** Stops an instance; idempotent. */
  stop(inst: I): Promise<void>;
  /** Sizes and kind-specific timings (activation, docker run, layer sharing…). */
  measure(env: E, ctx: DriverContext): Promise<Metric[]>;
  /** Memory of a running instance as the host sees it (container cgroup, QEMU RSS…). */
  memory(inst: I, ctx: DriverContext): Promise<Metric[]>;
  /** Idempotent: "already gone" is success. */
  destroy(env: E, ctx: DriverContext): Promise<void>;
  /** Where the instances run; without it they run on this machine. Throws when that cannot be found out. */
  placement?(ctx: DriverContext, env?: E): Promise<Placement>;
  /** Where on this host a file an instance wrote at `path` lives (a container's upper layer…); none: why there is no such place. Without it: the same path. */
  hostPath?(inst: I, path: string): Promise<{ path: string } | { none: string }>;
  /**
   * A second environment made the same way as `env` but without its packages, with an instance running in it: the
   * "other environment" a probe compares with where two instances of the kind share one environment (two shells
   * of one venv). Its teardown is registered on ctx.cleanup the moment it exists; dispose runs it now.
   * Without it: the kind's second instance is already another environment (a container, a machine of its own).
   */
  sibling?(env: E, ctx: DriverContext): Promise<{ inst: I; dispose(): Promise<void> }>;
  /** Words for a failure this kind knows better than its raw message (a daemon gone away…); undefined: use the message. */
  explain?(err: unknown): string | undefined;
}
