// The environments the benchmarks measure: made once through the real drivers (create registers their teardown).
import { DRIVERS } from '../src/drivers/registry.js';
import { ensureWheelhouse } from '../src/drivers/wheelhouse.js';
import { run } from '../src/lifecycle/process.js';
import type { Driver, DriverContext, Env, Kind } from '../src/drivers/types.js';

export interface Prepared {
  driver: Driver;
  env: Env;
  /** Wall time of preparing it (not a benchmark figure: preparation). */
  ms: number;
}

/** The host python3's major.minor (the wheelhouse is per Python version). */
async function hostPythonMinor(): Promise<string> {
  const r = await run(['python3', '-c', 'import sys; print("%d.%d" % sys.version_info[:2])'], { step: 'python3 version', timeoutMs: 10_000 });
  return r.stdout.trim();
}

/**
 * Creates and installs one environment of `kind`, or says why it cannot. The venv installs from the
 * cached wheelhouse: this is preparation, and pip's own index time is measured apart (pip.ts).
 */
export async function prepare(kind: Kind, ctx: DriverContext): Promise<Prepared | string> {
  const t0 = performance.now();
  const driver = DRIVERS[kind];
  if (!driver) return `no ${kind} driver`;
  const pre = await driver.preflight(ctx);
  if (!pre.ok) return `${kind}: ${pre.reason}`;
  if (kind === 'venv' && !ctx.config.pip.wheelhouse) {
    const wheelhouse = await ensureWheelhouse(ctx.config.packages, { pythonVersion: await hostPythonMinor() }, ctx);
    ctx.config = { ...ctx.config, pip: { ...ctx.config.pip, wheelhouse } };
  }
  const [spec] = driver.specs(ctx.config);
  if (!spec) return `${kind}: disabled in the config`;
  const env = await driver.create(spec, ctx);
  const step = await driver.install(env, ctx.config.packages, ctx);
  if (!step.ok) return `${kind}: install failed: ${step.error}`;
  return { driver, env, ms: performance.now() - t0 };
}
