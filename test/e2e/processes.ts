// Helpers for tests that run Tend as a real process: free ports, spawning `tend`, waiting for /healthz.
import { type ChildProcess, spawn } from "node:child_process";
import net from "node:net";
import path from "node:path";
import { fileURLToPath } from "node:url";

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
export const defaultPostgresAdminUrl =
  process.env.TEND_TEST_POSTGRES_URL ?? "postgres://postgres@127.0.0.1:5432/test";

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      const port = typeof address === "object" && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

export type TendProcess = { child: ChildProcess; output: () => string; exited: Promise<number | null> };

export function spawnTend(args: string[], env: Record<string, string>): TendProcess {
  return spawnNode([path.join(repoRoot, "bin/tend.js"), ...args], env);
}

/** A Node process in the repository with tsx loaded, e.g. a test entry script that runs Tend's own code. */
export function spawnTypeScript(script: string, env: Record<string, string>): TendProcess {
  return spawnNode(["--import", "tsx", path.join(repoRoot, script)], env);
}

function spawnNode(args: string[], env: Record<string, string>): TendProcess {
  const child = spawn(process.execPath, args, {
    cwd: repoRoot,
    env: { ...process.env, ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stdout?.on("data", (chunk: Buffer) => {
    output += chunk.toString();
  });
  child.stderr?.on("data", (chunk: Buffer) => {
    output += chunk.toString();
  });
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  return { child, output: () => output, exited };
}

/** Waits until the process has printed something matching `pattern` (or exits, or the deadline passes). */
export async function waitForOutput(tend: TendProcess, pattern: RegExp, timeoutMs = 60_000): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  let exited = false;
  void tend.exited.then(() => {
    exited = true;
  });
  while (Date.now() < deadline) {
    const match = pattern.exec(tend.output());
    if (match) return match[0];
    if (exited) throw new Error(`process exited before printing ${pattern}:\n${tend.output()}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`process did not print ${pattern} within ${timeoutMs} ms:\n${tend.output()}`);
}

/** Polls /healthz until it answers 200, the process exits, or the deadline passes. */
export async function waitForHealthy(url: string, tend: TendProcess, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let exited = false;
  void tend.exited.then(() => {
    exited = true;
  });
  while (Date.now() < deadline) {
    if (exited) throw new Error(`tend exited before it was healthy:\n${tend.output()}`);
    try {
      const response = await fetch(`${url}/healthz`);
      if (response.status === 200) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`tend was not healthy within ${timeoutMs} ms:\n${tend.output()}`);
}
