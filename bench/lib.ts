// Shared pieces of the harness benchmarks: the result row, a driver context, hyperfine, the CLI, interleaving.
import { readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { execa } from 'execa';
import { configSchema } from '../src/config/schema.js';
import { median } from '../src/measure/stats.js';
import { newDriverContext } from '../src/lifecycle/context.js';
import { heldLocks } from '../src/lifecycle/lock.js';
import type { DriverContext } from '../src/drivers/types.js';

export const ROOT = join(import.meta.dirname, '..');

/** One line of the printed table: a measured comparison, its target, and whether it was met. */
export interface Row {
  section: string;
  what: string;
  /** isobench's number, formatted. */
  isobench: string;
  /** The reference it is compared with (hyperfine, bare spawn, the CLI…), formatted; '' when none. */
  reference: string;
  /** The ratio or difference the target is about, formatted. */
  result: string;
  target: string;
  /** true met, false missed, null no target. */
  met: boolean | null;
}

/** What a section gives back: rows for the table, raw numbers for the JSON, what it skipped and why. */
export interface SectionResult {
  rows: Row[];
  data: Record<string, unknown>;
  skipped: string[];
}

export interface BenchOptions {
  quick: boolean;
  ctx: DriverContext;
  log: (msg: string) => void;
  /** --keep DIR: the warm full run's output folder (results.json and reports) is copied there. */
  keep?: string;
  /** A child isobench process said it waits (for a lock another process holds): shown and recorded as it happens. */
  childWait: (line: string) => void;
  /** --samples N: the child runs (spectrum, the warm venv run) take N samples; for checking that the bench runs, not its figures. */
  samples?: number;
}

/** A driver context for the benchmark: default config with overrides, its own work dir and cleanup stack. */
export async function benchContext(overrides: Record<string, unknown> = {}): Promise<DriverContext> {
  return newDriverContext('bench', configSchema.parse(overrides));
}

/** Quotes one argument for hyperfine's own command-line splitting (it does not run a shell with -N). */
export function quoteArg(arg: string): string {
  return /^[\w@%+=:,./-]+$/.test(arg) ? arg : `'${arg.replace(/'/g, `'"'"'`)}'`;
}

/** hyperfine (no shell, -N) of argv: the run times in ms. */
export async function hyperfine(argv: string[], opts: { runs: number; warmups: number; workDir: string }): Promise<number[]> {
  const out = join(opts.workDir, `hyperfine-${process.hrtime.bigint()}.json`);
  const cmd = argv.map(quoteArg).join(' ');
  await execa('hyperfine', ['-N', '--style', 'none', '--warmup', String(opts.warmups), '--runs', String(opts.runs), '--export-json', out, cmd], { timeout: 1_800_000 });
  const json = JSON.parse(await readFile(out, 'utf8')) as { results: { times: number[] }[] };
  await rm(out, { force: true });
  return json.results[0]!.times.map((s) => s * 1000);
}

/** Runs each side in turn, in `rounds` blocks (so drift hits all alike); returns each side's pooled samples. */
export async function interleave<K extends string>(rounds: number, sides: Record<K, () => Promise<number[]>>): Promise<Record<K, number[]>> {
  const names = Object.keys(sides) as K[];
  const out = Object.fromEntries(names.map((n) => [n, [] as number[]])) as Record<K, number[]>;
  for (let r = 0; r < rounds; r++) {
    for (const n of names) out[n].push(...(await sides[n]()));
  }
  return out;
}

/** A child run's lines that say it waits on another process (a lock): the bench prints them as they come. */
const WAIT_LINE = /\bwaiting for\b/;

/**
 * Runs the built CLI (bin/isobench.js) with extra environment variables; its wall time in ms. Refuses while this
 * process holds a lock (the child would wait for its own parent); the child's waits go to `onWait` as they happen.
 */
export async function cli(args: string[], env: Record<string, string> = {}, onWait: (line: string) => void = () => {}): Promise<{ ms: number; exitCode: number; stderr: string; waits: string[] }> {
  const held = heldLocks();
  if (held.length) throw new Error(`the bench still holds ${held.join(', ')}: a child isobench ${args[0]} would wait for its own parent (release the prepared environments first)`);
  const t0 = performance.now();
  const child = execa('node', [join(ROOT, 'bin', 'isobench.js'), ...args], { reject: false, env, timeout: 3_600_000 });
  const waits: string[] = [];
  let partial = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    const lines = (partial + chunk.toString()).split('\n');
    partial = lines.pop() ?? '';
    for (const line of lines.filter((l) => WAIT_LINE.test(l))) {
      waits.push(line);
      onWait(line);
    }
  });
  const r = await child;
  return { ms: performance.now() - t0, exitCode: r.exitCode ?? -1, stderr: String(r.stderr), waits };
}

/** "123 ms", "1.23 s", "2 min 5 s". */
export function fmtMs(ms: number): string {
  if (ms < 10) return `${ms.toFixed(2)} ms`;
  if (ms < 1000) return `${ms.toFixed(0)} ms`;
  if (ms < 120_000) return `${(ms / 1000).toFixed(1)} s`;
  return `${Math.floor(ms / 60_000)} min ${Math.round((ms % 60_000) / 1000)} s`;
}

/** "12.3 MiB". */
export function fmtBytes(b: number): string {
  return `${(b / 1024 / 1024).toFixed(1)} MiB`;
}

/** Median, rounded to 0.01 ms, for the JSON. */
export function med(xs: number[]): number {
  return Math.round(median(xs) * 100) / 100;
}

/** Whether a ratio is within ±tolerance of 1. */
export function withinRatio(ratio: number, tolerance: number): boolean {
  return Math.abs(ratio - 1) <= tolerance;
}

/** Waits (polling every 30 s, up to maxMs) while tests or other isobench runs load the machine; returns the ms waited. */
export async function waitForQuiet(log: (msg: string) => void, maxMs = 20 * 60_000): Promise<number> {
  const t0 = performance.now();
  for (;;) {
    const busy = await execa('pgrep', ['-f', 'vitest|bin/isobench.js run'], { reject: false });
    if (busy.exitCode !== 0 || performance.now() - t0 > maxMs) return performance.now() - t0;
    log('other tests or isobench runs are using the machine; waiting for them to finish (timings would be disturbed)');
    await new Promise((r) => setTimeout(r, 30_000));
  }
}
