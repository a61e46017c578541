#!/usr/bin/env node
// Builds the web app (web/dist) with vite when it is missing or older than any source file under web/.
// Runs before `npm start`; `--force` rebuilds anyway. Exits non-zero when the build fails.
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const webDir = path.join(repoRoot, "web");
const distDir = path.join(webDir, "dist");
const builtIndex = path.join(distDir, "index.html");
const skipped = new Set([distDir, path.join(webDir, "node_modules")]);

/** The newest modification time of any file under dir, skipping the build output. */
function newestSourceMtime(dir) {
  let newest = 0;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (skipped.has(full)) continue;
    if (entry.isDirectory()) newest = Math.max(newest, newestSourceMtime(full));
    else if (entry.isFile()) newest = Math.max(newest, fs.statSync(full).mtimeMs);
  }
  return newest;
}

function buildReason() {
  if (process.argv.includes("--force")) return "asked to (--force)";
  if (!fs.existsSync(builtIndex)) return "web/dist is missing";
  if (newestSourceMtime(webDir) > fs.statSync(builtIndex).mtimeMs) return "web/ changed since the last build";
  return null;
}

const reason = buildReason();
if (reason === null) {
  console.log("Web app is up to date (web/dist).");
} else {
  console.log(`Building the web app: ${reason}…`);
  let build;
  try {
    ({ build } = await import("vite"));
  } catch {
    console.error(
      "Cannot build the web app: vite is not installed (it is a dev dependency). Run `npm install`, " +
        "or build web/dist elsewhere and copy it here.",
    );
    process.exit(1);
  }
  try {
    await build({ configFile: path.join(webDir, "vite.config.ts"), logLevel: "warn" });
  } catch (error) {
    console.error(`Building the web app failed: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  }
  // vite keeps source mtimes off index.html; touch it so the next check sees a build newer than the sources.
  const now = new Date();
  fs.utimesSync(builtIndex, now, now);
  console.log("Web app built into web/dist.");
}
