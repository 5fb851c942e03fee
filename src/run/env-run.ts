// Runs one environment through create, install, measure, start samples and probes; never throws.
import { now, timed } from '../measure/clock.js';
import { PROBES } from '../probes/index.js';
import { addMetrics } from './metrics.js';
import { densitySteps } from './density.js';
import { IMPORT_REQUESTS, parseWorkload } from './workload.js';
import { classifyFailure } from './failure.js';
import { probePorts } from './probe-ports.js';
import type { Config } from '../config/schema.js';
import type { Driver, DriverContext, Env, EnvSpec, Instance, Metric, Placement, SamplePlan, Step } from '../drivers/types.js';
import type { EnvResult, HostInfo, ProbeResult, SamplePlanResult } from '../results/schema.js';

/** An environment result with nothing measured yet. */
export function emptyEnvResult(driver: Driver, spec: EnvSpec, status: EnvResult['status']): EnvResult {
  return { kind: driver.kind, name: spec.name, label: spec.label, status, steps: [], metrics: {}, probes: [], notes: [], facts: {} };
}

/** A step that returned ok: false: its message is the tool's whole output, the step is recorded when it is classified. */
class StepFailed extends Error {
  constructor(
    message: string,
    readonly step: Step,
  ) {
    super(message);
  }
}

/** Runs every phase of one environment; a failure makes it `errored` with the step and reason. */
export async function runEnvironment(
  driver: Driver,
  spec: EnvSpec,
  ctx: DriverContext,
  host: HostInfo,
  progress: (env: string, step: string) => void = () => {},
): Promise<EnvResult> {
  const result = emptyEnvResult(driver, spec, 'errored');
  const envCtx: DriverContext = { ...ctx, note: (t) => result.notes.push(t) };
  let step = 'create';
  let env: Env | undefined;
  try {
    progress(spec.name, `create`);
    const created = await timed(() => driver.create(spec, envCtx));
    env = created.value;
    // The environment's own label says what was really measured (the image path taken, the VM's acceleration).
    result.label = env.label;
    Object.assign(result.facts, env.facts ?? {});
    result.steps.push({ step, ok: true, durationMs: created.ms });
    addMetrics(result, [{ id: 'create.ms', unit: 'ms', value: created.ms, method: env.methods?.create ?? 'wall time of creating the environment' }]);

    ctx.signal.throwIfAborted();
    step = 'install';
    progress(spec.name, `install ${ctx.config.packages.join(' ')}`);
    const installed = await driver.install(env, ctx.config.packages, envCtx);
    const { untimed, output, ...installStep } = installed;
    if (!installed.ok) throw new StepFailed(output ?? installed.error ?? 'install failed', installStep);
    result.steps.push(installStep);
    const installMethod = installed.method ?? `wall time of pip install ${ctx.config.packages.join(' ')}, in this run`;
    if (!untimed) addMetrics(result, [{ id: 'install.ms', unit: 'ms', value: installed.durationMs, method: installMethod }]);

    ctx.signal.throwIfAborted();
    step = 'measure';
    progress(spec.name, `measure sizes and timings`);
    const measured = await timed(() => driver.measure(env!, envCtx));
    result.steps.push({ step, ok: true, durationMs: measured.ms });
    addMetrics(result, measured.value);
    Object.assign(result.facts, env.facts ?? {});

    ctx.signal.throwIfAborted();
    const plan = planOf(env, ctx.config);
    result.plan = planResult(plan, ctx.config);
    step = 'start';
    progress(spec.name, `start samples and import requests`);
    const started = await timed(() => startSamples(driver, env!, plan, envCtx, result));
    result.steps.push({ step, ok: true, durationMs: started.ms });

    if (plan.probes === false) {
      await driver.stop(started.value);
    } else {
      step = 'probes';
      progress(spec.name, `isolation probes`);
      const probed = await timed(() => runProbes(driver, env!, envCtx, host, started.value));
      result.probes = probed.value;
      result.steps.push({ step, ok: true, durationMs: probed.ms });
    }

    if (ctx.config.instances.length && plan.density !== false) {
      ctx.signal.throwIfAborted();
      step = 'density';
      progress(spec.name, `density: ${ctx.config.instances.join(', ')} instances at once`);
      const dense = await timed(() => densitySteps(driver, env!, envCtx));
      addMetrics(result, dense.value.metrics);
      const error = dense.value.errors.join('; ');
      for (const e of dense.value.errors) envCtx.note(`density ${e}`);
      result.steps.push({ step, ok: !error, durationMs: dense.ms, ...(error ? { error } : {}) });
    }
    result.status = 'completed';
  } catch (err) {
    const explained = driver.explain?.(err);
    const full = err instanceof Error ? err.message : String(err);
    // The whole output goes to the log; the row, the step and the terminal get one line (and the fix, when known).
    const failure = explained ? { reason: `${step} failed: ${explained}` } : classifyFailure(step, full);
    ctx.log.debug(`${spec.name}: ${step} failed; the whole output:\n${full}`);
    const error = failure.reason.slice(`${step} failed: `.length);
    result.steps.push(err instanceof StepFailed ? { ...err.step, error } : { step, ok: false, durationMs: 0, error });
    result.reason = ctx.signal.aborted ? `interrupted during ${step}` : failure.reason;
    if (!ctx.signal.aborted && failure.fix) result.fix = failure.fix;
    if (ctx.logFile) result.log = ctx.logFile;
    ctx.log.warn(`${spec.name}: ${result.reason}${result.fix ? ` (fix: ${result.fix})` : ''}; the whole output is in the log`);
  } finally {
    if (env && !ctx.keep) {
      await driver.destroy(env, envCtx).catch((err: Error) => ctx.log.warn(`${spec.name}: destroy failed: ${err.message}`));
    }
  }
  return result;
}

