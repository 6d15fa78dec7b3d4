export default { test: { include: ['test/unit/core/**/*.test.ts'], environment: 'node', testTimeout: 180_000, provide: { fcSeed: 20261201 }, setupFiles: ['test/setup/fast-check-seed.ts'] } };
