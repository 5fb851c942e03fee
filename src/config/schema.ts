// The config schema (zod strictObject): the only place config shape and defaults are defined.
import { z } from 'zod';
import { venvConfig } from '../drivers/venv/config.js';
import { dockerConfig } from '../drivers/docker/config.js';
import { vmConfig } from '../drivers/vm/config.js';

const durationSec = z.number().positive();
/** The most instances of one environment the density step starts at once. */
export const MAX_INSTANCES = 16;

export const pipConfig = z.strictObject({
  /** --index-url for pip; unset keeps pip's own configuration (PIP_* variables and pip.conf). */
  indexUrl: z.string().min(1).optional(),
  /** --find-links entries (a wheelhouse folder or URL). */
  findLinks: z.array(z.string().min(1)).default([]),
  /** A folder of wheels: installs with --no-index --find-links into it (offline). */
  wheelhouse: z.string().min(1).optional(),
  noCache: z.boolean().default(true),
  extraArgs: z.array(z.string()).default([]),
});

export const configSchema = z.strictObject({
  /** Measured samples per timing, after the warm-ups. */
  samples: z.number().int().positive({ error: 'expected a positive integer' }).max(1000).default(10),
  warmups: z.number().int().min(0).max(100).default(1),
  packages: z.array(z.string().min(1)).min(1).default(['requests']),
  /** Density step: for each k, k instances of every environment started at once ([] = no density step). */
  instances: z
    .array(z.number().int().positive({ error: 'expected a positive integer' }).max(MAX_INSTANCES, { error: `at most ${MAX_INSTANCES} instances at once` }))
    .default([]),
  /** Port the isolation probes use (two instances on one port). */
  probePort: z.number().int().min(1024).max(65535).default(18765),
  pip: pipConfig.prefault({}),
  /** Where offline images (docker base, VM guest) come from: debootstrap of this suite. */
  debian: z
    .strictObject({
      suite: z.string().min(1).default('bookworm'),
      /** A Debian archive URL; unset means the mirror of this host's own apt sources. */
      mirror: z.string().url().optional(),
      /**
       * Where the images' packages come from: pip (a wheelhouse for the image's Python) or debian (python3-<package> from
       * the suite's own archive, in the debootstrap). Suite rows use debian: the pip index may have no wheel for their Python.
       */
      packagesFrom: z.enum(['pip', 'debian']).default('pip'),
    })
    .prefault({}),
  timeouts: z
    .strictObject({
      /** Any single external step (create, install, one sample). */
      stepSec: durationSec.default(600),
      /** One teardown. */
      cleanupSec: durationSec.default(60),
    })
    .prefault({}),
  environments: z
    .strictObject({
      venv: venvConfig.prefault({}),
      docker: dockerConfig.prefault({}),
      vm: vmConfig.prefault({}),
    })
    .prefault({}),
}).superRefine((c, issue) => {
  // A suite row is another suite than the main rows' (debian.suite), which they already show.
  for (const kind of ['docker', 'vm'] as const) {
    const i = c.environments[kind].suites.indexOf(c.debian.suite as never);
    if (i >= 0) {
      issue.addIssue({ code: 'custom', path: ['environments', kind, 'suites', i], message: `expected a suite other than debian.suite (${c.debian.suite}), which the main ${kind} rows already are; remove it` });
    }
  }
});

export type Config = z.infer<typeof configSchema>;
export type PipConfig = z.infer<typeof pipConfig>;
