import { describe, expect, it } from 'vitest';
import { pipInstallArgv } from '../../src/drivers/venv/pip.js';
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
