import { defineProject, mergeConfig, type UserWorkspaceConfig } from 'vitest/config';

/**
 * Shared vitest settings for every workspace project: tests run against each package's
 * TypeScript sources through the `@tokengate/source` export condition, so no build is
 * needed before `vitest`.
 */
const conditions = ['@tokengate/source', 'node', 'import', 'module', 'default'];
// Vitest hands `ssr.resolve.conditions` to its Node workers as `--conditions`: `import` or
// `module` there would make a CommonJS `require()` pick ESM builds (Express 5's router then
// gets is-promise's ESM build and crashes). Keep only what finds our TypeScript sources.
const ssrConditions = ['@tokengate/source', 'node', 'development|production'];

export function project(name: string, overrides: UserWorkspaceConfig = {}) {
  return mergeConfig(
    defineProject({
      resolve: { conditions },
      ssr: { resolve: { conditions: ssrConditions, externalConditions: ['node'] } },
      test: {
        name,
        include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
        typecheck: {
          enabled: true,
          include: ['src/**/*.test-d.ts', 'test/**/*.test-d.ts'],
          tsconfig: './tsconfig.test.json',
        },
        testTimeout: 20_000,
        hookTimeout: 30_000,
      },
    }),
    overrides,
  );
}
