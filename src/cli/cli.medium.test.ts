import { type ChildProcess, spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, expect, it } from "vitest";
import { createTestDatabase, describeDb, testBackend } from "../../test/db.ts";
import type { Database } from "../db/client.ts";

// The `tend` command as a user runs it: a real process, a temp data directory (PGlite project) or a fresh
// PostgreSQL database (postgres project), ports picked by the OS.

const binTend = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../bin/tend.js");

type RunResult = { code: number | null; stdout: string; stderr: string };

function runTend(args: string[], env: NodeJS.ProcessEnv, stdin?: string): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [binTend, ...args], { env, stdio: ["pipe", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => {
      stdout += chunk.toString();
    });
    child.stderr.on("data", (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(stdin ?? "");
  });
}

/** Starts `tend serve` and resolves with its URL once it says it is listening. */
function startServe(
  env: NodeJS.ProcessEnv,
): Promise<{ child: ChildProcess; url: string; output: () => string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [binTend, "serve"], { env, stdio: ["ignore", "pipe", "pipe"] });
    let output = "";
    const timer = setTimeout(() => reject(new Error(`serve did not start:\n${output}`)), 30_000);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const match = /Tend is listening on (http:\/\/\S+)/.exec(output);
      if (match) {
        clearTimeout(timer);
        resolve({ child, url: match[1], output: () => output });
      }
    };
    child.stdout.on("data", onData);
    child.stderr.on("data", onData);
    child.on("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`serve exited with ${code} before listening:\n${output}`));
    });
  });
}

function waitForExit(child: ChildProcess, timeoutMs: number): Promise<number | null> {
  return new Promise((resolve, reject) => {
    if (child.exitCode !== null) return resolve(child.exitCode);
    const timer = setTimeout(() => reject(new Error(`still running after ${timeoutMs} ms`)), timeoutMs);
    child.once("exit", (code) => {
      clearTimeout(timer);
      resolve(code);
    });
  });
}

// Each step starts Node processes with tsx; on a busy machine that takes seconds.
const stepTimeoutMs = 60_000;

