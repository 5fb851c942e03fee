// One boot of each configured QEMU guest with and without a TCG tb-size: phases, QEMU RSS, memory and
// disk used inside, the image's size (`node --import tsx bench/vm-guest-numbers.ts [full|micro]`).
import { configSchema } from '../src/config/schema.js';
import { newDriverContext } from '../src/lifecycle/context.js';
import { createLogger } from '../src/lifecycle/log.js';
import { vmDriver } from '../src/drivers/vm/index.js';
import type { QemuEnv } from '../src/drivers/vm/qemu-driver.js';

const profile = (process.argv[2] ?? 'full') as 'full' | 'micro';
const out: Record<string, unknown> = { profile };
for (const tb of [128, 0]) {
  const config = configSchema.parse({ environments: { vm: { guests: [profile], tcgTbSizeMiB: tb, bootTimeoutSec: 1800, vagrant: { enabled: false } } } });
  const ctx = await newDriverContext('bench', config, { log: createLogger({ verbose: false }), note: () => {} });
  try {
    const [spec] = vmDriver.specs(ctx.config);
    const env = (await vmDriver.create(spec!, ctx)) as QemuEnv;
    const t0 = performance.now();
    const inst = await vmDriver.start(env, ctx);
    const readyMs = Math.round(performance.now() - t0);
    const mem = Object.fromEntries((await vmDriver.memory(inst, ctx)).map((m) => [m.id, m.value]));
    const sizes = Object.fromEntries((await vmDriver.measure(env, ctx)).map((m) => [m.id, m.value]));
    out[`tb${tb}`] = { readyMs, phases: inst.phases, mem, sizes, accel: env.accel };
    process.stdout.write(`${JSON.stringify(out[`tb${tb}`])}\n`);
  } finally {
    await ctx.cleanup.runAll();
  }
}
process.stdout.write(`${JSON.stringify(out)}\n`);
