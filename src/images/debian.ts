// Debian root filesystems for the offline images: the mirror comes from the host's own apt sources.
import { readFile, readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { runOk } from '../lifecycle/process.js';
import type { DriverContext } from '../drivers/types.js';
import { DEBIAN_SUITES } from './suites.js';

export interface AptSource {
  uri: string;
  suites: string[];
  components: string[];
}

/** Parses deb822 (.sources) and one-line (.list) apt source texts into entries of type deb. */
export function parseAptSources(text: string, format: 'deb822' | 'list'): AptSource[] {
  if (format === 'list') {
    return text
      .split('\n')
      .map((l) => l.replace(/#.*/, '').trim())
      .filter((l) => l.startsWith('deb '))
      .map((l) => l.replace(/\[[^\]]*\]/, '').split(/\s+/).slice(1))
      .filter((p) => p.length >= 2)
      .map(([uri, suite, ...components]) => ({ uri: uri!, suites: [suite!], components }));
  }
  const out: AptSource[] = [];
  for (const stanza of text.split(/\n\s*\n/)) {
    const fields = new Map<string, string>();
    for (const line of stanza.split('\n')) {
      const m = /^([A-Za-z-]+):\s*(.*)$/.exec(line);
      if (m) fields.set(m[1]!.toLowerCase(), m[2]!.trim());
    }
    if (!(fields.get('types') ?? '').split(/\s+/).includes('deb')) continue;
    if (fields.get('enabled') === 'no') continue;
    const suites = (fields.get('suites') ?? '').split(/\s+/).filter(Boolean);
    const components = (fields.get('components') ?? '').split(/\s+/).filter(Boolean);
    for (const uri of (fields.get('uris') ?? '').split(/\s+/).filter(Boolean)) out.push({ uri, suites, components });
  }
  return out;
}

/** The Debian archive mirror this host's apt uses for `suite` (or the first of several; main component), or undefined. */
export async function hostDebianMirror(suite: string | readonly string[], root = '/etc/apt'): Promise<string | undefined> {
  const sources: AptSource[] = [];
  const main = await readFile(join(root, 'sources.list'), 'utf8').catch(() => '');
  sources.push(...parseAptSources(main, 'list'));
  for (const f of (await readdir(join(root, 'sources.list.d')).catch(() => [] as string[])).sort()) {
    const text = await readFile(join(root, 'sources.list.d', f), 'utf8').catch(() => '');
    if (f.endsWith('.sources')) sources.push(...parseAptSources(text, 'deb822'));
    else if (f.endsWith('.list')) sources.push(...parseAptSources(text, 'list'));
  }
  const wanted = typeof suite === 'string' ? [suite] : suite;
  return sources.find((s) => s.suites.some((x) => wanted.includes(x)) && s.components.includes('main'))?.uri;
}

/**
 * The mirror to debootstrap from: config.debian.mirror, else the host's apt mirror of the suite, else the host's
 * mirror of any Debian suite (one archive serves every suite); throws with the fix.
 */
export async function debianMirror(ctx: Pick<DriverContext, 'config'>): Promise<string> {
  const { mirror, suite } = ctx.config.debian;
  if (mirror) return mirror;
  const found = (await hostDebianMirror(suite)) ?? (await hostDebianMirror(DEBIAN_SUITES));
  if (!found) {
    throw new Error(
      `no Debian mirror for ${suite} found in this host's apt sources; set debian.mirror in the config to a Debian archive URL`,
    );
  }
  return found;
}

/**
 * The context for building an image of another Debian suite: the same config with debian.suite set to `suite`, its
 * packages from that suite's archive (debian.packagesFrom: debian), as that release ships them.
 */
export function withSuite<C extends Pick<DriverContext, 'config'>>(ctx: C, suite: string | undefined): C {
  if (!suite || suite === ctx.config.debian.suite) return ctx;
  return { ...ctx, config: { ...ctx.config, debian: { ...ctx.config.debian, suite, packagesFrom: 'debian' } } };
}

/** Debian's package of each Python package (requests -> python3-requests), when the config takes them from Debian. */
export function debianPythonPackages(config: Pick<DriverContext['config'], 'debian' | 'packages'>): string[] {
  return config.debian.packagesFrom === 'debian' ? config.packages.map((p) => `python3-${p.toLowerCase()}`) : [];
}

/** debootstrap a minimal Debian of config.debian.suite into `target` with the extra packages `include`. */
export async function debootstrap(target: string, include: string[], ctx: DriverContext): Promise<void> {
  const mirror = await debianMirror(ctx);
  const argv = ['debootstrap', '--variant=minbase'];
  if (include.length) argv.push(`--include=${include.join(',')}`);
  argv.push(ctx.config.debian.suite, target, mirror);
  ctx.log.info(`debootstrap ${ctx.config.debian.suite} (${include.join(', ')}) into ${target}`);
  await runOk(argv, { step: 'debootstrap', timeoutMs: ctx.config.timeouts.stepSec * 1000 * 2, signal: ctx.signal, group: true });
}

/** Mount points at or below `root` in `mountsText` (/proc/self/mounts), deepest first (pure). */
export function mountsBelow(root: string, mountsText: string): string[] {
  const base = root.replace(/\/+$/, '');
  return mountsText
    .split('\n')
    .map((l) => l.split(' ')[1]?.replace(/\\040/g, ' '))
    .filter((m): m is string => Boolean(m) && (m === base || m!.startsWith(`${base}/`)))
    .sort((a, b) => b.length - a.length);
}

/**
 * Removes a build tree that a chroot step may have left mounts in (debootstrap mounts proc and sys
 * inside the target): unmounts them (lazily, deepest first) so the removal never walks into the host's
 * /proc, /sys or /dev, then removes the tree. Refuses to remove when a mount cannot be detached.
 */
export async function removeBuildTree(root: string): Promise<void> {
  const mounts = mountsBelow(root, await readFile('/proc/self/mounts', 'utf8').catch(() => ''));
  for (const m of mounts) {
    await runOk(['umount', '-l', m], { step: `umount ${m}`, timeoutMs: 30_000 });
  }
  const left = mountsBelow(root, await readFile('/proc/self/mounts', 'utf8').catch(() => ''));
  if (left.length) throw new Error(`${left[0]} is still mounted; not removing ${root} (unmount it, then remove the folder)`);
  await rm(root, { recursive: true, force: true });
}
