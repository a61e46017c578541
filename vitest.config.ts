import { defineConfig } from "vitest/config";

// Test tiers (docs/ARCHITECTURE.md): small = pure; medium/api = real database, run once on PGlite and once on
// PostgreSQL; e2e = the whole app with real SMTP and headless Chromium.
const mediumFiles = [
  "src/**/*.medium.test.ts",
  "src/**/*.api.test.ts",
  "test/**/*.medium.test.ts",
  "test/**/*.api.test.ts",
];

export default defineConfig({
  test: {
    pool: "forks",
    maxWorkers: 2,
    testTimeout: 20_000,
    hookTimeout: 60_000,
    projects: [
      {
        test: {
          name: "small",
          include: ["src/**/*.test.ts", "web/**/*.test.ts", "web/**/*.test.tsx", "test/**/*.small.test.ts"],
          exclude: [...mediumFiles, "**/node_modules/**"],
        },
      },
      {
        test: {
          name: "pglite",
          include: mediumFiles,
          globalSetup: ["test/global-setup.ts"],
          provide: { backend: "pglite" },
        },
      },
      {
        test: {
          name: "postgres",
          include: mediumFiles,
          globalSetup: ["test/global-setup.ts"],
          provide: { backend: "postgres" },
        },
      },
      {
        test: {
          name: "e2e",
          include: ["test/e2e/**/*.e2e.test.ts"],
          testTimeout: 90_000,
          hookTimeout: 120_000,
          fileParallelism: false,
        },
      },
    ],
  },
});
