import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { buildTestContext } from "../../test/app.ts";
import { describeDb, testBackend } from "../../test/db.ts";
import { withDatabase } from "../../test/global-setup.ts";
import { createCustomer } from "../modules/customers/customers.service.ts";
import { ingestRawMail } from "../modules/email/inbound-mail.service.ts";
import { addMessage, createTicket } from "../modules/tickets/tickets.service.ts";
import { createApiToken, createUser } from "../modules/users/users.service.ts";
import { type Database, openPglite, openPostgres } from "./client.ts";
import { dumpDatabase } from "./dump.ts";
import { migrateDatabase } from "./migrate.ts";

// Needs PGlite (the source) and PostgreSQL (the target) at once, so it runs in the postgres project only.
const describeBoth = testBackend === "postgres" ? describeDb : describe.skip;

const oddText =
  "tab\there, newline\nthere, CR\r, backslash \\ and \\N and \\., quotes ' \" , unicode é ü 日本 😀";
const binary = Buffer.from(Array.from({ length: 512 }, (_, i) => (i % 255) + 1)); // every byte but NUL

function runPsql(url: string, file: string): Promise<{ code: number | null; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn("psql", [url, "-X", "-q", "-v", "ON_ERROR_STOP=1", "-f", file], {
      stdio: ["ignore", "ignore", "pipe"],
    });
    let stderr = "";
    child.stderr.on("data", (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, stderr }));
  });
}

/** Every row of every table as PostgreSQL's own text form, so both sides compare value for value. */
async function snapshotRows(database: Database): Promise<Record<string, string[]>> {
  await database.query("set timezone = 'UTC'");
  const tables = await database.query<{ name: string }>(
    "select table_schema || '.' || table_name as name from information_schema.tables where table_schema in ('public', 'drizzle') and table_type = 'BASE TABLE' order by 1",
  );
  const result: Record<string, string[]> = {};
  for (const { name } of tables) {
    const rows = await database.query<{ row: string }>(`select t::text as row from ${name} t order by 1`);
    result[name] = rows.map((r) => r.row);
  }
  return result;
}

