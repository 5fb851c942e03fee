// A failed step's tool output -> one line naming the cause, and the fix where known.
import { describe, expect, it } from 'vitest';
import { classifyFailure, oneLine, plain, telling, QUOTE_MAX } from '../../src/run/failure.js';
import { withLog } from '../../src/report/format.js';

// pip's own output when its index refuses connections (PIP_RETRIES=3), as a Docker build prints it.
const PIP_REFUSED = [
  'Step 4/5 : RUN pip install --no-cache-dir requests',
  ' ---> Running in 0b3f9a',
  ...[2, 1, 0].map((n) => `WARNING: Retrying (Retry(total=${n}, connect=None, read=None, redirect=None, status=None)) after connection broken by 'NewConnectionError('<pip._vendor.urllib3.connection.HTTPConnection object at 0x7f1>: Failed to establish a new connection: [Errno 111] Connection refused')': /simple/requests/`),
  'ERROR: Could not find a version that satisfies the requirement requests (from versions: none)',
  'ERROR: No matching distribution found for requests',
  "The command '/bin/sh -c pip install --no-cache-dir requests' returned a non-zero code: 1",
].join('\n');

describe('classifyFailure', () => {
  it('pip that reaches no index: one line with the cause and the retries, and the fix', () => {
    const f = classifyFailure('install', PIP_REFUSED);
    expect(f.reason).toBe('install failed: pip could not reach a package index (connection refused, 3 retries)');
    expect(f.fix).toBe('the network, PIP_INDEX_URL (or pip.indexUrl in the config), or a wheelhouse (pip.wheelhouse)');
    expect(PIP_REFUSED.length).toBeGreaterThan(800);
  });
  it('a name that does not resolve is said as such', () => {
    const out = "pip install requests failed: WARNING: Retrying (Retry(total=0, …)) after connection broken by 'NewConnectionError(…: Failed to establish a new connection: [Errno -2] Name or service not known')'";
    expect(classifyFailure('install', out).reason).toBe('install failed: pip could not reach a package index (the host name does not resolve, 1 retry)');
  });
  it('an index that answers but lacks the package is not called unreachable', () => {
    const f = classifyFailure('install', 'pip install reqeusts failed: ERROR: Could not find a version that satisfies the requirement reqeusts (from versions: 1.0)\nERROR: No matching distribution found for reqeusts');
    expect(f.reason).toBe('install failed: pip found no distribution of reqeusts on its index');
    expect(f.fix).toMatch(/^check the name in packages/);
  });
  it('no retry warning and no version at all (PIP_RETRIES=0): unreachable or empty, said as both', () => {
    const f = classifyFailure('install', 'pip install requests failed: ERROR: Could not find a version that satisfies the requirement requests (from versions: none) ERROR: No matching distribution found for requests');
    expect(f.reason).toBe('install failed: pip found requests on no index (from versions: none): an index it could not reach, or one without it');
    expect(f.fix).toMatch(/^the network, PIP_INDEX_URL/);
  });
  it('pip forced to colour (FORCE_COLOR set, even to 0, as CI runners do) reads the same, with no escape in the reason', () => {
    // pip 23's own bytes under FORCE_COLOR=0 with no index.
    const coloured = '\x1b[31mERROR: Could not find a version that satisfies the requirement requests (from versions: none)\x1b[0m\x1b[31m\n\x1b[0m\x1b[31mERROR: No matching distribution found for requests\x1b[0m\x1b[31m\n\x1b[0m';
    expect(classifyFailure('install', coloured).reason).toBe('install failed: pip found requests on no index (from versions: none): an index it could not reach, or one without it');
    expect(classifyFailure('install', `x \x1b[1;31mboom\x1b[0m \x1b]8;;http://h/\x07link\x1b]8;;\x07`).reason).toBe('install failed: x boom link');
    expect(plain('a\x1b[2Kb\x1b(Bc')).toBe('abc');
  });
  it('pip TLS failures, a full disk, the Docker socket and a timeout each get their cause and fix', () => {
    expect(classifyFailure('install', 'pip install: SSLError(SSLCertVerificationError(1, "[SSL: CERTIFICATE_VERIFY_FAILED] certificate verify failed"))').reason).toBe("install failed: pip could not verify the package index's TLS certificate");
    expect(classifyFailure('docker build', 'write /var/lib/docker/tmp/x: no space left on device').reason).toBe('docker build failed: the disk is full (no space left on device)');
    expect(classifyFailure('create', 'connect EACCES /var/run/docker.sock').fix).toMatch(/docker group/);
    const t = classifyFailure('install', 'pip install: timed out after 600 s (python -m pip install requests)');
    expect([t.reason, t.fix]).toEqual(['install failed: timed out after 600 s', 'raise timeouts.stepSec in the config; the log shows where it stalled']);
  });
  it('an unknown failure: its telling line only, at most QUOTE_MAX characters, no fix invented', () => {
    const long = `step 1\nstep 2\nERROR: ${'x'.repeat(400)}\nmore output`;
    const f = classifyFailure('measure', long);
    expect(f.fix).toBeUndefined();
    expect(f.reason.startsWith('measure failed: ERROR: xxx')).toBe(true);
    expect(f.reason.length).toBe('measure failed: '.length + QUOTE_MAX);
    expect(f.reason).not.toContain('\n');
  });
  it('every reason is one line', () => {
    for (const out of [PIP_REFUSED, 'a\nb\nc', 'E: Unable to locate package x\nmore', '']) expect(classifyFailure('s', out).reason).not.toMatch(/\n/);
  });
});

describe('oneLine / telling', () => {
  it('collapses whitespace and cuts with an ellipsis', () => {
    expect(oneLine('a\n  b\tc')).toBe('a b c');
    expect(oneLine('abcdef', 4)).toBe('abc…');
    expect(oneLine('abcd', 4)).toBe('abcd');
  });
  it('picks the first ERROR line, else a line saying error/failed/denied, else the last line', () => {
    expect(telling('x\nERROR: one\nERROR: two\n')).toBe('ERROR: one');
    expect(telling('x\nopen /y: permission denied\nz')).toBe('open /y: permission denied');
    expect(telling('x\ny\n\n')).toBe('y');
  });
});

describe('withLog (the report\'s fix cell)', () => {
  it('adds the link to the log after the fix, or alone; nothing without a log', () => {
    expect(withLog('the network', '[isobench.log](isobench.log)', 'the whole output')).toBe('the network; the whole output: [isobench.log](isobench.log)');
    expect(withLog('', 'L', 'the whole output')).toBe('the whole output: L');
    expect(withLog('fix', undefined, 'the whole output')).toBe('fix');
  });
});
