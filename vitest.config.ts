import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    exclude: ['test/tmp/**', 'node_modules/**', 'output/**'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // 2 cores shared with servers the e2e tests start: keep parallelism modest.
    maxWorkers: 2,
  },
});