describeBoth("tend db dump: the embedded database into PostgreSQL", () => {
  let source: Database;
  let target: Database;
  let targetName: string;
  const dumpFile = path.join(os.tmpdir(), `tend-dump-${randomBytes(4).toString("hex")}.sql`);
  const ids = { customerId: 0, ticketId: 0, mailTicketId: 0 };

  beforeAll(async () => {
    source = await openPglite("memory://");
    await migrateDatabase(source);
    const ctx = buildTestContext(source);

    await createUser(ctx, { email: "lead@example.com", name: 'Lea "the lead" O\'Neil', role: "lead" });
    await createApiToken(ctx, { name: "shop\tintegration", role: "agent" });
    ids.customerId = await createCustomer(ctx, {
      name: oddText,
      identities: [
        { kind: "email", value: "odd@example.com" },
        { kind: "phone", value: "+44 20 7946 0000" },
      ],
      tags: ["vip", "with space", 'quote"d', "back\\slash", "comma,separated", "{brace}", "NULL"],
    });
    const ticket = await createTicket(ctx, {
      subject: oddText,
      customerId: ids.customerId,
      channel: "phone",
      tags: ["returns"],
      customFields: { note: oddText, nested: { list: [1, 2.5, null, true], text: "a\\b" }, big: 2 ** 53 - 1 },
    });
    ids.ticketId = ticket.id;
    await addMessage(ctx, {
      ticketId: ticket.id,
      direction: "inbound",
      channel: "phone",
      authorCustomerId: ids.customerId,
      text: oddText,
      references: ["<a@b>", "x y", "back\\slash"],
      headers: { "X-Odd": oddText },
    });

    const raw = Buffer.from(
      [
        "From: Ana <ana@example.com>",
        "To: support@tend.localhost",
        "Subject: Broken kettle",
        "Message-ID: <dump-test-1@example.com>",
        "MIME-Version: 1.0",
        'Content-Type: multipart/mixed; boundary="b1"',
        "",
        "--b1",
        "Content-Type: text/plain; charset=utf-8",
        "",
        "It stopped working. Tabs\there.",
        "--b1",
        'Content-Type: application/octet-stream; name="photo.bin"',
        'Content-Disposition: attachment; filename="photo.bin"',
        "Content-Transfer-Encoding: base64",
        "",
        binary.toString("base64"),
        "--b1--",
        "",
      ].join("\r\n"),
    );
    const ingested = await ingestRawMail(ctx, raw, {
      from: "ana@example.com",
      to: ["support@tend.localhost"],
      source: "smtp",
    });
    expect(ingested.outcome).toBe("created");
    ids.mailTicketId = ingested.ticketId ?? 0;

    const out = fs.createWriteStream(dumpFile);
    await dumpDatabase(source, (chunk) => {
      if (!out.write(chunk)) return new Promise<void>((resolve) => out.once("drain", () => resolve()));
    });
    await new Promise<void>((resolve) => out.end(() => resolve()));

    const adminUrl = inject("postgresAdminUrl");
    targetName = `tend_dump_${randomBytes(5).toString("hex")}`;
    const admin = new pg.Client({ connectionString: adminUrl });
    await admin.connect();
    await admin.query(`create database ${targetName}`);
    await admin.end();
    const loaded = await runPsql(withDatabase(adminUrl, targetName), dumpFile);
    expect(loaded.stderr).toBe("");
    expect(loaded.code).toBe(0);
    target = await openPostgres(withDatabase(adminUrl, targetName), 2);
  }, 120_000);

  afterAll(async () => {
    await source?.close();
    await target?.close();
    fs.rmSync(dumpFile, { force: true });
    if (targetName) {
      const admin = new pg.Client({ connectionString: inject("postgresAdminUrl") });
      await admin.connect();
      await admin.query(`drop database if exists ${targetName} with (force)`);
      await admin.end();
    }
  });

  it("carries every row of every table over exactly, binary attachments and odd characters included", async () => {
    const before = await snapshotRows(source);
    const after = await snapshotRows(target);
    expect(Object.keys(after)).toEqual(Object.keys(before));
    expect(after).toEqual(before);
    expect(after["public.tickets"]).toHaveLength(2);
    expect(after["public.attachments"]).toHaveLength(1);

    const [customer] = await target.query<{ name: string; tags: string[] }>(
      "select name, tags from customers where id = $1",
      [ids.customerId],
    );
    expect(customer.name).toBe(oddText);
    expect(customer.tags).toContain("back\\slash");
    const [attachment] = await target.query<{ filename: string; content: Buffer }>(
      "select a.filename, a.content from attachments a join messages m on m.id = a.message_id where m.ticket_id = $1",
      [ids.mailTicketId],
    );
    expect(attachment.filename).toBe("photo.bin");
    expect(Buffer.compare(attachment.content, binary)).toBe(0);
    const [ticket] = await target.query<{ custom_fields: Record<string, unknown> }>(
      "select custom_fields from tickets where id = $1",
      [ids.ticketId],
    );
    expect(ticket.custom_fields).toEqual({
      note: oddText,
      nested: { list: [1, 2.5, null, true], text: "a\\b" },
      big: 2 ** 53 - 1,
    });
  }, 20_000);

  it("gives new rows fresh ids and needs no migration on the loaded database", async () => {
    const applied = await target.query<{ n: number }>(
      "select count(*)::int as n from drizzle.__drizzle_migrations",
    );
    await migrateDatabase(target);
    const appliedAfter = await target.query<{ n: number }>(
      "select count(*)::int as n from drizzle.__drizzle_migrations",
    );
    expect(appliedAfter[0].n).toBe(applied[0].n);

    const ctx = buildTestContext(target);
    const customerId = await createCustomer(ctx, { name: "After the move", identities: [] });
    const [{ max }] = await source.query<{ max: number }>("select max(id)::int as max from customers");
    expect(customerId).toBe(max + 1);
    const ticket = await createTicket(ctx, { subject: "New", customerId, channel: "web" });
    expect(ticket.id).toBeGreaterThan(Math.max(ids.ticketId, ids.mailTicketId));
  }, 20_000);
});
