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
