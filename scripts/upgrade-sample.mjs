// Upgrades a committed results file to the current schema in place and judges its claims by today's rules.
// Usage: node scripts/upgrade-sample.mjs FILE... (after `npm run build`)
import { readFile, writeFile } from 'node:fs/promises';
import { upgradeResults } from '../dist/results/upgrade.js';
import { runResultsSchema } from '../dist/results/schema.js';
import { judgeClaims } from '../dist/claims/verdict.js';
import { loadClaims } from '../dist/claims/load.js';

for (const file of process.argv.slice(2)) {
  const up = runResultsSchema.parse(upgradeResults(JSON.parse(await readFile(file, 'utf8'))));
  up.claims = judgeClaims(loadClaims(), up.environments);
  await writeFile(file, `${JSON.stringify(up, null, 2)}\n`);
  console.log(`${file}: schema v${up.schemaVersion}, ${up.claims.length} claims judged`);
}
