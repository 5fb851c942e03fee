// Runs one environment through create, install, measure, start samples and probes; never throws.
import { timed } from '../measure/clock.js';
import { PROBES } from '../probes/index.js';
import { addMetrics } from './metrics.js';
import { densitySteps } from './density.js';
import { IMPORT_REQUESTS, parseWorkload } from './workload.js';
import type { Driver, DriverContext, Env, EnvSpec, Instance, Metric, Placement } from '../drivers/types.js';
import type { EnvResult, HostInfo, ProbeResult } from '../results/schema.js';

/** An environment result with nothing measured yet. */
export function emptyEnvResult(driver: Driver, spec: EnvSpec, status: EnvResult['status']): EnvResult {
  return { kind: driver.kind, name: spec.name, label: spec.label, status, steps: [], metrics: {}, probes: [], notes: [], facts: {} };
}

class StepFailed extends Error {}

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
    Object.assign(result.facts, env.facts ?? {});
    result.steps.push({ step, ok: true, durationMs: created.ms });
    addMetrics(result, [{ id: 'create.ms', unit: 'ms', value: created.ms, method: 'wall time of creating the environment' }]);

    ctx.signal.throwIfAborted();
    step = 'install';
    progress(spec.name, `install ${ctx.config.packages.join(' ')}`);
    const installed = await driver.install(env, ctx.config.packages, envCtx);
    result.steps.push(installed);
    if (!installed.ok) throw new StepFailed(installed.error ?? 'install failed');
    addMetrics(result, [{ id: 'install.ms', unit: 'ms', value: installed.durationMs, method: `wall time of installing ${ctx.config.packages.join(' ')}` }]);

    ctx.signal.throwIfAborted();
    step = 'measure';
    progress(spec.name, `measure sizes and timings`);
    const measured = await timed(() => driver.measure(env!, envCtx));
    result.steps.push({ step, ok: true, durationMs: measured.ms });
    addMetrics(result, measured.value);

    ctx.signal.throwIfAborted();
    step = 'start';
    progress(spec.name, `start samples and import requests`);
    const started = await timed(() => startSamples(driver, env!, envCtx, result));
    result.steps.push({ step, ok: true, durationMs: started.ms });

    step = 'probes';
    progress(spec.name, `isolation probes`);
    const probed = await timed(() => runProbes(driver, env!, envCtx, host, started.value));
    result.probes = probed.value;
    result.steps.push({ step, ok: true, durationMs: probed.ms });

    if (ctx.config.instances.length) {
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
    const msg = driver.explain?.(err) ?? (err instanceof Error ? err.message : String(err));
    if (!(err instanceof StepFailed)) result.steps.push({ step, ok: false, durationMs: 0, error: msg });
    result.reason = ctx.signal.aborted ? `interrupted during ${step}` : `${step} failed: ${msg}`;
    ctx.log.warn(`${spec.name}: ${result.reason}`);
  } finally {
    if (env && !ctx.keep) {
      await driver.destroy(env, envCtx).catch((err: Error) => ctx.log.warn(`${spec.name}: destroy failed: ${err.message}`));
    }
  }
  return result;
}

/**
 * Start samples (start → ready), then on the first instance: the first import, warm imports and memory.
 * The last sample's instance is returned running: the probes use it as their second instance (one start fewer).
 */
async function startSamples(driver: Driver, env: Env, ctx: DriverContext, result: EnvResult): Promise<Instance> {
  const isVm = driver.kind === 'vm';
  const samples = isVm ? ctx.config.environments.vm.bootSamples : ctx.config.samples;
  const warmups = isVm ? 0 : ctx.config.warmups;
  const ready: number[] = [];
  const phases = new Map<string, number[]>();
  let last: Instance | undefined;
  for (let i = 0; i < warmups + samples; i++) {
    ctx.signal.throwIfAborted();
    const started = await timed(() => driver.start(env, ctx));
    const inst = started.value;
    try {
      if (i >= warmups) {
        ready.push(started.ms);
        for (const [k, v] of Object.entries(inst.phases)) phases.set(k, [...(phases.get(k) ?? []), v]);
      }
      if (i === 0) await importsAndMemory(driver, inst, ctx, result);
    } catch (err) {
      await driver.stop(inst);
      throw err;
    }
    if (i < warmups + samples - 1) await driver.stop(inst);
    else last = inst;
  }
  const metrics: Metric[] = [{ id: 'start.ready.ms', unit: 'ms', samples: ready, method: isVm ? 'from starting QEMU to the guest\'s readiness marker' : 'start of an instance until it runs commands' }];
  for (const [k, v] of phases) metrics.push({ id: `start.phase.${k}.ms`, unit: 'ms', samples: v, method: `ms from start to the "${k}" phase` });
  addMetrics(result, metrics);
  return last!;
}

