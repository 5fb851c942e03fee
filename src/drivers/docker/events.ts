// The Engine's JSON-lines progress streams (build, pull, import): split, parse, find errors.

/** One progress event of a build/pull/import stream. */
export interface EngineEvent {
  stream?: string;
  status?: string;
  id?: string;
  progressDetail?: { current?: number; total?: number };
  error?: string;
  errorDetail?: { message?: string; code?: number };
  aux?: { ID?: string };
}

/** Splits buffered text into complete JSON events and the unfinished rest. */
export function splitEvents(text: string): { events: EngineEvent[]; rest: string } {
  const lines = text.split(/\r?\n/);
  const rest = lines.pop() ?? '';
  const events: EngineEvent[] = [];
  for (const line of lines) {
    if (!line.trim()) continue;
    try {
      events.push(JSON.parse(line) as EngineEvent);
    } catch {
      events.push({ stream: line });
    }
  }
  return { events, rest };
}

/** The error message an event carries (error or errorDetail), else undefined. */
export function eventError(ev: EngineEvent): string | undefined {
  if (ev.error) return ev.error.trim();
  if (ev.errorDetail) return (ev.errorDetail.message ?? JSON.stringify(ev.errorDetail)).trim();
  return undefined;
}

/** Reads a progress stream to its end, calling onEvent for each event; rejects on the first error event. */
export function followEvents(
  stream: NodeJS.ReadableStream,
  onEvent: (ev: EngineEvent) => void,
  what: string,
): Promise<void> {
  return new Promise((resolve, reject) => {
    let buf = '';
    let failed: string | undefined;
    const handle = (events: EngineEvent[]) => {
      for (const ev of events) {
        failed ??= eventError(ev);
        onEvent(ev);
      }
    };
    stream.on('data', (chunk: Buffer | string) => {
      const { events, rest } = splitEvents(buf + chunk.toString());
      buf = rest;
      handle(events);
    });
    stream.on('error', (err: Error) => reject(new Error(`${what}: ${err.message}`)));
    stream.on('end', () => {
      handle(splitEvents(`${buf}\n`).events);
      if (failed) reject(new Error(`${what} failed: ${failed}`));
      else resolve();
    });
    stream.on('close', () => reject(new Error(`${what}: the Engine closed the stream before its end`)));
  });
}
