// The connection to the Docker Engine (dockerode), found in the documented order and checked with a ping.
import Docker from 'dockerode';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { hostCandidates, modemOptions } from './host.js';
import type { DriverContext } from '../types.js';

export interface Engine {
  docker: Docker;
  /** The address that answered, e.g. unix:///var/run/docker.sock. */
  host: string;
}

const engines = new Map<string, Promise<Engine>>();

/** Connects to the Engine the config/environment names; throws an Error saying which hosts failed and how to fix it. */
export function engine(ctx: Pick<DriverContext, 'config'>, env: NodeJS.ProcessEnv = process.env): Promise<Engine> {
  const { explicit, hosts } = hostCandidates(ctx.config.environments.docker.host, env);
  const key = hosts.join(' ');
  let found = engines.get(key);
  if (!found) {
    found = connectFirst(hosts, explicit, env);
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

async function connectFirst(hosts: string[], explicit: boolean, env: NodeJS.ProcessEnv): Promise<Engine> {
  const failures: string[] = [];
  for (const host of hosts) {
    try {
      const options = { ...modemOptions(host, env), ...tlsFiles(host, env) };
      const docker = new Docker({ ...options, timeout: 30_000 });
      await docker.ping();
      return { docker, host };
    } catch (err) {
      failures.push(`${host}: ${(err as Error).message}`);
    }
  }
  const fix = explicit
    ? 'start the daemon there, or point --docker-host / environments.docker.host / DOCKER_HOST at a running Engine'
    : 'start it (sudo systemctl start docker, or dockerd &) or set --docker-host';
  throw new Error(`Docker daemon not reachable at ${failures.join('; ')}; ${fix}`);
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
