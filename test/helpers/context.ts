// A real DriverContext for integration tests: default config, a cleanup stack, a memory log.
import { configSchema, type Config } from '../../src/config/schema.js';
import { memoryLogger } from '../../src/lifecycle/log.js';
import { newDriverContext } from '../../src/lifecycle/context.js';
import type { DriverContext } from '../../src/drivers/types.js';

/** The stream's probe port (vitest.config.ts sets one for the guests stream), unless the test names its own. */
const streamPort = () => (process.env.ISOBENCH_TEST_PROBE_PORT ? { probePort: Number(process.env.ISOBENCH_TEST_PROBE_PORT) } : {});

/** A context whose work dir is a fresh isobench-test- temp dir; call ctx.cleanup.runAll() when done. */
export async function testContext(config: Partial<Config> = {}): Promise<DriverContext & { notes: string[]; lines: string[] }> {
  const log = memoryLogger();
  const notes: string[] = [];
  const ctx = await newDriverContext('test', configSchema.parse({ ...streamPort(), ...config }), { log, note: (t) => notes.push(t) });
  return { ...ctx, lines: log.lines, notes };
}
