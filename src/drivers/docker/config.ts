// The docker section of the config.
import { z } from 'zod';

export const dockerConfig = z.strictObject({
  enabled: z.boolean().default(true),
  /** Engine address (unix:///path or tcp://host:port); else --docker-host, DOCKER_HOST, default sockets. */
  host: z.string().min(1).optional(),
  /** The document's base image, used when it can be pulled. */
  baseImage: z.string().min(1).default('python:3.9-slim'),
  /** pull: try the registry, fall back to the offline base; never: offline base only; always: registry only. */
  pull: z.enum(['auto', 'always', 'never']).default('auto'),
  /** Tag of the locally built offline base (isobench images build docker). */
  offlineBase: z.string().min(1).default('isobench/debian-python:bookworm'),
});
