// Where a row's containers run: the Docker engine (maybe under a registered runtime) or a rootless Podman socket.
// Checks each row's own prerequisite (runtime registered, Podman answering and rootless) and moves the image over.
import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import type Docker from 'dockerode';
import { run } from '../../lifecycle/process.js';
import { inspectImage, stepSignal } from './build.js';
import { engine, streaming, type Engine } from './engine.js';
import { runscDefaultPlatform, runscPlatform, type DockerRow } from './rows.js';
import type { DriverContext, Preflight } from '../types.js';

/** ctx with the row's engine address as environments.docker.host, so every engine(ctx) call reaches that row's engine. */
export function rowContext<C extends Pick<DriverContext, 'config'>>(ctx: C, host: string | undefined): C {
  if (!host) return ctx;
  const docker = { ...ctx.config.environments.docker, host };
  return { ...ctx, config: { ...ctx.config, environments: { ...ctx.config.environments, docker } } };
}

/** The rootless Podman sockets on this machine: $XDG_RUNTIME_DIR's, then /run/user/UID's of every non-root UID. */
export async function podmanSockets(env: NodeJS.ProcessEnv = process.env): Promise<string[]> {
  const found: string[] = [];
  if (env.XDG_RUNTIME_DIR) found.push(join(env.XDG_RUNTIME_DIR, 'podman', 'podman.sock'));
  const uids = await readdir('/run/user').catch(() => [] as string[]);
  for (const uid of uids.filter((u) => /^\d+$/.test(u) && u !== '0').sort((a, b) => Number(a) - Number(b))) {
    found.push(join('/run/user', uid, 'podman', 'podman.sock'));
  }
  const live: string[] = [];
  for (const p of [...new Set(found)]) if ((await stat(p).catch(() => undefined))?.isSocket()) live.push(`unix://${p}`);
  return live;
}

/**
 * Every engine isobench may have used here, for cleanup: the one discovery finds, the rootless Podman sockets
 * (every user's runtime dir) and rootful Podman's; each that answers, once.
 */
export async function reachableEngines(ctx: Pick<DriverContext, 'config'>, env: NodeJS.ProcessEnv = process.env): Promise<Engine[]> {
  const out: Engine[] = [];
  const main = await engine(ctx, env).catch(() => undefined);
  if (main) out.push(main);
  const podmans = [...(await podmanSockets(env)), 'unix:///run/podman/podman.sock'];
  for (const host of podmans) {
    if (out.some((e) => e.host === host)) continue;
    const e = await engine(rowContext(ctx, host), env).catch(() => undefined);
    if (e) out.push(e);
  }
  return out;
}

/** A row that cannot run here: the reason and, apart, the fix. */
export class RowUnusable extends Error {
  constructor(readonly reason: string, readonly fix: string) {
    super(`${reason}; ${fix}`);
  }
}

const PODMAN_FIX =
  'as an unprivileged user with subordinate ids (/etc/subuid, /etc/subgid): podman system service --time=0 unix://$XDG_RUNTIME_DIR/podman/podman.sock (or systemctl --user enable --now podman.socket); or set environments.docker.podman.host';

