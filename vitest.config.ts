import { defineConfig } from 'vitest/config';

// Integration tests drive real daemons and guests, one file at a time in each of two streams that run side by side:
// `guests` boots QEMU and Vagrant machines (TCG-bound), `main` holds everything else (Docker, venv, HTTP, units).
// Files that boot guests, or that look at every QEMU process or libvirt domain, belong to `guests`, and the
// signal and fault files beside them to even the two streams out (about 20 minutes each here); a CLI run there
// uses its own probe port (GUEST_PROBE_PORT, for testContext and in the configs the files write), so two runs never
// meet on the default one.
const GUESTS = [
  'test/integration/vagrant.test.ts',
  'test/integration/vagrant-forward.test.ts',
  'test/integration/vm.test.ts',
  'test/integration/vm-full.test.ts',
  'test/integration/vm-run.test.ts',
  'test/integration/vm-cloud.test.ts',
  'test/integration/suites.test.ts',
  'test/integration/density.test.ts',
  'test/integration/signals.test.ts',
  'test/integration/faults.test.ts',
  'test/integration/faults-vm.test.ts',
  'test/integration/probes.test.ts',
  'test/integration/leftovers.test.ts',
  'test/integration/clean.test.ts',
];
export const GUEST_PROBE_PORT = 18801;

export default defineConfig({
  test: {
    // Built once for both streams, before either starts.
    globalSetup: ['test/helpers/build-dist.ts'],
    testTimeout: 30_000,
    hookTimeout: 30_000,
    // A machine's pip may list an index it cannot reach (PyPI without a network): each pip install then waits
    // through five back-offs per package (about 37 s for requests). Tests measure nothing: they do not wait.
    env: { PIP_RETRIES: '0' },
    projects: [
      { extends: true, test: { name: 'guests', include: GUESTS, fileParallelism: false, env: { PIP_RETRIES: '0', ISOBENCH_TEST_PROBE_PORT: String(GUEST_PROBE_PORT) } } },
      { extends: true, test: { name: 'main', include: ['test/**/*.test.ts'], exclude: GUESTS, fileParallelism: false } },
    ],
  },
});