async function importsAndMemory(driver: Driver, inst: Instance, ctx: DriverContext, result: EnvResult): Promise<void> {
  const argv = ['python', '-c', IMPORT_REQUESTS];
  const timeoutMs = ctx.config.timeouts.stepSec * 1000;
  const first = await driver.exec(inst, argv, { timeoutMs });
  if (first.exitCode !== 0) throw new Error(`python -c "import requests" exited with ${first.exitCode}: ${(first.stderr || first.stdout).trim().split('\n').pop()}`);
  const out = parseWorkload(first.stdout);
  result.facts['python.version'] = out.python;
  result.facts['requests.version'] = out.requests;
  const warm: number[] = [];
  const inner: number[] = [];
  for (let i = 0; i < ctx.config.warmups + ctx.config.samples; i++) {
    ctx.signal.throwIfAborted();
    const r = await driver.exec(inst, argv, { timeoutMs });
    if (r.exitCode !== 0) throw new Error(`import requests failed on sample ${i + 1}: ${r.stderr.trim().split('\n').pop()}`);
    if (i >= ctx.config.warmups) {
      warm.push(r.durationMs);
      inner.push(parseWorkload(r.stdout).importMs);
    }
  }
  addMetrics(result, [
    { id: 'import.first.ms', unit: 'ms', value: first.durationMs, method: 'wall time of the first `python -c "import requests; print(requests.__version__)"`' },
    { id: 'import.warm.ms', unit: 'ms', samples: warm, method: 'wall time of the same command, warm' },
    { id: 'import.inner.ms', unit: 'ms', samples: inner, method: 'time of `import requests` alone, measured inside Python' },
    { id: 'python.maxrss.bytes', unit: 'bytes', value: out.maxrssKb * 1024, method: 'peak RSS of that Python process (getrusage)' },
    ...(await driver.memory(inst, ctx)),
  ]);
}

/** Two instances: a new one publishing the probe port where the kind can, and `b` (already running); every probe, then stop both. */
export async function runProbes(driver: Driver, env: Env, ctx: DriverContext, host: HostInfo, b: Instance): Promise<ProbeResult[]> {
  const port = ctx.config.probePort;
  const hostPort = port + 1;
  try {
    ctx.signal.throwIfAborted();
    const placement = await placementOf(driver, ctx);
    const a = await driver.start(env, ctx, { publish: [{ inside: port, host: hostPort }] });
    try {
      const out: ProbeResult[] = [];
      for (const probe of PROBES.filter((p) => p.appliesTo.includes(driver.kind))) {
        ctx.signal.throwIfAborted();
        try {
          out.push(await probe.run({ driver, env, a, b, ctx, host, port, hostPort, placement }));
        } catch (err) {
          ctx.signal.throwIfAborted();
          const msg = err instanceof Error ? err.message : String(err);
          out.push({ id: probe.id, isolated: null, summary: `could not be measured: ${msg}`, evidence: {}, error: msg });
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
async function placementOf(driver: Driver, ctx: DriverContext): Promise<Placement> {
  if (!driver.placement) return { sameMachine: true, reason: `${driver.kind} instances run on this machine` };
  try {
    return await driver.placement(ctx);
  } catch (err) {
    return { sameMachine: false, reason: `could not tell which machine the ${driver.kind} instances run on: ${err instanceof Error ? err.message : String(err)}` };
  }
}
