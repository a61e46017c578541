#!/usr/bin/env node
// Builds what the server serves from vite builds when missing or older than any of its source files: the web app
// (web/dist) and the chat widget (widget/dist/widget.js). Runs before `npm start`; `--force` rebuilds anyway.
// Exits non-zero when a build fails.
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");

const targets = [
  { name: "the web app", dir: "web", built: "web/dist/index.html" },
  { name: "the chat widget", dir: "widget", built: "widget/dist/widget.js" },
];

/** The newest modification time of any file under dir, skipping build output and dependencies. */
function newestSourceMtime(dir, skipped) {
  let newest = 0;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (skipped.has(full)) continue;
    if (entry.isDirectory()) newest = Math.max(newest, newestSourceMtime(full, skipped));
    else if (entry.isFile()) newest = Math.max(newest, fs.statSync(full).mtimeMs);
  }
  return newest;
}

function buildReason(target) {
  const dir = path.join(repoRoot, target.dir);
  const built = path.join(repoRoot, target.built);
  const skipped = new Set([path.join(dir, "dist"), path.join(dir, "node_modules")]);
  if (process.argv.includes("--force")) return "asked to (--force)";
  if (!fs.existsSync(built)) return `${target.built} is missing`;
  if (newestSourceMtime(dir, skipped) > fs.statSync(built).mtimeMs)
    return `${target.dir}/ changed since the last build`;
  return null;
}

let build = null;
for (const target of targets) {
  const reason = buildReason(target);
  if (reason === null) {
    console.log(`${target.name[0].toUpperCase()}${target.name.slice(1)} is up to date (${target.built}).`);
    continue;
  }
  console.log(`Building ${target.name}: ${reason}…`);
  if (!build) {
    try {
      ({ build } = await import("vite"));
    } catch {
      console.error(
        `Cannot build ${target.name}: vite is not installed (it is a dev dependency). Run \`npm install\`, ` +
          "or build it elsewhere and copy the output here.",
      );
      process.exit(1);
    }
  }
  try {
    await build({ configFile: path.join(repoRoot, target.dir, "vite.config.ts"), logLevel: "warn" });
  } catch (error) {
    console.error(
      `Building ${target.name} failed: ${error instanceof Error ? error.message : String(error)}`,
    );
    process.exit(1);
  }
  // vite keeps source mtimes off its output; touch it so the next check sees a build newer than the sources.
  const now = new Date();
  fs.utimesSync(path.join(repoRoot, target.built), now, now);
  console.log(`Built ${target.name} into ${path.dirname(target.built)}.`);
}
