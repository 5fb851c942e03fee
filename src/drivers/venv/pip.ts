// Pure builder of the pip install command line from the config's pip section.
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
