import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { eventError, followEvents, splitEvents, type EngineEvent } from '../../src/drivers/docker/events.js';

describe('splitEvents', () => {
  it('keeps an unfinished line for the next chunk', () => {
    const r = splitEvents('{"stream":"Step 1/2"}\r\n{"stream":"Ste');
    expect(r.events).toEqual([{ stream: 'Step 1/2' }]);
    expect(r.rest).toBe('{"stream":"Ste');
  });
  it('keeps a non-JSON line as text', () => {
    expect(splitEvents('plain\n').events).toEqual([{ stream: 'plain' }]);
  });
});

describe('eventError', () => {
  it('reads error and errorDetail', () => {
    expect(eventError({ error: 'boom\n' })).toBe('boom');
    expect(eventError({ errorDetail: { message: 'bad', code: 1 } })).toBe('bad');
    expect(eventError({ stream: 'ok' })).toBeUndefined();
  });
});

describe('followEvents', () => {
  it('reports every event across chunk borders and resolves at the end', async () => {
    const s = new PassThrough();
    const seen: EngineEvent[] = [];
    const done = followEvents(s, (e) => seen.push(e), 'build');
    s.write('{"stream":"a"}\n{"str');
    s.end('eam":"b"}\n{"aux":{"ID":"sha256:1"}}');
    await done;
    expect(seen).toEqual([{ stream: 'a' }, { stream: 'b' }, { aux: { ID: 'sha256:1' } }]);
  });
  it('fails on an error event in the middle of the stream', async () => {
    const s = new PassThrough();
    const done = followEvents(s, () => undefined, 'docker build x');
    s.end('{"stream":"Step 1/2"}\n{"errorDetail":{"message":"pip failed"},"error":"pip failed"}\n{"stream":"more"}\n');
    await expect(done).rejects.toThrow('docker build x failed: pip failed');
  });
  it('fails when the stream closes before its end', async () => {
    const s = new PassThrough();
    const done = followEvents(s, () => undefined, 'pull');
    s.destroy();
    await expect(done).rejects.toThrow(/closed the stream/);
  });
});
