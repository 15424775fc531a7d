import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    reporters: ['default'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // Each project `extends: true` so the timeouts above apply to it too (inline projects do not inherit by default).
    projects: [
      {
        extends: true,
        test: {
          name: 'unit',
          environment: 'node',
          include: ['test/unit/**/*.test.ts', 'test/security/**/*.test.ts', 'test/fuzz/**/*.test.ts', 'test/regressions.test.ts'],
        },
      },
      {
        extends: true,
        esbuild: { jsx: 'automatic', jsxImportSource: 'preact' },
        test: {
          name: 'ui',
          environment: 'happy-dom',
          include: ['test/ui/**/*.test.tsx', 'test/ui/**/*.test.ts'],
        },
      },
      {
        extends: true,
        test: {
          name: 'interop',
          environment: 'node',
          include: ['test/interop/**/*.test.ts'],
          testTimeout: 120_000,
        },
      },
    ],
  },
});
