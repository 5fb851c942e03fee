// The Docker driver's Env and Instance: the image used, the path it came from, the engine handle.
import type Docker from 'dockerode';
import type { Env, Instance } from '../types.js';
import type { ImagePath } from './resolve-base.js';

export interface DockerEnv extends Env {
  kind: 'docker';
  /** The image the environment runs (built by install()). */
  image: string;
  /** The base it is built on, e.g. python:3.9-slim or isobench/debian-python:bookworm. */
  base: string;
  path: ImagePath;
  /** For the report's fingerprint: docker.imagePath, docker.baseImage, docker.python. */
  facts: Record<string, string>;
  /** The packages came with the image (a suite row: Debian's python3-requests); the install step says so and is not timed. */
  preinstalled?: string;
  /** A suite row: its image's size only, none of the main row's build, layer and run samples. */
  sizeOnly?: boolean;
  /** The engine address of this row (the Podman row's socket); unset: the Docker engine the config names. */
  host?: string;
  /** HostConfig.Runtime of its containers (the gVisor row's runsc); unset: the engine's default. */
  runtime?: string;
  /** HostConfig.NetworkMode of its containers: bridge, or Podman's slirp4netns / none. */
  network: string;
  /** Whether its containers have a cgroup of their own (a rootless Podman on cgroup v1 has none: its stats are not the container's). */
  ownCgroup: boolean;
  /** Whether builds run on this row's own engine and runtime (else they are the plain Docker row's, measured there). */
  ownBuild: boolean;
  /** Releases the run's hold on isobench's shared images (see images-lock.ts); idempotent. */
  unlock?: () => Promise<void>;
}

export interface DockerInstance extends Instance {
  env: DockerEnv;
  docker: Docker;
  /** Timeout of an exec without its own (config timeouts.stepSec). */
  defaultTimeoutMs: number;
  /** Removes the container (force) and drops its cleanup entry; idempotent. */
  remove(): Promise<void>;
}
