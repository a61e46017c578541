// Headless Chromium for browser tests: the system's /usr/bin/chromium driven by playwright-core, a fresh profile
// per launch, removed again on close.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { type BrowserContext, chromium } from "playwright-core";

export const chromiumPath = "/usr/bin/chromium";

const chromiumArgs = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

/**
 * Whether browser tests can run here. Without Chromium a CI run fails (the tier must not pass silently);
 * elsewhere the caller skips, and this prints a warning nobody can miss.
 */
export function chromiumAvailable(): boolean {
  if (fs.existsSync(chromiumPath)) return true;
  const message = `${chromiumPath} is missing: browser tests cannot run`;
  if (process.env.CI) throw new Error(`${message}; CI must have Chromium installed`);
  console.warn(`\n!! ${message}. SKIPPING browser tests (apt-get install chromium to run them)\n`);
  return false;
}

export type LaunchedBrowser = { context: BrowserContext; close(): Promise<void> };

/** Launches Chromium with a throwaway profile; `close()` ends the browser and deletes the profile. */
export async function launchBrowser(
  options: { viewport?: { width: number; height: number } } = {},
): Promise<LaunchedBrowser> {
  const userDataDir = fs.mkdtempSync(path.join(os.tmpdir(), "tend-chromium-"));
  let context: BrowserContext;
  try {
    context = await chromium.launchPersistentContext(userDataDir, {
      executablePath: chromiumPath,
      headless: true,
      args: chromiumArgs,
      viewport: options.viewport ?? { width: 1366, height: 768 },
    });
  } catch (error) {
    fs.rmSync(userDataDir, { recursive: true, force: true });
    throw error;
  }
  return {
    context,
    async close() {
      await context.close().catch(() => undefined);
      fs.rmSync(userDataDir, { recursive: true, force: true });
    },
  };
}
