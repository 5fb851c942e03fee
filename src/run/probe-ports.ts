// The two TCP ports the isolation probes use on 127.0.0.1: the configured probePort and the one above it, or,
// when something already listens on either (another user's run on a shared machine, a student's server), two
// free ports the kernel hands out, said in a note. Two instances on one port is what the port probe tests; a
// port held by a stranger would make the first instance fail and say nothing about isolation.
import { createServer } from 'node:net';

/** Whether 127.0.0.1:port can be listened on now. */
export function portFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = createServer();
    s.once('error', () => resolve(false));
    s.listen({ port, host: '127.0.0.1', exclusive: true }, () => s.close(() => resolve(true)));
  });
}

/** A port the kernel gives out as free on 127.0.0.1 (nothing listens on it when this returns). */
function ephemeralPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen({ port: 0, host: '127.0.0.1', exclusive: true }, () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}

export interface ProbePorts {
  port: number;
  hostPort: number;
  /** Set when the configured ports were taken: what was in use and what was used instead. */
  note?: string;
}

/** The configured pair when both are free, else two free ports (with a note naming both pairs). */
export async function probePorts(configured: number): Promise<ProbePorts> {
  const taken = [];
  for (const p of [configured, configured + 1]) if (!(await portFree(p))) taken.push(p);
  if (taken.length === 0) return { port: configured, hostPort: configured + 1 };
  const port = await ephemeralPort();
  let hostPort = await ephemeralPort();
  while (hostPort === port) hostPort = await ephemeralPort();
  return {
    port,
    hostPort,
    note: `probes: 127.0.0.1:${taken.join(' and ')} already in use (another run on this machine, or a server); the probes used ${port} and ${hostPort} instead (probePort sets the pair)`,
  };
}