/** A row's plan: the driver's, else the config's samples (a venv or container starts in under a second). */
export function planOf(env: Env, config: Config): SamplePlan {
  return env.plan ?? { id: 'repeated', reason: 'fast-start', start: { samples: config.samples, warmups: config.warmups } };
}

/** The plan as results.json records it: its id, reason and counts. */
export function planResult(plan: SamplePlan, config: Config): SamplePlanResult {
  const imports = plan.imports ?? { samples: config.samples, warmups: config.warmups };
  return { id: plan.id, reason: plan.reason, starts: plan.start.samples, warmups: plan.start.warmups, imports: imports.samples, probes: plan.probes !== false };
}

/** What "ready" means for every kind alike: a Python process in the environment answers. */
export const READY_ARGV = ['python', '-c', 'print("isobench-ready")'];
const READY_MARK = 'isobench-ready';

/**
 * Start samples, each from nothing running until a Python process in the environment answers (ready.python.ms,
 * one definition for every kind); the instance's own start (container running, guest agent up) is kept as
 * instance.up.ms where there is an instance. Then, on the first instance: the first import, warm imports, memory.
 * The last sample's instance is returned running: the probes use it as their second instance (one start fewer).
 * A plan of no timed starts makes one start that no number times (the imports and memory are read on it).
 */
async function startSamples(driver: Driver, env: Env, plan: SamplePlan, ctx: DriverContext, result: EnvResult): Promise<Instance> {
  const { samples, warmups } = plan.start;
  const timedStarts = samples > 0;
  const ready: number[] = [];
  const up: number[] = [];
  const phases = new Map<string, number[]>();
  const timeoutMs = ctx.config.timeouts.stepSec * 1000;
  let last: Instance | undefined;
  const starts = timedStarts ? warmups + samples : 1;
  for (let i = 0; i < starts; i++) {
    ctx.signal.throwIfAborted();
    const t0 = now();
    const inst = await driver.start(env, ctx);
    const upMs = now() - t0;
    try {
      const answer = await driver.exec(inst, READY_ARGV, { timeoutMs });
      const readyMs = now() - t0;
      if (answer.exitCode !== 0 || !answer.stdout.includes(READY_MARK)) {
        throw new Error(`python did not answer after start (exit ${answer.exitCode}): ${(answer.stderr || answer.stdout).trim().split('\n').pop()}`);
      }
      if (timedStarts && i >= warmups) {
        ready.push(readyMs);
        up.push(upMs);
        for (const [k, v] of Object.entries(inst.phases)) phases.set(k, [...(phases.get(k) ?? []), v]);
      }
      if (i === 0) await importsAndMemory(driver, inst, plan, ctx, result);
    } catch (err) {
      await driver.stop(inst);
      throw err;
    }
    if (i < starts - 1) await driver.stop(inst);
    else last = inst;
  }
  if (!timedStarts) return last!;
  const metrics: Metric[] = [{ id: 'ready.python.ms', unit: 'ms', samples: ready, method: env.methods?.ready ?? READY_METHOD[driver.kind] }];
  if (driver.kind !== 'venv') metrics.push({ id: 'instance.up.ms', unit: 'ms', samples: up, method: env.methods?.up ?? UP_METHOD[driver.kind] });
  for (const [k, v] of phases) metrics.push({ id: `start.phase.${k}.ms`, unit: 'ms', samples: v, method: `time from start to the "${k}" phase (since start, not the phase's own duration)` });
  addMetrics(result, metrics);
  return last!;
}

const READY_METHOD: Record<Driver['kind'], string> = {
  venv: 'from nothing running until a Python process in the environment answers: the venv\'s python -c print(…), started and waited for (a venv has nothing else to start)',
  docker: 'from nothing running until a Python process in the environment answers: create + start a container, then python -c print(…) through the exec API',
  vm: 'from nothing running until a Python process in the environment answers: start QEMU, boot the guest to its agent, then the guest venv\'s python -c print(…)',
};

