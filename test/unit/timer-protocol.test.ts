import { describe, expect, it } from 'vitest';
import { decodeReply, elapsedMs, encodeRequest, exitCodeOf, splitLines, TIMER_PROTOCOL, type TimeRequest } from '../../src/measure/timer-protocol.js';

const request = (over: Partial<TimeRequest> = {}): TimeRequest => ({
  op: 'time',
  id: 7,
  argv: ['python', '-c', 'import requests'],
  env: { PATH: '/usr/bin' },
  cwd: null,
  stdin: '/dev/null',
  stdout: '/tmp/x/7.out',
  stderr: '/tmp/x/7.err',
  timeoutMs: 30_000,
  killAfterMs: 2_000,
  ...over,
});

describe('encodeRequest', () => {
  it('writes one JSON line the helper reads back as the same request', () => {
    const line = encodeRequest(request());
    expect(line.endsWith('\n')).toBe(true);
    expect(line.slice(0, -1)).not.toContain('\n');
    expect(JSON.parse(line)).toEqual(request());
  });

  it('keeps newlines inside arguments escaped (a script stays one line)', () => {
    const line = encodeRequest(request({ argv: ['bash', '-c', 'a\nb'] }));
    expect(line.split('\n')).toHaveLength(2);
    expect(JSON.parse(line).argv[2]).toBe('a\nb');
  });

  it('encodes a kill request', () => {
    expect(encodeRequest({ op: 'kill', id: 3 })).toBe('{"op":"kill","id":3}\n');
  });

  it('refuses requests the helper would reject: empty argv, no timeout, unknown keys', () => {
    expect(() => encodeRequest(request({ argv: [] }))).toThrow(/argv/);
    expect(() => encodeRequest(request({ timeoutMs: 0 }))).toThrow(/timeoutMs/);
    expect(() => encodeRequest({ ...request(), shell: true } as TimeRequest)).toThrow(/shell/);
  });
});

describe('decodeReply', () => {
  it('reads the hello, an exit and an error', () => {
    expect(decodeReply(`{"ev":"hello","protocol":${TIMER_PROTOCOL},"python":"3.11.2","clockResolutionNs":1}`)).toEqual({
      ev: 'hello',
      protocol: TIMER_PROTOCOL,
      python: '3.11.2',
      clockResolutionNs: 1,
    });
    const exit = decodeReply('{"ev":"exit","id":7,"ns":201234567,"code":0,"signal":null,"timedOut":false,"killed":false}');
    expect(exit).toMatchObject({ ev: 'exit', id: 7, code: 0 });
    expect(decodeReply('{"ev":"error","id":7,"error":"nope: command not found"}')).toEqual({ ev: 'error', id: 7, error: 'nope: command not found' });
    expect(decodeReply('{"ev":"error","id":null,"error":"not JSON"}')).toMatchObject({ id: null });
  });

  it('names what is wrong with a line that is not a reply', () => {
    expect(() => decodeReply('Traceback (most recent call last):')).toThrow(/not JSON: "Traceback/);
    expect(() => decodeReply('{"ev":"exit","id":7,"ns":-1,"code":0,"signal":null,"timedOut":false,"killed":false}')).toThrow(/ns/);
    expect(() => decodeReply('{"ev":"exit","id":7,"ns":5,"code":0,"signal":null,"timedOut":false}')).toThrow(/killed/);
    expect(() => decodeReply('{"ev":"bye"}')).toThrow(/unexpected reply/);
  });
});

describe('splitLines', () => {
  it('returns complete lines and keeps the unfinished rest for the next chunk', () => {
    expect(splitLines('{"a":1}\n{"b"')).toEqual({ lines: ['{"a":1}'], rest: '{"b"' });
    expect(splitLines('x\n\ny\n')).toEqual({ lines: ['x', 'y'], rest: '' });
    expect(splitLines('partial')).toEqual({ lines: [], rest: 'partial' });
  });
});

describe('exit replies', () => {
  const exit = (over: object) => ({ ev: 'exit' as const, id: 1, ns: 200_456_789, code: 0, signal: null, timedOut: false, killed: false, ...over });
  it('converts nanoseconds to milliseconds without rounding', () => {
    expect(elapsedMs(exit({}))).toBeCloseTo(200.456789, 9);
  });
  it('gives the exit code, or -1 when a signal ended the process (as run() does)', () => {
    expect(exitCodeOf(exit({ code: 3 }))).toBe(3);
    expect(exitCodeOf(exit({ code: null, signal: 15 }))).toBe(-1);
  });
});
