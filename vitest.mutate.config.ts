import { defineConfig } from 'vitest/config';

// The unit tests Stryker runs against the pure core (npm run mutate): no dist/ build, no daemons.
export default defineConfig({
  test: {
    include: [
      'test/unit/claims*.test.ts',
      'test/unit/verdict*.test.ts',
      'test/unit/class*.test.ts',
      'test/unit/density.test.ts',
      'test/unit/report-compare.test.ts',
      'test/unit/report-format.test.ts',
      'test/unit/report-html.test.ts',
      'test/unit/report-junit.test.ts',
      'test/unit/spectrum-rows.test.ts',
      'test/unit/stats*.test.ts',
      'test/unit/vm-profiles.test.ts',
      'test/unit/vm-qemu-args.test.ts',
      'test/unit/vm-vagrant-args.test.ts',
      'test/unit/failure.test.ts',
      'test/unit/mutation-*.test.ts',
    ],
    testTimeout: 30_000,
  },
});
