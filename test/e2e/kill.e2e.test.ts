// Nothing acknowledged is lost: a real `tend serve` is killed with SIGKILL while mail is being delivered over
// SMTP; after a restart every message that received a 250 is in the database, exactly once.
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import nodemailer from "nodemailer";
import pg from "pg";
import { afterAll, describe, expect, it } from "vitest";
import { openPglite } from "../../src/db/client.ts";
import { defaultPostgresAdminUrl, freePort, spawnTend, waitForHealthy } from "./processes.ts";

const postgresReachable = await (async () => {
  const client = new pg.Client({ connectionString: defaultPostgresAdminUrl });
  try {
    await client.connect();
    await client.end();
    return true;
  } catch (error) {
    if (process.env.CI) throw new Error(`CI needs PostgreSQL for the kill test: ${(error as Error).message}`);
    console.warn(
      `\n!! PostgreSQL not reachable at ${defaultPostgresAdminUrl}: SKIPPING the PostgreSQL kill test\n`,
    );
    return false;
  }
})();

type Backend = {
  name: string;
  env: Record<string, string>;
  count(ids: string[]): Promise<Map<string, number>>;
  cleanup(): Promise<void>;
};

async function pgliteBackend(): Promise<Backend> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "tend-kill-"));
  return {
    name: "pglite",
    env: { TEND_DATA_DIR: dir },
    async count(ids) {
      const database = await openPglite(path.join(dir, "pgdata"));
      try {
        return countIn(await database.query<{ id: string; n: number }>(countSql, [ids]));
      } finally {
        await database.close();
      }
    },
    async cleanup() {
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

async function postgresBackend(): Promise<Backend> {
  const name = `tend_kill_${randomBytes(4).toString("hex")}`;
  const admin = new pg.Client({ connectionString: defaultPostgresAdminUrl });
  await admin.connect();
  await admin.query(`create database ${name}`);
  const url = new URL(defaultPostgresAdminUrl);
  url.pathname = `/${name}`;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "tend-kill-pg-"));
  return {
    name: "postgres",
    env: { DATABASE_URL: url.toString(), TEND_DATA_DIR: dir },
    async count(ids) {
      const client = new pg.Client({ connectionString: url.toString() });
      await client.connect();
      try {
        return countIn((await client.query(countSql, [ids])).rows);
      } finally {
        await client.end();
      }
    },
    async cleanup() {
      await admin.query(`drop database if exists ${name} with (force)`);
      await admin.end();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

const countSql =
  "select mail_message_id as id, count(*)::int as n from messages where mail_message_id = any($1::text[]) group by mail_message_id";
const countIn = (rows: { id: string; n: number }[]) => new Map(rows.map((row) => [row.id, Number(row.n)]));

async function killDuringDelivery(backend: Backend) {
  const httpPort = await freePort();
  const smtpPort = await freePort();
  const env = {
    ...backend.env,
    TEND_PORT: String(httpPort),
    TEND_HOST: "127.0.0.1",
    TEND_SMTP_PORT: String(smtpPort),
    TEND_SMTP_HOST: "127.0.0.1",
    TEND_MAIL_DOMAIN: "kill.tend.test",
    TEND_LOG_LEVEL: "warn",
  };
  const url = `http://127.0.0.1:${httpPort}`;
  const first = spawnTend(["serve"], env);
  await waitForHealthy(url, first);

  const acknowledged: string[] = [];
  let attempted = 0;
  let killed = false;
  const sender = async (lane: number) => {
    const transport = nodemailer.createTransport({
      host: "127.0.0.1",
      port: smtpPort,
      secure: false,
      ignoreTLS: true,
    });
    for (let i = 0; !killed; i++) {
      const id = `kill-${lane}-${i}-${randomBytes(3).toString("hex")}@customer.example`;
      attempted++;
      try {
        await transport.sendMail({
          from: `Customer ${lane} <lane${lane}@customer.example>`,
          to: "support@kill.tend.test",
          subject: `Lane ${lane} message ${i}`,
          text: `Message ${i} from lane ${lane}.\n`.repeat(20),
          messageId: `<${id}>`,
        });
        acknowledged.push(id);
      } catch {
        return; // the server is gone: this message was not acknowledged
      }
    }
  };
  const lanes = Promise.all([0, 1, 2, 3].map(sender));
  while (acknowledged.length < 120) {
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  first.child.kill("SIGKILL");
  killed = true;
  await first.exited;
  await lanes;

  // Restart: mail stored but not yet threaded is processed; a graceful stop waits for that to finish.
  const second = spawnTend(["serve"], env);
  await waitForHealthy(url, second);
  second.child.kill("SIGTERM");
  expect(await second.exited).toBe(0);

  const counts = await backend.count(acknowledged);
  const missing = acknowledged.filter((id) => !counts.has(id));
  const duplicated = [...counts].filter(([, n]) => n !== 1);
  expect(acknowledged.length).toBeGreaterThanOrEqual(120);
  // Mail was in flight when the process died (every lane was mid-send), so the kill really hit delivery.
  expect(attempted).toBeGreaterThan(acknowledged.length);
  expect(missing).toEqual([]);
  expect(duplicated).toEqual([]);
}

describe("SIGKILL during mail delivery", () => {
  const cleanups: (() => Promise<void>)[] = [];
  afterAll(async () => {
    for (const cleanup of cleanups) await cleanup();
  });

  it("keeps every acknowledged message exactly once on PGlite", async () => {
    const backend = await pgliteBackend();
    cleanups.push(backend.cleanup);
    await killDuringDelivery(backend);
  });

  it.skipIf(!postgresReachable)("keeps every acknowledged message exactly once on PostgreSQL", async () => {
    const backend = await postgresBackend();
    cleanups.push(backend.cleanup);
    await killDuringDelivery(backend);
  });
});
