// The vm section of the config.
import { z } from 'zod';

export const vmConfig = z.strictObject({
  enabled: z.boolean().default(true),
  backend: z.enum(['qemu', 'vagrant']).default('qemu'),
  /** auto: KVM when a trial boot succeeds, else TCG. */
  accel: z.enum(['auto', 'kvm', 'tcg']).default('auto'),
  memoryMiB: z.number().int().min(128).default(512),
  cpus: z.number().int().min(1).default(1),
  bootTimeoutSec: z.number().int().positive().default(300),
  /** Boot samples (a VM boot is slow: fewer than the run's samples is fine, the report says how many). */
  bootSamples: z.number().int().positive().default(2),
});
