#!/usr/bin/env node
// Entry point: runs this checkout's compiled CLI (dist/, built by `npm ci` / `npm run build`) and exits with its code
// at once (a handle left open, e.g. by an interrupted step, must not delay the exit).
import { existsSync } from 'node:fs';

const cli = new URL('../dist/cli.js', import.meta.url);
if (!existsSync(cli)) {
  process.stderr.write(`isobench: ${cli.pathname} is missing; build it with \`npm ci\` (or \`npm run build\`) in this checkout\n`);
  process.exit(2);
}
const { main } = await import(cli.href);
process.exit(await main(process.argv.slice(2)));
