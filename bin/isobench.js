#!/usr/bin/env node
// Entry point: runs the compiled CLI and exits with its code.
import { main } from '../dist/cli.js';

process.exitCode = await main(process.argv.slice(2));