/** The Podman row's engine: the configured or first found rootless socket that answers and says it is rootless. */
export async function podmanEngine(ctx: Pick<DriverContext, 'config'>): Promise<Engine & { uid: number }> {
  const cfg = ctx.config.environments.docker.podman;
  const hosts = cfg.host ? [cfg.host] : await podmanSockets();
  if (!hosts.length) throw new RowUnusable('no rootless Podman API socket found (looked in $XDG_RUNTIME_DIR/podman and /run/user/*/podman)', PODMAN_FIX);
  const failures: string[] = [];
  for (const host of hosts) {
    try {
      const e = await engine(rowContext(ctx, host));
      const v = await e.docker.version();
      if (!/podman/i.test(JSON.stringify(v.Components ?? []))) throw new Error('answers, but is not Podman');
      const rootless = await libpodRootless(e.docker);
      if (rootless !== true) throw new Error(rootless === false ? 'answers, but runs as root (not rootless)' : 'answers, but its /libpod/info does not say whether it is rootless');
      const uid = Number(/\/run\/user\/(\d+)\//.exec(host)?.[1] ?? (await stat(host.replace(/^unix:\/\//, ''))).uid);
      return { ...e, uid };
    } catch (err) {
      failures.push(`${host}: ${(err as Error).message.split('; ')[0]}`);
    }
  }
  throw new RowUnusable(`no usable rootless Podman (${failures.join('; ')})`, PODMAN_FIX);
}

interface LibpodInfo {
  host?: { security?: { rootless?: unknown }; cgroupVersion?: string; cgroupManager?: string };
}

/** Podman's own info (/v4.0.0/libpod/info: Podman serves it only under a version). */
function libpodInfo(docker: Docker): Promise<LibpodInfo> {
  return new Promise<LibpodInfo>((resolve, reject) =>
    docker.modem.dial({ path: '/v4.0.0/libpod/info', method: 'GET', statusCodes: { 200: true }, options: {} }, (err: unknown, data: unknown) => (err ? reject(err) : resolve(data as LibpodInfo))),
  );
}

/** What Podman's own API says (host.security.rootless): rootless or not; undefined when it does not say. */
async function libpodRootless(docker: Docker): Promise<boolean | undefined> {
  const r = (await libpodInfo(docker)).host?.security?.rootless;
  return typeof r === 'boolean' ? r : undefined;
}

/** Whether a rootless Podman's containers get a cgroup of their own: cgroup v2 delegated through systemd only. */
export async function podmanCgroups(docker: Docker): Promise<{ own: boolean; seen: string }> {
  const h = (await libpodInfo(docker)).host ?? {};
  const seen = `cgroup ${h.cgroupVersion ?? '?'}, manager ${h.cgroupManager ?? '?'}`;
  return { own: h.cgroupVersion === 'v2' && h.cgroupManager === 'systemd', seen };
}

/** The network a Podman row's containers get: the configured one, else slirp4netns when /dev/net/tun is open to all users. */
export async function podmanNetwork(ctx: Pick<DriverContext, 'config'>): Promise<'slirp4netns' | 'none'> {
  const set = ctx.config.environments.docker.podman.network;
  if (set) return set;
  const tun = await stat('/dev/net/tun').catch(() => undefined);
  return tun && (tun.mode & 0o006) === 0o006 ? 'slirp4netns' : 'none';
}

/** What a registered runtime is: its path and runtime arguments from the daemon's info, or undefined when not registered. */
export async function registeredRuntime(docker: Docker, name: string): Promise<{ path: string; runtimeArgs?: string[] } | undefined> {
  const info = (await docker.info()) as { Runtimes?: Record<string, { path: string; runtimeArgs?: string[] }> };
  return info.Runtimes?.[name];
}

/** How to register runsc with dockerd (for a preflight fix and doctor). */
export function registerRunscFix(name: string): string {
  return `install gVisor (apt-get install runsc), add "runtimes": {"${name}": {"path": "/usr/bin/runsc"}} to /etc/docker/daemon.json and send dockerd SIGHUP (runtimes reload without a restart); or set environments.docker.gvisor.enabled: false`;
}

/** Why the gVisor row does not run on Podman's Docker-compatible API. */
export const PODMAN_IGNORES_RUNTIME =
  "the container engine is Podman, whose Docker-compatible API does not apply HostConfig.Runtime (a container asked for runsc runs under Podman's default runtime, so the row would not be gVisor)";

/** The gVisor platform (ptrace, kvm, systrap…) of a registered runsc: its --platform argument, else `runsc flags`' default. */
export async function runscPlatformOf(rt: { path: string; runtimeArgs?: string[] }): Promise<string> {
  const flags = await run([rt.path, 'flags'], { step: 'runsc flags', timeoutMs: 10_000 });
  return runscPlatform(rt.runtimeArgs, runscDefaultPlatform(flags.stdout + flags.stderr) ?? 'unknown');
}

/** Each row's own prerequisite: undefined for the plain Docker row (the kind's preflight decides). */
export async function rowPreflight(row: DockerRow, ctx: DriverContext): Promise<Preflight | undefined> {
  if (row.engine === 'podman') {
    // Its image is the Docker engine's build, copied over: without that engine there is nothing to run.
    const docker = await engine(ctx).catch((err: Error) => err);
    if (docker instanceof Error) {
      return { ok: false, reason: `the rootless Podman row runs the image the container row builds, and no engine answers for that row (${docker.message.split('; ')[0]})`, fix: 'start a container engine (dockerd, or podman system service), or set environments.docker.podman.enabled: false' };
    }
    try {
      const p = await podmanEngine(ctx);
      const v = await p.docker.version();
      return { ok: true, facts: { 'podman.host': p.host, 'podman.version': String(v.Version), 'podman.uid': String(p.uid), 'podman.network': await podmanNetwork(ctx) } };
    } catch (err) {
      if (err instanceof RowUnusable) return { ok: false, reason: err.reason, fix: err.fix };
      return { ok: false, reason: (err as Error).message, fix: PODMAN_FIX };
    }
  }
  if (!row.runtime) return undefined;
  try {
    const { docker, name } = await engine(ctx);
    // Podman 4's Docker-compatible API lists runsc in /info but does not apply HostConfig.Runtime: a container created
    // for runsc there runs under its default runtime (seen here: the host's kernel answered the gVisor row's probe).
    if (name === 'Podman') return { ok: false, reason: PODMAN_IGNORES_RUNTIME, fix: 'run the gVisor row on a Docker engine with runsc registered (--docker-host), or set environments.docker.gvisor.enabled: false' };
    const rt = await registeredRuntime(docker, row.runtime);
    if (!rt) return { ok: false, reason: `the runtime ${row.runtime} is not registered with the Docker daemon (docker info lists no such runtime)`, fix: registerRunscFix(row.runtime) };
    const platform = await runscPlatformOf(rt);
    return { ok: true, facts: { 'gvisor.runtime': row.runtime, 'gvisor.path': rt.path, 'gvisor.platform': platform, 'gvisor.runtimeArgs': (rt.runtimeArgs ?? []).join(' ') } };
  } catch (err) {
    const m = (err as Error).message;
    const i = m.lastIndexOf('; ');
    return { ok: false, reason: i < 0 ? m : m.slice(0, i), fix: i < 0 ? 'start the Docker daemon' : m.slice(i + 2) };
  }
}

/** Copies `image` from the Docker engine into Podman's storage (docker save | podman load, through both APIs); the ms it took. */
export async function copyImage(from: Docker, to: Docker, image: string, ctx: DriverContext): Promise<number> {
  const t0 = performance.now();
  const signal = stepSignal(ctx);
  const tar = (await streaming(from).getImage(image).get()) as NodeJS.ReadableStream;
  const loaded = (await streaming(to).loadImage(tar as never, { abortSignal: signal } as never)) as unknown as NodeJS.ReadableStream;
  await pipeline(loaded, async function* (source) {
    for await (const chunk of source) {
      const text = String(chunk);
      if (/"error"/.test(text)) throw new Error(`loading ${image} into Podman: ${text.trim()}`);
    }
  });
  if (!(await inspectImage(to, image))) throw new Error(`loading ${image} into Podman: the image is not there afterwards`);
  return performance.now() - t0;
}
