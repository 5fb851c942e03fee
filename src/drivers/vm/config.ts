// The vm section of the config.
import { z } from 'zod';

/** A cloud image booted with a cloud-init NoCloud seed (needs the network; the offline image does not). */
export const cloudImageConfig = z.strictObject({
  url: z.string().url(),
  /** Hex sha256 of the downloaded file; the download is refused when it differs. */
  sha256: z.string().regex(/^[0-9a-f]{64}$/, 'a 64-digit lowercase hex sha256'),
  format: z.enum(['qcow2', 'raw']).default('qcow2'),
});

export const vagrantConfig = z.strictObject({
  provider: z.enum(['libvirt', 'virtualbox']).default('libvirt'),
  box: z.string().min(1).default('debian/bookworm64'),
  /** `vagrant up` (box download + boot + provisioning) deadline. */
  upTimeoutSec: z.number().int().positive().default(1200),
});

export const vmConfig = z
  .strictObject({
    enabled: z.boolean().default(true),
    backend: z.enum(['qemu', 'vagrant']).default('qemu'),
    /** auto: KVM when a trial boot succeeds, else TCG. */
    accel: z.enum(['auto', 'kvm', 'tcg']).default('auto'),
    /** How long the KVM trial boot of accel: auto may take to reach the readiness marker. */
    kvmTrialSec: z.number().int().positive().default(25),
    memoryMiB: z.number().int().min(128).default(512),
    cpus: z.number().int().min(1).default(1),
    /** Virtual size of the guest's root disk (the qcow2 only stores what is written). */
    diskGiB: z.number().int().min(1).max(64).default(4),
    bootTimeoutSec: z.number().int().positive().default(300),
    /** Boot samples (a VM boot is slow: fewer than the run's samples is fine, the report says how many). */
    bootSamples: z.number().int().positive().default(6),
    /** offline: a Debian guest built here with debootstrap; cloud: the image in `cloud` (needs the network). */
    image: z.enum(['offline', 'cloud']).default('offline'),
    cloud: cloudImageConfig.optional(),
    vagrant: vagrantConfig.prefault({}),
  })
  .refine((c) => c.image !== 'cloud' || c.cloud !== undefined, {
    message: 'image: cloud needs environments.vm.cloud.url and .sha256',
    path: ['cloud'],
  });

export type VmConfig = z.infer<typeof vmConfig>;
export type CloudImageConfig = z.infer<typeof cloudImageConfig>;
