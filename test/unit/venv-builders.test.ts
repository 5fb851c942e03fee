import { describe, expect, it } from 'vitest';
import { pipInstallArgv, pipRetries } from '../../src/drivers/venv/pip.js';
import { activateArgv, parseActivateMicros } from '../../src/drivers/venv/activate.js';
import { pipConfig } from '../../src/config/schema.js';

describe('pip install argv', () => {
  it('keeps pip\'s own configuration when nothing is set', () => {
    expect(pipInstallArgv('/v/bin/python', ['requests'], pipConfig.parse({}))).toEqual([
      '/v/bin/python', '-m', 'pip', 'install', '--disable-pip-version-check', '--no-input', '--no-cache-dir', 'requests',
    ]);
  });

  it('installs offline from a wheelhouse, ignoring the index URL', () => {
    const argv = pipInstallArgv('py', ['requests'], pipConfig.parse({ wheelhouse: '/w', indexUrl: 'http://i/simple', noCache: false }));
    expect(argv).toContain('--no-index');
    expect(argv.slice(argv.indexOf('--find-links'), argv.indexOf('--find-links') + 2)).toEqual(['--find-links', '/w']);
    expect(argv).not.toContain('--index-url');
    expect(argv).not.toContain('--no-cache-dir');
  });

  it('passes index URL, find-links and extra arguments in order', () => {
    const argv = pipInstallArgv('py', ['a', 'b'], pipConfig.parse({ indexUrl: 'http://i/simple', findLinks: ['/f'], extraArgs: ['--pre'] }));
    expect(argv.slice(-7)).toEqual(['--index-url', 'http://i/simple', '--find-links', '/f', '--pre', 'a', 'b']);
  });
});

describe('pip retry warnings', () => {
  it('counts pip\'s retries of an index it cannot reach and names the cause', () => {
    const line = (n: number) =>
      `WARNING: Retrying (Retry(total=${n}, connect=None, read=None, redirect=None, status=None)) after connection broken by 'NewConnectionError('<pip._vendor.urllib3.connection.HTTPSConnection object at 0x7f>: Failed to establish a new connection: [Errno -2] Name or service not known')': /simple/requests/`;
    const stderr = ["WARNING: Location 'file:///x/simple/requests/' is ignored: it is neither a file nor a directory.", line(4), line(3), line(2)].join('\n');
    expect(pipRetries(stderr)).toEqual({ count: 3, cause: 'Name or service not known' });
    expect(pipRetries("WARNING: Location 'file:///x' is ignored\nSuccessfully installed requests-2.32.3")).toBeUndefined();
    expect(pipRetries('')).toBeUndefined();
  });
});

describe('activation timing', () => {
  it('passes the activate path as an argument, never inside the script', () => {
    const argv = activateArgv('/tmp/x y/bin/activate');
    expect(argv.at(-1)).toBe('/tmp/x y/bin/activate');
    expect(argv[4]).not.toContain('x y');
  });

  it('parses microseconds into milliseconds and rejects garbage', () => {
    expect(parseActivateMicros('1234\n')).toBeCloseTo(1.234);
    expect(() => parseActivateMicros('oops')).toThrow(/expected microseconds/);
  });
});
