// The student's side: sends the run's results to the class server as they change, never holding up or failing the run.
import type { Logger } from '../lifecycle/log.js';
import type { RunResults } from '../results/schema.js';
import { CODE_HEADER, SUBMIT_PATH, type MachineState, type Submission } from './submission.js';

export interface SubmitterOptions {
  /** The class server's address, as the teacher's screen shows it. */
  url: string;
  code: string;
  machineId: string;
  log: Logger;
  timeoutMs?: number;
  /** Step updates are sent at most this often, 5 s by default (results after an environment go out as soon as the last send ended). */
  minIntervalMs?: number;
  /** Attempts at the end of the run, and the pause between them. */
  finalAttempts?: number;
  retryDelayMs?: number;
}

export interface ClassSubmitter {
  /** New results (after each environment): sent in the background. */
  results(results: RunResults): void;
  /** The step the run entered: sent in the background, at most every minIntervalMs (steps in between are coalesced). */
  step(step: string): void;
  /** Sends the final results (else the last ones it had), retrying when the server could not be reached; true when the server has them. */
  finish(state: MachineState, results?: RunResults): Promise<boolean>;
}

/** The submit endpoint below the address a student typed (with or without a path or trailing slash). */
export function submitUrl(base: string): string {
  const u = new URL(base);
  return u.pathname.endsWith(SUBMIT_PATH) ? u.href : new URL(SUBMIT_PATH, u).href;
}

/** The server's one-line error from a JSON error body, if it is one. */
function errorOf(text: string): string | undefined {
  try {
    return (JSON.parse(text) as { error?: string }).error;
  } catch {
    return undefined;
  }
}

/** The label the class page shows this machine with, from a JSON reply, if it has one. */
function labelOf(text: string): string | undefined {
  try {
    const label = (JSON.parse(text) as { label?: unknown }).label;
    return typeof label === 'string' ? label : undefined;
  } catch {
    return undefined;
  }
}

type Outcome = { ok: true; label?: string } | { ok: false; permanent: boolean; message: string };

/** Step updates at most this often: a room of 60 behind one address then sends about 12 a second. */
export const STEP_INTERVAL_MS = 5000;

/** A submitter that keeps at most one request in flight and always sends the newest state. */
export function classSubmitter(opts: SubmitterOptions): ClassSubmitter {
  const endpoint = submitUrl(opts.url);
  let latest: Submission | undefined;
  let dirty = false;
  let inflight: Promise<void> | undefined;
  let lastSentAt = -Infinity;
  let timer: NodeJS.Timeout | undefined;
  let refused: string | undefined;
  let warned = false;
  let lastOutcome: Outcome | undefined;
  /** The server took a submission of this run: a later 403 means the class now has another code, not a typo. */
  let accepted = false;

  const send = async (s: Submission): Promise<Outcome> => {
    try {
      const res = await fetch(endpoint, {
        method: 'POST',
        headers: { 'content-type': 'application/json', [CODE_HEADER]: opts.code },
        body: JSON.stringify(s),
        signal: AbortSignal.timeout(opts.timeoutMs ?? 10_000),
      });
      const text = await res.text();
      if (res.ok) {
        accepted = true;
        return { ok: true, label: labelOf(text) };
      }
      if (res.status === 403 && accepted) {
        return { ok: false, permanent: true, message: '403: the class was restarted with a new class code (this run was accepted before); ask the teacher for the new code' };
      }
      const message = `${res.status} ${errorOf(text) ?? res.statusText}`;
      return { ok: false, permanent: res.status < 500 && res.status !== 408 && res.status !== 429, message };
    } catch (err) {
      const e = err as Error & { cause?: { code?: string; message?: string } };
      return { ok: false, permanent: false, message: e.cause?.code ?? e.cause?.message ?? e.message };
    }
  };

  const note = (o: Outcome) => {
    lastOutcome = o;
    if (o.ok || warned) return;
    warned = true;
    if (o.permanent) refused = o.message;
    opts.log.warn(
      o.permanent
        ? `class server ${opts.url} refused the results: ${o.message}; the run goes on (check --submit and --code)`
        : `class server ${opts.url} not reachable (${o.message}); the run goes on and sends its results again at the end`,
    );
  };

  const pump = () => {
    if (inflight || !dirty || !latest || refused) return;
    const wait = lastSentAt + (opts.minIntervalMs ?? STEP_INTERVAL_MS) - performance.now();
    if (wait > 0) {
      timer ??= setTimeout(() => {
        timer = undefined;
        pump();
      }, wait);
      timer.unref();
      return;
    }
    dirty = false;
    lastSentAt = performance.now();
    inflight = send(latest).then((o) => {
      note(o);
      inflight = undefined;
      pump();
    });
  };

  const set = (results: RunResults, state: MachineState, step?: string) => {
    latest = { machineId: opts.machineId, state, ...(step ? { step: step.slice(0, 200) } : {}), results };
    dirty = true;
  };

  return {
    results(results) {
      set(results, 'running', latest?.step);
      lastSentAt = -Infinity;
      pump();
    },
    step(step) {
      if (latest) set(latest.results, 'running', step);
      pump();
    },
    async finish(state, results) {
      clearTimeout(timer);
      while (inflight) await inflight;
      const last = results ?? latest?.results;
      if (refused || !last) return false;
      set(last, state);
      const attempts = opts.finalAttempts ?? 3;
      for (let i = 0; i < attempts; i++) {
        if (i > 0) await new Promise((r) => setTimeout(r, (opts.retryDelayMs ?? 2000) * i));
        const o = await send(latest!);
        lastOutcome = o;
        if (o.ok || o.permanent) break;
      }
      if (lastOutcome?.ok) opts.log.info(`results sent to the class server ${opts.url}${lastOutcome.label ? `; the class page shows this machine as "${lastOutcome.label}"` : ''}`);
      else opts.log.warn(`could not send the results to the class server ${opts.url} (${lastOutcome && !lastOutcome.ok ? lastOutcome.message : 'not sent'}); your own results and reports are written as usual`);
      return Boolean(lastOutcome?.ok);
    },
  };
}