describeDb("the tend command", () => {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "tend-cli-"));
  let database: (Database & { url?: string }) | null = null;
  let env: NodeJS.ProcessEnv = {};
  let apiToken = "";
  let server: { child: ChildProcess; url: string; output: () => string } | null = null;

  beforeAll(async () => {
    const base: NodeJS.ProcessEnv = { ...process.env };
    for (const key of Object.keys(base))
      if (key.startsWith("TEND_") || key === "DATABASE_URL") delete base[key];
    env = {
      ...base,
      TEND_DATA_DIR: dataDir,
      TEND_PORT: "0",
      TEND_HOST: "127.0.0.1",
      TEND_SMTP_PORT: "0",
      TEND_SMTP_HOST: "127.0.0.1",
      TEND_LOG_LEVEL: "warn",
    };
    if (testBackend === "postgres") {
      // An empty migrated database; `tend db migrate` on it must be a no-op.
      database = await createTestDatabase();
      env.DATABASE_URL = database.url;
    }
  }, stepTimeoutMs);

  afterAll(async () => {
    if (server && server.child.exitCode === null) server.child.kill("SIGKILL");
    await database?.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it(
    "db migrate creates or updates the database and says so",
    async () => {
      const result = await runTend(["db", "migrate"], env);
      expect(result.stderr).toBe("");
      expect(result.code).toBe(0);
      expect(result.stdout).toMatch(/is up to date/);
      if (testBackend === "pglite")
        expect(fs.existsSync(path.join(dataDir, "pgdata", "PG_VERSION"))).toBe(true);
    },
    stepTimeoutMs,
  );

  it(
    "user create takes a piped password and token create prints a token once",
    async () => {
      const user = await runTend(
        ["user", "create", "--email", "Lea@Example.com", "--role", "admin", "--name", "Lea"],
        env,
        "correct horse battery\n",
      );
      expect(user.code).toBe(0);
      expect(user.stdout).toContain("Created admin lea@example.com");
      expect(user.stdout).not.toContain("Password:");

      const duplicate = await runTend(
        ["user", "create", "--email", "lea@example.com", "--role", "agent"],
        env,
        "",
      );
      expect(duplicate.code).toBe(1);
      expect(duplicate.stderr).toContain("already exists");

      const token = await runTend(["token", "create", "--name", "shop", "--role", "agent"], env);
      expect(token.code).toBe(0);
      apiToken = token.stdout.trim();
      expect(apiToken).toMatch(/^tend_\S{20,}$/);
      expect(token.stderr).toContain("shown only this once");
    },
    stepTimeoutMs,
  );

  it(
    "mailbox add-imap stores a mailbox for the poller with a piped password, and list never shows it",
    async () => {
      const added = await runTend(
        [
          "mailbox",
          "add-imap",
          "--name",
          "support",
          "--host",
          "imap.example.com",
          "--username",
          "help@example.com",
        ],
        env,
        "s3cret imap\n",
      );
      expect(added.code).toBe(0);
      expect(added.stdout).toContain("imap.example.com:993/INBOX as help@example.com");
      const listed = await runTend(["mailbox", "list"], env);
      expect(listed.code).toBe(0);
      expect(listed.stdout).toMatch(
        /support\timap\.example\.com:993\/INBOX as help@example\.com\tenabled\tlast polled never/,
      );
      expect(listed.stdout).not.toContain("s3cret");
      const noPassword = await runTend(
        ["mailbox", "add-imap", "--name", "x", "--host", "h", "--username", "u"],
        env,
      );
      expect(noPassword.code).toBe(1);
      expect(noPassword.stderr).toContain("Pipe the mailbox password on stdin");
    },
    stepTimeoutMs,
  );

  it(
    "serve answers /healthz, and the new user and token work against it",
    async () => {
      server = await startServe(env);
      const health = await fetch(`${server.url}/healthz`);
      expect(health.status).toBe(200);
      expect(await health.json()).toEqual({ ok: true });

      const login = await fetch(`${server.url}/api/v1/auth/login`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ email: "lea@example.com", password: "correct horse battery" }),
      });
      expect(login.status).toBe(200);
      expect(((await login.json()) as { user: { email: string; role: string } }).user).toMatchObject({
        email: "lea@example.com",
        role: "admin",
      });
      const wrong = await fetch(`${server.url}/api/v1/auth/login`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ email: "lea@example.com", password: "correct horse battery\n" }),
      });
      expect(wrong.status).toBe(401);

      const withToken = await fetch(`${server.url}/api/v1/auth/logout`, {
        method: "POST",
        headers: { authorization: `Bearer ${apiToken}` },
      });
      expect(withToken.status).toBe(200);
      const withBadToken = await fetch(`${server.url}/api/v1/auth/logout`, {
        method: "POST",
        headers: { authorization: `Bearer ${apiToken}x` },
      });
      expect(withBadToken.status).toBe(401);
    },
    stepTimeoutMs,
  );

  it(
    "a CLI command refuses while the server holds the embedded database (and works on PostgreSQL)",
    async () => {
      if (!server) throw new Error("server not started");
      const result = await runTend(["token", "create", "--name", "second", "--role", "lead"], env);
      if (testBackend === "pglite") {
        expect(result.code).toBe(1);
        expect(result.stderr.trim()).toBe(
          `Tend is running (pid ${server.child.pid}); stop it first, or use DATABASE_URL.`,
        );
        expect(result.stdout).toBe("");
      } else {
        expect(result.code).toBe(0);
        expect(result.stdout.trim()).toMatch(/^tend_/);
      }
    },
    stepTimeoutMs,
  );

  it(
    "serve stops cleanly on SIGTERM and releases the database",
    async () => {
      if (!server) throw new Error("server not started");
      server.child.kill("SIGTERM");
      expect(await waitForExit(server.child, 10_000)).toBe(0);
      expect(server.output()).toContain("Stopped.");
      expect(fs.existsSync(path.join(dataDir, "server.pid"))).toBe(false);
      // The database is free again for CLI commands.
      const after = await runTend(["token", "create", "--name", "after", "--role", "agent"], env);
      expect(after.code).toBe(0);
    },
    stepTimeoutMs,
  );

  it(
    "db backfill-frustration scores what has no score yet, and says when there is nothing to do",
    async () => {
      const result = await runTend(["db", "backfill-frustration"], env);
      expect(result.code).toBe(0);
      expect(result.stdout).toBe("Every customer message already has a frustration score.\n");
      const bad = await runTend(["db", "backfill-frustration", "--batch-size", "0"], env);
      expect(bad.code).toBe(1);
      expect(bad.stderr).toContain("--batch-size must be a whole number from 1 to 5000");
    },
    stepTimeoutMs,
  );

  it(
    "refuses a bad TEND_PORT with a clear message and exit code 2",
    async () => {
      const result = await runTend(["serve"], { ...env, TEND_PORT: "http" });
      expect(result.code).toBe(2);
      expect(result.stderr).toContain("TEND_PORT");
      expect(result.stderr).not.toMatch(/\n\s+at /); // no stack trace
      expect(fs.existsSync(path.join(dataDir, "server.pid"))).toBe(false);
    },
    stepTimeoutMs,
  );
});
