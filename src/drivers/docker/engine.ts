// The connection to the Docker Engine (dockerode), found in the documented order (host.ts) and checked with a ping.
// The engine that answered says what it is (/version): Docker or Podman (its Docker-compatible API).
import Docker from 'dockerode';
import { readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { contextDir, contextEndpoint, currentContext, dockerConfigDir, engineName, hostCandidates, modemOptions, type ContextChoice } from './host.js';
import type { DriverContext } from '../types.js';

export interface Engine {
  docker: Docker;
  /** The address that answered, e.g. unix:///var/run/docker.sock. */
  host: string;
  /** The discovery rule that chose it ("the default socket", "DOCKER_HOST", "Docker context …"). */
  rule: string;
  /** The addresses tried before it, each with why it did not answer. */
  tried: string[];
  /** What answered, from its /version. */
  name: 'Docker' | 'Podman';
  version: string;
}

const engines = new Map<string, Promise<Engine>>();

/** The current Docker context (not "default") with its endpoint read from ~/.docker (or DOCKER_CONFIG). */
export function readContext(env: NodeJS.ProcessEnv, home: string): ContextChoice | undefined {
  const dir = dockerConfigDir(env, home);
  const configPath = join(dir, 'config.json');
  let configJson: string | undefined;
  try {
    configJson = readFileSync(configPath, 'utf8');
  } catch {
    configJson = undefined;
  }
  const cur = currentContext(env, configJson, configPath);
  if (!cur) return undefined;
  const meta = join(dir, 'contexts', 'meta', contextDir(cur.name), 'meta.json');
  let text: string;
  try {
    text = readFileSync(meta, 'utf8');
  } catch (err) {
    return { ...cur, missing: `no ${meta} (${(err as NodeJS.ErrnoException).code ?? (err as Error).message}): the context does not exist` };
  }
  const got = contextEndpoint(text);
  return 'endpoint' in got ? { ...cur, endpoint: got.endpoint } : { ...cur, missing: `${got.missing} (${meta})` };
}

/** The candidates for ctx's config and this process's environment, context files included. */
export function candidatesFor(configHost: string | undefined, env: NodeJS.ProcessEnv) {
  const home = env.HOME || homedir();
  const context = configHost || env.DOCKER_HOST ? undefined : readContext(env, home);
  return hostCandidates({ configHost, env, home, uid: process.getuid?.(), context });
}

/** Connects to the Engine the config/environment names; throws an Error saying which hosts failed and how to fix it. */
export function engine(ctx: Pick<DriverContext, 'config'>, env: NodeJS.ProcessEnv = process.env): Promise<Engine> {
  const candidates = candidatesFor(ctx.config.environments.docker.host, env);
  const key = candidates.hosts.map((h) => h.host).join(' ');
  let found = engines.get(key);
  if (!found) {
    found = connectFirst(candidates.hosts, candidates.explicit, env);
    engines.set(key, found);
    found.catch(() => engines.delete(key));
  }
  return found;
}

const streamingClients = new WeakMap<Docker, Docker>();

/**
 * The same Engine without the 30 s idle timeout, for build, pull and import streams: a build step may print
 * nothing for longer than that on a loaded machine. Their bound is the step deadline and the abort signal.
 */
export function streaming(docker: Docker): Docker {
  let s = streamingClients.get(docker);
  if (!s) {
    const modem = Object.assign(Object.create(Object.getPrototypeOf(docker.modem) as object), docker.modem, { timeout: undefined });
    s = new Docker({ modem } as Docker.DockerOptions);
    streamingClients.set(docker, s);
  }
  return s;
}

async function connectFirst(hosts: ReturnType<typeof hostCandidates>['hosts'], explicit: boolean, env: NodeJS.ProcessEnv): Promise<Engine> {
  const failures: string[] = [];
  for (const { host, rule, unusable } of hosts) {
    if (unusable) {
      failures.push(`${rule}: ${unusable}`);
      continue;
    }
    try {
      const options = { ...modemOptions(host, env), ...tlsFiles(host, env) };
      const docker = new Docker({ ...options, timeout: 30_000 });
      await docker.ping();
      const v = await docker.version();
      return { docker, host, rule, tried: [...failures], name: engineName(v as never), version: String(v.Version) };
    } catch (err) {
      failures.push(`${host} (${rule}): ${oneLine((err as Error).message)}`);
    }
  }
  const fix = hosts.some((h) => h.unusable)
    ? 'list the contexts with docker context ls and choose one with docker context use NAME (or unset DOCKER_CONTEXT), or set --docker-host'
    : explicit
      ? 'start the engine there, or point --docker-host / environments.docker.host / DOCKER_HOST / docker context use at a running Engine'
      : 'start it (sudo systemctl start docker, or dockerd &, or podman system service) or set --docker-host';
  const at = hosts.some((h) => h.unusable) ? ':' : ' at';
  throw new Error(`Docker daemon not reachable${at} ${failures.join(', ')}; ${fix}`);
}

function oneLine(s: string): string {
  return s.replace(/\s+/g, ' ').replace(/;/g, ',').trim();
}

function tlsFiles(host: string, env: NodeJS.ProcessEnv): { ca?: Buffer; cert?: Buffer; key?: Buffer } {
  if (!env.DOCKER_TLS_VERIFY || !/^(tcp|https):/.test(host) || !env.DOCKER_CERT_PATH) return {};
  const dir = env.DOCKER_CERT_PATH;
  return {
    ca: readFileSync(join(dir, 'ca.pem')),
    cert: readFileSync(join(dir, 'cert.pem')),
    key: readFileSync(join(dir, 'key.pem')),
  };
}
