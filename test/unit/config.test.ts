import { describe, expect, it } from 'vitest';
import { parseConfig, loadConfig } from '../../src/config/load.js';
import { UserError } from '../../src/config/errors.js';

const error = (text: string) => {
  try {
    parseConfig(text, '/some/dir/bench.yaml');
  } catch (err) {
    expect(err).toBeInstanceOf(UserError);
    return (err as Error).message;
  }
  throw new Error('expected a config error');
};

describe('config', () => {
  it('loads the embedded default config', async () => {
    const c = await loadConfig();
    expect(c.packages).toEqual(['requests']);
    expect(c.environments.venv.interpreters.length).toBeGreaterThan(0);
  });

  it('names field, expectation, value and line for a bad value', () => {
    expect(error('packages: [requests]\n\n\nsamples: -3\n')).toBe('samples: expected a positive integer, got -3 (bench.yaml:4)');
  });

  it('names the nested path of a wrong type', () => {
    expect(error('environments:\n  venv:\n    interpreters: 3\n')).toBe('environments.venv.interpreters: expected a list, got 3 (bench.yaml:3)');
  });

  it('points at an unknown key', () => {
    expect(error('samples: 3\nenvironments:\n  dockr: {}\n')).toBe('environments.dockr: unknown key; remove it or check its spelling (bench.yaml:3)');
  });

  it('reports duplicate keys and invalid YAML with their line', () => {
    expect(error('samples: 1\nsamples: 2\n')).toMatch(/^duplicate key: .*\(bench\.yaml:2\)/);
    expect(error('samples: [1,\n')).toMatch(/^invalid YAML: .*\(bench\.yaml:\d\)/);
  });

  it('lists the allowed values of an enum', () => {
    expect(error('environments:\n  docker:\n    pull: maybe\n')).toBe(
      'environments.docker.pull: expected one of "auto", "always", "never", got "maybe" (bench.yaml:3)',
    );
  });

  it('refuses a config that is not a mapping', () => {
    expect(error('- 1\n')).toMatch(/must be a mapping/);
  });

  it('says when the file cannot be read', async () => {
    await expect(loadConfig('/nonexistent/bench.yaml')).rejects.toThrow(/cannot read config .*no such file/);
  });
});
