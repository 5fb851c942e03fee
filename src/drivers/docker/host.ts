// Where the Docker Engine is: the candidate addresses in the documented order, each with the rule that named it,
// and dockerode options for one (pure; the files a Docker context lives in are read by engine.ts).
import type { DockerOptions } from 'dockerode';
import { createHash } from 'node:crypto';

/** One address to try and the rule of the discovery order that put it there. */
export interface HostCandidate {
  host: string;
  /** The rule, in words: "DOCKER_HOST", "Docker context colima (currentContext in ~/.docker/config.json)", … */
  rule: string;
  /** Why this rule names no usable address (a context without an endpoint): the connection is not tried. */
  unusable?: string;
}

export interface HostCandidates {
  /** True when the user named the host (flag, config, DOCKER_HOST or a Docker context): then only that one is tried. */
  explicit: boolean;
  hosts: HostCandidate[];
}

/** What discovery reads from the machine: the environment, the home folder, and the current context's endpoint when one is set. */
export interface DiscoveryInput {
  /** --docker-host or environments.docker.host. */
  configHost?: string;
  env: NodeJS.ProcessEnv;
  home: string;
  /** The caller's uid (for /run/user/UID when XDG_RUNTIME_DIR is unset). */
  uid?: number;
  /** The current Docker context, when one other than "default" is set, with its endpoint (or why it has none). */
  context?: ContextChoice;
}

/** The current Docker context: its name, where the name came from, and its Docker endpoint or the reason it has none. */
export interface ContextChoice {
  name: string;
  /** DOCKER_CONTEXT, or currentContext in the config file (its path). */
  from: string;
  endpoint?: string;
  /** Why the endpoint could not be read (no meta.json, no Endpoints.docker.Host). */
  missing?: string;
}

/** The folder of a context's meta.json under contexts/meta: the sha256 of its name (as the docker CLI stores it). */
export function contextDir(name: string): string {
  return createHash('sha256').update(name).digest('hex');
}

/** The Docker config folder: DOCKER_CONFIG, else ~/.docker. */
export function dockerConfigDir(env: NodeJS.ProcessEnv, home: string): string {
  return env.DOCKER_CONFIG || `${home}/.docker`;
}

/**
 * The current context's name and where it came from: DOCKER_CONTEXT, else currentContext in config.json; undefined for
 * none or "default" (the docker CLI's name for DOCKER_HOST and the default socket).
 */
export function currentContext(env: NodeJS.ProcessEnv, configJson: string | undefined, configPath: string): { name: string; from: string } | undefined {
  if (env.DOCKER_CONTEXT) return env.DOCKER_CONTEXT === 'default' ? undefined : { name: env.DOCKER_CONTEXT, from: 'DOCKER_CONTEXT' };
  if (!configJson) return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(configJson);
  } catch {
    return undefined;
  }
  const name = (parsed as { currentContext?: unknown } | null)?.currentContext;
  if (typeof name !== 'string' || !name || name === 'default') return undefined;
  return { name, from: `currentContext in ${configPath}` };
}

/** The Docker endpoint in a context's meta.json text (Endpoints.docker.Host), or why there is none. */
export function contextEndpoint(metaJson: string): { endpoint: string } | { missing: string } {
  let parsed: unknown;
  try {
    parsed = JSON.parse(metaJson);
  } catch (err) {
    return { missing: `its meta.json is not JSON (${(err as Error).message})` };
  }
  const host = (parsed as { Endpoints?: { docker?: { Host?: unknown } } } | null)?.Endpoints?.docker?.Host;
  if (typeof host !== 'string' || !host) return { missing: 'its meta.json names no Endpoints.docker.Host' };
  return { endpoint: host };
}

/**
 * The Engine addresses to try, in order: --docker-host / environments.docker.host; DOCKER_HOST; the current Docker
 * context (DOCKER_CONTEXT, or currentContext in config.json); /var/run/docker.sock; $XDG_RUNTIME_DIR/docker.sock
 * (rootless Docker); ~/.docker/run/docker.sock and ~/.docker/desktop/docker.sock (Docker Desktop);
 * $XDG_RUNTIME_DIR/podman/podman.sock (rootless Podman); /run/podman/podman.sock (rootful Podman).
 * The first three are explicit: only that address is tried (as the docker CLI does).
 */
export function hostCandidates(input: DiscoveryInput): HostCandidates {
  const { configHost, env, home, context } = input;
  if (configHost) return { explicit: true, hosts: [{ host: configHost, rule: '--docker-host / environments.docker.host' }] };
  if (env.DOCKER_HOST) return { explicit: true, hosts: [{ host: env.DOCKER_HOST, rule: 'DOCKER_HOST' }] };
  if (context) {
    const rule = `Docker context ${context.name} (${context.from})`;
    if (!context.endpoint) return { explicit: true, hosts: [{ host: `context ${context.name}`, rule, unusable: context.missing ?? 'it names no Docker endpoint' }] };
    return { explicit: true, hosts: [{ host: context.endpoint, rule }] };
  }
  const runtime = env.XDG_RUNTIME_DIR || (input.uid !== undefined && input.uid !== 0 ? `/run/user/${input.uid}` : undefined);
  const hosts: HostCandidate[] = [{ host: 'unix:///var/run/docker.sock', rule: 'the default socket' }];
  if (runtime) hosts.push({ host: `unix://${runtime}/docker.sock`, rule: 'rootless Docker ($XDG_RUNTIME_DIR/docker.sock)' });
  hosts.push(
    { host: `unix://${home}/.docker/run/docker.sock`, rule: 'Docker Desktop (~/.docker/run/docker.sock)' },
    { host: `unix://${home}/.docker/desktop/docker.sock`, rule: 'Docker Desktop (~/.docker/desktop/docker.sock)' },
  );
  if (runtime) hosts.push({ host: `unix://${runtime}/podman/podman.sock`, rule: 'rootless Podman ($XDG_RUNTIME_DIR/podman/podman.sock)' });
  hosts.push({ host: 'unix:///run/podman/podman.sock', rule: 'rootful Podman (/run/podman/podman.sock)' });
  return { explicit: false, hosts };
}

/** Which engine answers, from its /version: Podman names itself among the components; anything else is Docker. */
export function engineName(version: { Components?: { Name?: unknown }[] | null } | undefined): 'Docker' | 'Podman' {
  return (version?.Components ?? []).some((c) => /podman/i.test(String(c?.Name ?? ''))) ? 'Podman' : 'Docker';
}

/** dockerode options for an Engine address (unix://, tcp://, http(s)://, ssh://); throws naming the bad value. */
export function modemOptions(host: string, env: NodeJS.ProcessEnv = {}): DockerOptions {
  if (host.startsWith('unix://')) return { socketPath: host.slice('unix://'.length) };
  if (host.startsWith('/')) return { socketPath: host };
  const m = /^(tcp|http|https|ssh):\/\/(?:([^@/]+)@)?([^:/]+|\[[^\]]+\])(?::(\d+))?\/?$/.exec(host);
  if (!m) {
    throw new Error(
      `Docker host "${host}" is not an Engine address; use unix:///path/docker.sock, tcp://host:2375 or ssh://user@host`,
    );
  }
  const [, scheme, user, name, port] = m;
  if (scheme === 'ssh') return { protocol: 'ssh', host: name!, port: port ? Number(port) : 22, username: user };
  const tls = scheme === 'https' || (scheme === 'tcp' && Boolean(env.DOCKER_TLS_VERIFY));
  return { protocol: tls ? 'https' : 'http', host: name!, port: port ? Number(port) : tls ? 2376 : 2375 };
}
