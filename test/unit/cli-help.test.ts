// Every subcommand answers --help and -h with its own usage (naming each option it accepts), exit 0, on stdout.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { main, COMMAND_HELP, DOCTOR_OPTIONS, IMAGES_OPTIONS, CLEANUP_OPTIONS } from '../../src/cli.js';
import { RUN_OPTIONS } from '../../src/commands/run.js';
import { REPORT_OPTIONS } from '../../src/commands/report.js';
import { CLASS_OPTIONS } from '../../src/commands/class.js';

const OPTIONS: Record<string, Record<string, unknown>> = {
  run: RUN_OPTIONS,
  doctor: DOCTOR_OPTIONS,
  images: IMAGES_OPTIONS,
  cleanup: CLEANUP_OPTIONS,
  report: REPORT_OPTIONS,
  class: CLASS_OPTIONS,
};

let out: string[];
let err: string[];
beforeEach(() => {
  out = [];
  err = [];
  vi.spyOn(process.stdout, 'write').mockImplementation((c) => (out.push(String(c)), true));
  vi.spyOn(process.stderr, 'write').mockImplementation((c) => (err.push(String(c)), true));
});
afterEach(() => vi.restoreAllMocks());

describe('isobench COMMAND --help', () => {
  it('has a help text for every command', () => {
    expect(Object.keys(COMMAND_HELP).sort()).toEqual(Object.keys(OPTIONS).sort());
  });
  for (const [command, options] of Object.entries(OPTIONS)) {
    for (const flag of ['--help', '-h']) {
      it(`${command} ${flag}: its own usage with each of its options, exit 0, nothing on stderr`, async () => {
        expect(await main([command, flag])).toBe(0);
        const text = out.join('');
        expect(text.startsWith(`Usage: isobench ${command}`)).toBe(true);
        for (const name of Object.keys(options)) expect(text, `--${name}`).toMatch(new RegExp(`(^|\\s|\\[)--${name}\\b`));
        expect(err.join('')).toBe('');
      });
    }
  }
  it('answers help after other arguments too (images build vm --help, class serve -h)', async () => {
    expect(await main(['images', 'build', 'vm', '--help'])).toBe(0);
    expect(await main(['class', 'serve', '-h'])).toBe(0);
    expect(out.join('')).toMatch(/^Usage: isobench images build[\s\S]*Usage: isobench class serve/);
  });
  it('an unknown option is still a usage error (exit 2), and a --help after -- is an argument, not help', async () => {
    expect(await main(['cleanup', '--hlep'])).toBe(2);
    expect(err.join('')).toContain("Unknown option '--hlep'");
    expect(await main(['cleanup', '--', '--help'])).toBe(2);
    expect(out.join('')).toBe('');
  });
});
