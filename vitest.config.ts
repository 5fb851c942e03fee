import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    globalSetup: ['test/helpers/build-dist.ts'],
    // Integration tests drive real daemons and guests: one file at a time on a 2-core machine.
    fileParallelism: false,
    testTimeout: 30_000,
    // A machine's pip may list an index it cannot reach (PyPI without a network): each pip install then waits
    // through five back-offs per package (about 37 s for requests). Tests measure nothing: they do not wait.
    env: { PIP_RETRIES: '0' },
    hookTimeout: 30_000,
  },
});
