// Where the Docker Engine is: the candidate addresses in order, and dockerode options for one (pure).
import type { DockerOptions } from 'dockerode';

export interface HostCandidates {
  /** True when the user named the host (config or DOCKER_HOST): then only that one is tried. */
  explicit: boolean;
  hosts: string[];
}

/** The Engine addresses to try: config host, else DOCKER_HOST, else the rootful, rootless and Podman sockets. */
export function hostCandidates(configHost: string | undefined, env: NodeJS.ProcessEnv): HostCandidates {
  if (configHost) return { explicit: true, hosts: [configHost] };
  if (env.DOCKER_HOST) return { explicit: true, hosts: [env.DOCKER_HOST] };
  const hosts = ['unix:///var/run/docker.sock'];
  if (env.XDG_RUNTIME_DIR) {
    hosts.push(`unix://${env.XDG_RUNTIME_DIR}/docker.sock`, `unix://${env.XDG_RUNTIME_DIR}/podman/podman.sock`);
  }
  hosts.push('unix:///run/podman/podman.sock');
  return { explicit: false, hosts };
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
