// Image references and registries (pure): which registry a reference names, a mirror in front of Docker Hub, loopback URLs.

/** host[:port][/path…] with a host Docker takes for a registry (a dot, a port, or localhost); no scheme. */
export const REGISTRY_PATTERN = /^(localhost|[a-z0-9-]+(\.[a-z0-9-]+)+|[a-z0-9.-]+:\d{1,5}|\[[0-9a-f:]+\](:\d{1,5})?)(\/[a-z0-9]+([._-][a-z0-9]+)*)*$/i;

/** The registry part of a reference ("127.0.0.1:5000" of "127.0.0.1:5000/python:3.9-slim"), or undefined for Docker Hub. */
export function registryOf(ref: string): string | undefined {
  const i = ref.indexOf('/');
  if (i < 0) return undefined;
  const first = ref.slice(0, i);
  return first === 'localhost' || first.includes('.') || first.includes(':') ? first : undefined;
}

/** The reference to pull: baseImage itself, or, with a registry mirror, its Docker Hub path under that registry. */
export function baseReference(cfg: { baseImage: string; registry?: string }): string {
  if (!cfg.registry || registryOf(cfg.baseImage)) return cfg.baseImage;
  const path = cfg.baseImage.includes('/') ? cfg.baseImage : `library/${cfg.baseImage}`;
  return `${cfg.registry.replace(/\/+$/, '')}/${path}`;
}

/** How messages name the registry of a reference: its host[:port], or "Docker Hub". */
export function registryName(ref: string): string {
  return registryOf(ref) ?? 'Docker Hub';
}

/** Whether a URL's host is this machine's loopback (localhost, 127.0.0.0/8, ::1). */
export function isLoopbackUrl(url: string): boolean {
  let host: string;
  try {
    host = new URL(url).hostname;
  } catch {
    return false;
  }
  return host === 'localhost' || host === '[::1]' || /^127(\.\d{1,3}){3}$/.test(host);
}
