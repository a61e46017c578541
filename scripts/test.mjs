#!/usr/bin/env node
// `npm test`: type-check, lint, then every test tier (small, PGlite, PostgreSQL, e2e). Extra args go to vitest.
import { spawnSync } from "node:child_process";

const steps = [
  ["tsc", ["--noEmit", "-p", "tsconfig.json"]],
  ["biome", ["check", "."]],
  ["vitest", ["run", ...process.argv.slice(2)]],
];
for (const [bin, args] of steps) {
  console.log(`\n> ${bin} ${args.join(" ")}`);
  const result = spawnSync("npx", ["--no-install", bin, ...args], { stdio: "inherit" });
  if (result.status !== 0) {
    console.error(`\n${bin} failed (exit ${result.status ?? result.signal}).`);
    process.exit(result.status ?? 1);
  }
}
