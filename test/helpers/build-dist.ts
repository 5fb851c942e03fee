// vitest global setup: builds dist/ once, so the tests that run the real CLI (bin/isobench.js) run this source.
import { execa } from 'execa';
import { join } from 'node:path';

export default async function setup(): Promise<void> {
  await execa('npx', ['tsc', '-p', 'tsconfig.build.json'], { cwd: join(import.meta.dirname, '..', '..'), timeout: 180_000 });
}
