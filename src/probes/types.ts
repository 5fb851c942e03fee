// The Probe contract: one isolation question, answered by running commands in real instances.
import type { Driver, DriverContext, Env, Instance, Kind, Placement } from '../drivers/types.js';
import type { HostInfo, ProbeId, ProbeResult } from '../results/schema.js';

/** What a probe gets: the driver, the environment, two running instances (a publishes a port) and the host. */
export interface ProbeSession {
  driver: Driver;
  env: Env;
  /** Started with `publish` of probePort to probePort + 1 on 127.0.0.1 where the kind supports it. */
  a: Instance;
  b: Instance;
  ctx: DriverContext;
  host: HostInfo;
  /** Inside port (both instances bind it) and the 127.0.0.1 host port `a` publishes it on. */
  port: number;
  hostPort: number;
  /** Whether the instances run on this machine: a probe compares them with this host only when they do. */
  placement: Placement;
}

export interface Probe {
  id: ProbeId;
  title: string;
  appliesTo: readonly Kind[];
  /** The probe whose evidence this one rests on too (the same boot_id read the same way): a tally of probes counts the two once. */
  sameEvidenceAs?: ProbeId;
  run(session: ProbeSession): Promise<ProbeResult>;
}

/** Python text run inside an instance with `python -c`: prints one JSON object. */
export type PySnippet = string;
