import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { resultsJsonSchema, SCHEMA_PATH } from '../../scripts/export-schema.js';

describe('schema/results.schema.json', () => {
  it('equals a fresh export of the results schema (run `npm run schema` after changing it)', () => {
    expect(readFileSync(SCHEMA_PATH, 'utf8')).toBe(resultsJsonSchema());
  });

  it('describes the results document', () => {
    const schema = JSON.parse(resultsJsonSchema()) as { $schema: string; required: string[]; additionalProperties: boolean };
    expect(schema.$schema).toBe('https://json-schema.org/draft/2020-12/schema');
    expect(schema.required).toEqual(expect.arrayContaining(['schemaVersion', 'host', 'environments', 'claims']));
    expect(schema.additionalProperties).toBe(false);
  });
});

describe('the committed sample', () => {
  it('is a complete real run, valid against the current results schema once upgraded', async () => {
    const { readFile } = await import('node:fs/promises');
    const { join } = await import('node:path');
    const { runResultsSchema } = await import('../../src/results/schema.js');
    const { PACKAGE_ROOT } = await import('../../src/lifecycle/paths.js');
    const { upgradeResults } = await import('../../src/results/upgrade.js');
    const sample = runResultsSchema.parse(upgradeResults(JSON.parse(await readFile(join(PACKAGE_ROOT, 'reports', 'sample', 'results.json'), 'utf8'))));
    expect(sample.complete).toBe(true);
    expect(sample.environments.map((e) => [e.name, e.status])).toEqual([
      ['venv-python3', 'completed'],
      ['docker-requests', 'completed'],
      ['podman-rootless', 'completed'],
      ['docker-gvisor', 'completed'],
      ['docker-bullseye', 'completed'],
      ['docker-trixie', 'completed'],
      ['vm-full', 'completed'],
      ['vm-micro', 'completed'],
      ['vm-desktop', 'completed'],
      ['vm-micro-bullseye', 'completed'],
      ['vm-vagrant', 'completed'],
    ]);
  });
});
