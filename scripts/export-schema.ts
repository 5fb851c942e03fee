// Exports the results schema (src/results/schema.ts) as JSON Schema to schema/results.schema.json: `npm run schema`.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { runResultsSchema, SCHEMA_VERSION } from '../src/results/schema.js';

/** Where the exported schema is committed. */
export const SCHEMA_PATH = join(fileURLToPath(new URL('..', import.meta.url)), 'schema', 'results.schema.json');

/** The results schema as JSON Schema (draft 2020-12) text, ending in a newline. */
export function resultsJsonSchema(): string {
  const schema = z.toJSONSchema(runResultsSchema, { target: 'draft-2020-12', io: 'input' });
  const doc = {
    ...schema,
    $id: `urn:isobench:results:v${SCHEMA_VERSION}`,
    title: `isobench results (schema v${SCHEMA_VERSION})`,
  };
  return `${JSON.stringify(doc, null, 2)}\n`;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  writeFileSync(SCHEMA_PATH, resultsJsonSchema());
  process.stdout.write(`wrote ${SCHEMA_PATH}\n`);
}
