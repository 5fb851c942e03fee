// The two TCP ports the isolation probes use on 127.0.0.1: the configured probePort and the one above it, or,
// when something already listens on either (another user's run on a shared machine, a student's server), two
// free ports the kernel hands out, said in a note. Two instances on one port is what the port probe tests; a
// port held by a stranger would make the first instance fail and say nothing about isolation.
import { createServer, type Server } from 'node:net';

/** Listens on 127.0.0.1:port (0: a port the kernel picks); the server and its port, or undefined when it is taken. */
function bind(port: number): Promise<{ server: Server; port: number } | undefined> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(undefined));
    server.listen({ port, host: '127.0.0.1', exclusive: true }, () => resolve({ server, port: (server.address() as { port: number }).port }));
  });
}

const release = (b: { server: Server }) => new Promise<void>((r) => b.server.close(() => r()));

/** Whether 127.0.0.1:port can be listened on now. */
export async function portFree(port: number): Promise<boolean> {
  const b = await bind(port);
  if (b) await release(b);
  return b !== undefined;
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
  // Both held at once, so the kernel hands out two different ports; both free again when this returns.
  const pair = [await bind(0), await bind(0)];
  await Promise.all(pair.map((b) => (b ? release(b) : undefined)));
  const [port, hostPort] = pair.map((b) => {
    if (!b) throw new Error('no free TCP port on 127.0.0.1 for the isolation probes');
    return b.port;
  }) as [number, number];
  return {
    port,
    hostPort,
    note: `probes: 127.0.0.1:${taken.join(' and ')} already in use (another run on this machine, or a server); the probes used ${port} and ${hostPort} instead (probePort sets the pair)`,
  };
}
