// What a number was measured on: the document's things (an Ubuntu desktop VM from the ISO, python:3.9-slim on a macOS
// host) and isobench's (a debootstrap server guest, a locally built image). A verdict compares like with like.
import type { EnvResult } from '../results/schema.js';

/** What an environment of this run is, as its driver records it in facts.subject. */
export const SUBJECTS = [
  'venv',
  /** A container of an image isobench built offline on a debootstrap Debian base. */
  'debootstrap-image',
  /** A container of the document's Dockerfile on python:3.9-slim, pulled from a registry. */
  'pulled-image',
  /** A minimal debootstrap Debian server guest with systemd (no desktop). */
  'server-guest',
  /** A debootstrap guest with a shell script for init, booted straight into its kernel. */
  'micro-guest',
  /** A debootstrap Debian guest with a desktop task installed: the weight of an OS a person installs from an ISO. */
  'desktop-guest',
  /** A distribution's cloud image with a cloud-init seed. */
  'cloud-image',
  /** A Vagrant box (isobench's own, of the server guest, or a user's). */
  'vagrant-box',
] as const;
export type Subject = (typeof SUBJECTS)[number];

const CONTAINERS: readonly Subject[] = ['debootstrap-image', 'pulled-image'];
const GUESTS: readonly Subject[] = ['server-guest', 'micro-guest', 'desktop-guest', 'cloud-image', 'vagrant-box'];

/**
 * What the document measured on, and which of isobench's subjects measure the same quantity as it for the claims
 * that name it (an empty list: nothing isobench builds is like it, so the claim is shown, never judged).
 */
export const DOC_SUBJECTS = {
  /** Any venv: the document's test_venv. */
  'a-venv': { like: ['venv'] },
  /** The document's test_docker: python:3.9-slim with requests; its size is that base's. */
  'python-slim': { like: ['pulled-image'] },
  /** A Python container image with requests, of any base (the document's table and spectrum). */
  'python-image': { like: CONTAINERS },
  /** A container started on a macOS host, where Docker Desktop runs the engine inside a VM. */
  'container-on-macos': { like: CONTAINERS },
  /** The document's layer pair: ubuntu with python3 and Django, then one COPY each (its sizes are that base's). */
  'ubuntu-django-layers': { like: [] },
  /** Any two images that share their lower layers (a statement about layers, whatever the base). */
  'a-layer-pair': { like: CONTAINERS },
  /** Ubuntu 22.04 installed from its ISO: a desktop install, 20 GB allocated. */
  'ubuntu-desktop': { like: ['desktop-guest'] },
  /** Any VM guest (a statement about VMs in general). */
  'a-vm': { like: GUESTS },
  /** The three kinds side by side (an ordering). */
  'the-kinds': { like: ['venv', ...CONTAINERS, ...GUESTS] },
} as const satisfies Record<string, { like: readonly Subject[] }>;
export type DocSubject = keyof typeof DOC_SUBJECTS;
export const DOC_SUBJECT_IDS = Object.keys(DOC_SUBJECTS) as DocSubject[];

/** The subject an environment's driver recorded, if it is one isobench knows. */
export function subjectOf(env: EnvResult): Subject | undefined {
  const s = env.facts['subject'];
  return (SUBJECTS as readonly string[]).includes(s ?? '') ? (s as Subject) : undefined;
}

/** Whether the environment is like the document's subject (an environment with no recorded subject is not). */
export function isLike(doc: DocSubject, env: EnvResult): boolean {
  const s = subjectOf(env);
  return s !== undefined && (DOC_SUBJECTS[doc].like as readonly Subject[]).includes(s);
}