const UP_METHOD: Record<'docker' | 'vm', string> = {
  docker: 'create + start of a container through the Engine API until it runs (no Python yet)',
  vm: 'from starting QEMU until the guest agent answers (the boot; no Python yet)',
};

/** The workload kept running while memory is read: imports requests, says so, then waits to be stopped. */
export const WORKLOAD_RUNNING = 'import requests, sys, time; print("isobench-loaded", flush=True); time.sleep(3600)';

async function importsAndMemory(driver: Driver, inst: Instance, plan: SamplePlan, ctx: DriverContext, result: EnvResult): Promise<void> {
  const argv = ['python', '-c', IMPORT_REQUESTS];
  const timeoutMs = ctx.config.timeouts.stepSec * 1000;
  const first = await driver.exec(inst, argv, { timeoutMs });
  if (first.exitCode !== 0) throw new Error(`python -c "import requests" exited with ${first.exitCode}: ${(first.stderr || first.stdout).trim().split('\n').pop()}`);
  const out = parseWorkload(first.stdout);
  result.facts['python.version'] = out.python;
  result.facts['requests.version'] = out.requests;
  const warm: number[] = [];
  const inner: number[] = [];
  const imports = plan.imports ?? { samples: ctx.config.samples, warmups: ctx.config.warmups };
  for (let i = 0; i < imports.warmups + imports.samples; i++) {
    ctx.signal.throwIfAborted();
    const r = await driver.exec(inst, argv, { timeoutMs });
    if (r.exitCode !== 0) throw new Error(`import requests failed on sample ${i + 1}: ${r.stderr.trim().split('\n').pop()}`);
    if (i >= imports.warmups) {
      warm.push(r.durationMs);
      inner.push(parseWorkload(r.stdout).importMs);
    }
  }
  addMetrics(result, [
    { id: 'import.first.ms', unit: 'ms', value: first.durationMs, method: 'wall time of the first `python -c "import requests; print(requests.__version__)"`' },
    ...(imports.samples
      ? ([
          { id: 'import.warm.ms', unit: 'ms', samples: warm, method: 'wall time of the same command, warm' },
          { id: 'import.inner.ms', unit: 'ms', samples: inner, method: 'time of `import requests` alone, measured inside Python' },
        ] as Metric[])
      : []),
    { id: 'python.maxrss.bytes', unit: 'bytes', value: out.maxrssKb * 1024, method: 'peak RSS of the workload: the Python that imported requests (getrusage, read inside the environment)' },
  ]);
  // What the environment holds on the host is read while the same workload runs in it.
  const workload = await driver.spawn(inst, ['python', '-c', WORKLOAD_RUNNING], { timeoutMs });
  try {
    await workload.waitFor(/isobench-loaded/, timeoutMs);
    addMetrics(result, await driver.memory(inst, ctx));
  } finally {
    await workload.stop();
  }
}

/** Two instances: a new one publishing the probe port where the kind can, and `b` (already running); every probe, then stop both. */
export async function runProbes(driver: Driver, env: Env, ctx: DriverContext, host: HostInfo, b: Instance): Promise<ProbeResult[]> {
  try {
    ctx.signal.throwIfAborted();
    const { port, hostPort, note } = await probePorts(ctx.config.probePort);
    if (note) ctx.note(note);
    const placement = await placementOf(driver, ctx, env);
    const a = await driver.start(env, ctx, { publish: [{ inside: port, host: hostPort }] });
    try {
      const out: ProbeResult[] = [];
      for (const probe of PROBES.filter((p) => p.appliesTo.includes(driver.kind))) {
        ctx.signal.throwIfAborted();
        const shared = probe.sameEvidenceAs ? { sameEvidenceAs: probe.sameEvidenceAs } : {};
        try {
          out.push({ ...(await probe.run({ driver, env, a, b, ctx, host, port, hostPort, placement })), ...shared });
        } catch (err) {
          ctx.signal.throwIfAborted();
          const msg = err instanceof Error ? err.message : String(err);
          out.push({ id: probe.id, isolated: null, summary: `could not be measured: ${msg}`, evidence: {}, error: msg, ...shared });
        }
      }
      ctx.signal.throwIfAborted();
      return out;
    } finally {
      await driver.stop(a);
    }
  } finally {
    await driver.stop(b);
  }
}

/** Where the driver's instances run; one that cannot be found out counts as not this machine, with the reason. */
async function placementOf(driver: Driver, ctx: DriverContext, env: Env): Promise<Placement> {
  if (!driver.placement) return { sameMachine: true, reason: `${driver.kind} instances run on this machine` };
  try {
    return await driver.placement(ctx, env);
  } catch (err) {
    return { sameMachine: false, reason: `could not tell which machine the ${driver.kind} instances run on: ${err instanceof Error ? err.message : String(err)}` };
  }
}
