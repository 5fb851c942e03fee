// vitest global setup: builds dist/ once, so the tests that run the real CLI (bin/isobench.js) run this source.
import { execa } from 'execa';
import { join } from 'node:path';

export default async function setup(): Promise<void> {
  // With projects, vitest calls a root global setup once for the root and once per project, in one process.
  const done = globalThis as { isobenchDistBuilt?: boolean };
  // scripts/test-streams.mjs builds it once before starting its two vitest processes.
  if (done.isobenchDistBuilt || process.env.ISOBENCH_DIST_BUILT === '1') return;
  done.isobenchDistBuilt = true;
  await execa('npx', ['tsc', '-p', 'tsconfig.build.json'], { cwd: join(import.meta.dirname, '..', '..'), timeout: 180_000 });
}
