// The JSON report: the results validated against the versioned schema, pretty-printed.
import { runResultsSchema, type RunResults } from '../results/schema.js';

/** Results as pretty JSON; throws naming each invalid path when they do not match the schema. */
export function renderJson(results: RunResults): string {
  const parsed = runResultsSchema.safeParse(results);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => `  ${i.path.join('.') || '(root)'}: ${i.message}`).join('\n');
    throw new Error(`results do not match the results schema (v${results?.schemaVersion ?? '?'}):\n${issues}`);
  }
  return `${JSON.stringify(parsed.data, null, 2)}\n`;
}
