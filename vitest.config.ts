import { defineConfig } from 'vitest/config';

// Integration tests drive real daemons and guests, one file at a time per project. `npm test` (scripts/test-streams.mjs)
// runs the two projects side by side as two processes; `npm run test:sequential` runs them one after the other: `guests` boots QEMU and Vagrant
// machines (TCG-bound), with the signal and quick-bench files to even the streams out; `main` holds the rest.
// Every file that plants a dead run's resources or runs `isobench cleanup` is in `main`, so that no cleanup
// removes what a file of the other stream planted. A CLI run in `guests` uses its own probe port (GUEST_PROBE_PORT,
// for testContext and in the configs the files write); the bench's child runs find the default one taken at
// times and take two free ports (src/run/probe-ports.ts).
const GUESTS = [
  'test/integration/vagrant.test.ts',
  'test/integration/vagrant-forward.test.ts',
  'test/integration/vm.test.ts',
  'test/integration/vm-full.test.ts',
  'test/integration/vm-desktop.test.ts',
  'test/integration/vm-run.test.ts',
  'test/integration/vm-cloud.test.ts',
  'test/integration/suites.test.ts',
  'test/integration/density.test.ts',
  'test/integration/signals.test.ts',
  'test/integration/bench-quick.test.ts',
  'test/integration/faults-vm.test.ts',
  'test/integration/probes.test.ts',
  'test/integration/clean.test.ts',
];
export const GUEST_PROBE_PORT = 18801;

export default defineConfig({
  test: {
    // Built once, before any file runs.
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
