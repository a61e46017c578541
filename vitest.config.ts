import { defineConfig } from "vitest/config";

// Test tiers (docs/ARCHITECTURE.md): small = pure; medium/api = real database, run once on PGlite and once on
// PostgreSQL; e2e = the whole app with real SMTP and headless Chromium.
const mediumFiles = [
  "src/**/*.medium.test.ts",
  "src/**/*.api.test.ts",
  "test/**/*.medium.test.ts",
  "test/**/*.api.test.ts",
];

// Projects do not inherit the root test options, so each tier states its timeouts itself.
const timeouts = { testTimeout: 30_000, hookTimeout: 60_000 };

export default defineConfig({
  test: {
    pool: "forks",
    maxWorkers: 2,
    projects: [
      {
        test: {
          name: "small",
          ...timeouts,
          include: [
            "src/**/*.test.ts",
            "web/**/*.test.ts",
            "web/**/*.test.tsx",
            "widget/**/*.test.ts",
            "test/**/*.small.test.ts",
          ],
          exclude: [...mediumFiles, "**/node_modules/**"],
        },
      },
      {
        test: {
          name: "pglite",
          ...timeouts,
          include: mediumFiles,
          globalSetup: ["test/global-setup.ts"],
          provide: { backend: "pglite" },
        },
      },
      {
        test: {
          name: "postgres",
          ...timeouts,
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
