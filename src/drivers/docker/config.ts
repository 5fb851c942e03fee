// The docker section of the config.
import { z } from 'zod';
import { REGISTRY_PATTERN, registryOf } from './registry-ref.js';
import { suiteList } from '../../images/suites.js';

export const dockerConfig = z
  .strictObject({
    enabled: z.boolean().default(true),
    /** Engine address (unix:///path or tcp://host:port); else --docker-host, DOCKER_HOST, default sockets. */
    host: z.string().min(1).optional(),
    /** The document's base image, used when it can be pulled; a full reference (host:port/name:tag) names its own registry. */
    baseImage: z.string().min(1).default('python:3.9-slim'),
    /** A registry to pull Docker Hub images from instead (a mirror, e.g. 127.0.0.1:5000): python:3.9-slim -> REGISTRY/library/python:3.9-slim. */
    registry: z
      .string()
      .regex(REGISTRY_PATTERN, { error: 'expected a registry as host:port or host[/path] without a scheme (e.g. 127.0.0.1:5000)' })
      .optional(),
    /** pull: try the registry, fall back to the offline base; never: offline base only; always: registry only. */
    pull: z.enum(['auto', 'always', 'never']).default('auto'),
    /** Tag of the locally built offline base (isobench images build docker). */
    offlineBase: z.string().min(1).default('isobench/debian-python:bookworm'),
    /** Suite rows: one container per Debian suite (debootstrapped offline, e.g. bullseye: Python 3.9), probes and size only. */
    suites: suiteList,
    /** The gVisor row: the same image on the same engine under a registered OCI runtime (HostConfig.Runtime). */
    gvisor: z
      .strictObject({
        enabled: z.boolean().default(true),
        /** The runtime's name in dockerd's daemon.json "runtimes" (e.g. runsc, or runsc-kvm registered with --platform=kvm). */
        runtime: z.string().min(1).default('runsc'),
      })
      .prefault({}),
    /** The rootless Podman row: the same image run by Podman's Docker-compatible API as an unprivileged user. */
    podman: z
      .strictObject({
        enabled: z.boolean().default(true),
        /** Its API socket (unix:///run/user/UID/podman/podman.sock); unset: the first rootless Podman socket found. */
        host: z.string().min(1).optional(),
        /** Container network; unset: slirp4netns when /dev/net/tun is open to the user, else none (the port probe then says so). */
        network: z.enum(['slirp4netns', 'none']).optional(),
      })
      .prefault({}),
  })
  .superRefine((cfg, issue) => {
    const own = registryOf(cfg.baseImage);
    if (cfg.registry && own) {
      issue.addIssue({
        code: 'custom',
        path: ['registry'],
        message: `expected no registry: baseImage ${cfg.baseImage} already names its registry ${own}; remove one of the two`,
      });
    }
  });
