// Pure builders and readers of pip: the install command line from the config's pip section, its retry warnings.
import type { PipConfig } from '../../config/schema.js';

/** argv for `python -m pip install PKGS` with the configured index, find-links, wheelhouse and cache. */
export function pipInstallArgv(python: string, pkgs: string[], pip: PipConfig): string[] {
  const argv = [python, '-m', 'pip', 'install', '--disable-pip-version-check', '--no-input'];
  if (pip.noCache) argv.push('--no-cache-dir');
  if (pip.wheelhouse) argv.push('--no-index', '--find-links', pip.wheelhouse);
  else if (pip.indexUrl) argv.push('--index-url', pip.indexUrl);
  for (const f of pip.findLinks) argv.push('--find-links', f);
  argv.push(...pip.extraArgs, ...pkgs);
  return argv;
}

/** pip's "WARNING: Retrying (…) after connection broken by …" lines: how many, and the first one's cause. */
export function pipRetries(stderr: string): { count: number; cause: string } | undefined {
  const lines = stderr.split('\n').filter((l) => /^WARNING: Retrying \(Retry\(/.test(l));
  if (!lines.length) return undefined;
  const cause = /after connection broken by '.*?: ([^:']*?(?:Name or service not known|timed out|refused|unreachable)[^']*?)'/i.exec(lines[0]!)?.[1]?.replace(/^\[Errno -?\d+\] /, '') ?? 'connection broken';
  return { count: lines.length, cause };
}
