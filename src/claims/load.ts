// Loads and validates the document's claims (fixtures/claims/document.yaml in the package).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { PACKAGE_ROOT } from '../lifecycle/paths.js';
import { claimsFileSchema, type Claim } from './schema.js';

/** Where the packaged claims file lives. */
export const CLAIMS_PATH = join(PACKAGE_ROOT, 'fixtures', 'claims', 'document.yaml');

/** Parses and validates claims YAML text; throws naming the file, the claim path and the problem. */
export function parseClaims(text: string, source = CLAIMS_PATH): Claim[] {
  const parsed = claimsFileSchema.safeParse(parse(text));
  if (parsed.success) return parsed.data.claims;
  const issues = parsed.error.issues.map((i) => `  ${i.path.join('.') || '(root)'}: ${i.message}`).join('\n');
  throw new Error(`invalid claims file ${source}:\n${issues}`);
}

let cached: Claim[] | undefined;

/** The document's claims, read once from the package (synchronous: a small packaged file). */
export function loadClaims(path = CLAIMS_PATH): Claim[] {
  if (path !== CLAIMS_PATH) return parseClaims(readFileSync(path, 'utf8'), path);
  cached ??= parseClaims(readFileSync(path, 'utf8'), path);
  return cached;
}
