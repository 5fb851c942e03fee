// Headless Chromium for page checks (bash .ci/browser.sh installs it): screenshots and the DOM after scripts ran.
import { mkdtempSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { execa } from 'execa';
import { expect } from 'vitest';

export const CHROMIUM = process.env.CHROMIUM ?? 'chromium';

const FLAGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--hide-scrollbars', '--force-device-scale-factor=1'];

/** Runs Chromium with a fresh profile below work; its stdout (the DOM with --dump-dom). */
export async function chromium(work: string, args: string[]): Promise<string> {
  const profile = mkdtempSync(join(work, 'profile-'));
  const r = await execa(CHROMIUM, [...FLAGS, `--user-data-dir=${profile}`, ...args], { timeout: 90_000, reject: false });
  if (r.failed && (r as { code?: string }).code === 'ENOENT') throw new Error(`${CHROMIUM} not found: run bash .ci/browser.sh (apt-get install chromium fonts-noto-cjk)`);
  expect(r.exitCode, r.stderr).toBe(0);
  return r.stdout;
}

/** PNG width and height from its IHDR chunk. */
export function pngSize(path: string): [number, number] {
  const b = readFileSync(path);
  expect(b.subarray(1, 4).toString()).toBe('PNG');
  return [b.readUInt32BE(16), b.readUInt32BE(20)];
}
