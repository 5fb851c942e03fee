// The timing helper's JSON-lines protocol (see timer.py): requests encoded, replies decoded and validated.
import { z } from 'zod';

/** The protocol version this client speaks; the helper's hello must name the same. */
export const TIMER_PROTOCOL = 1;

const timeRequestSchema = z.strictObject({
  op: z.literal('time'),
  id: z.number().int().nonnegative(),
  argv: z.array(z.string()).min(1),
  env: z.record(z.string(), z.string()),
  cwd: z.string().min(1).nullable(),
  stdin: z.string().min(1),
  stdout: z.string().min(1),
  stderr: z.string().min(1),
  timeoutMs: z.number().positive(),
  killAfterMs: z.number().nonnegative(),
});

const killRequestSchema = z.strictObject({ op: z.literal('kill'), id: z.number().int().nonnegative() });

export const helloSchema = z.strictObject({
  ev: z.literal('hello'),
  protocol: z.number().int(),
  python: z.string(),
  clockResolutionNs: z.number().int().positive(),
});

const exitSchema = z.strictObject({
  ev: z.literal('exit'),
  id: z.number().int().nonnegative(),
  ns: z.number().int().nonnegative(),
  code: z.number().int().nullable(),
  signal: z.number().int().nullable(),
  timedOut: z.boolean(),
  killed: z.boolean(),
});

const errorSchema = z.strictObject({
  ev: z.literal('error'),
  id: z.number().int().nonnegative().nullable(),
  error: z.string(),
});

const replySchema = z.discriminatedUnion('ev', [helloSchema, exitSchema, errorSchema]);

export type TimeRequest = z.infer<typeof timeRequestSchema>;
export type KillRequest = z.infer<typeof killRequestSchema>;
export type Hello = z.infer<typeof helloSchema>;
export type ExitReply = z.infer<typeof exitSchema>;
export type ErrorReply = z.infer<typeof errorSchema>;
export type Reply = z.infer<typeof replySchema>;

/** One request as a protocol line (validated first: a bad request is a bug of the caller, so it throws). */
export function encodeRequest(req: TimeRequest | KillRequest): string {
  const parsed = req.op === 'time' ? timeRequestSchema.parse(req) : killRequestSchema.parse(req);
  return `${JSON.stringify(parsed)}\n`;
}

/** One line from the helper as a validated reply; throws an Error quoting the line when it is not one. */
export function decodeReply(line: string): Reply {
  let json: unknown;
  try {
    json = JSON.parse(line);
  } catch {
    throw new Error(`timing helper sent a line that is not JSON: ${JSON.stringify(line.slice(0, 200))}`);
  }
  const r = replySchema.safeParse(json);
  if (!r.success) {
    const issue = r.error.issues[0]!;
    throw new Error(`timing helper sent an unexpected reply (${issue.path.join('.') || 'reply'}: ${issue.message}): ${line.slice(0, 200)}`);
  }
  return r.data;
}

/** Splits a stream's text into complete lines; returns them and the unfinished rest. */
export function splitLines(buffered: string): { lines: string[]; rest: string } {
  const parts = buffered.split('\n');
  const rest = parts.pop() ?? '';
  return { lines: parts.filter((l) => l.trim() !== ''), rest };
}

/** An exit reply's elapsed time in milliseconds. */
export function elapsedMs(reply: ExitReply): number {
  return reply.ns / 1e6;
}

/** The exit code as run() reports it: the process's code, or -1 when a signal ended it. */
export function exitCodeOf(reply: ExitReply): number {
  return reply.code ?? -1;
}
