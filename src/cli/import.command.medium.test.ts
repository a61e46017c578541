import { spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, expect, it } from "vitest";
import { createTestDatabase, describeDb, testBackend } from "../../test/db.ts";
import type { Database } from "../db/client.ts";

// `tend import` and `tend analyze retention` on the workspace as a user runs them: real processes, a temp data
// directory (PGlite project) or a fresh PostgreSQL database (postgres project).

const binTend = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../bin/tend.js");

function runTend(args: string[], env: NodeJS.ProcessEnv) {
  return new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve, reject) => {
    const child = spawn(process.execPath, [binTend, ...args], { env, stdio: ["ignore", "pipe", "pipe"] });
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
  });
}

const stepTimeoutMs = 60_000;

describeDb("tend import", () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "tend-import-cli-"));
  let database: (Database & { url?: string }) | null = null;
  let env: NodeJS.ProcessEnv = {};

  beforeAll(async () => {
    const base: NodeJS.ProcessEnv = { ...process.env };
    for (const key of Object.keys(base))
      if (key.startsWith("TEND_") || key === "DATABASE_URL") delete base[key];
    env = { ...base, TEND_DATA_DIR: path.join(dir, "data"), TEND_LOG_LEVEL: "warn" };
    if (testBackend === "postgres") {
      database = await createTestDatabase();
      env.DATABASE_URL = database.url;
    }
    fs.writeFileSync(
      path.join(dir, "orders.csv"),
      [
        "Id,Buyer,Mail,Day,Total",
        "1,K1,k1@shop.test,05/01/2026,12.50",
        "2,K1,k1@shop.test,20/02/2026,7.00",
        "3,K2,k2@shop.test,31/02/2026,3.00",
        "4,K2,k2@shop.test,01/03/2026,-1.00",
        "5,K3,k3@shop.test,02/03/2026,4.00",
      ].join("\n"),
    );
  }, stepTimeoutMs);

  afterAll(async () => {
    await database?.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  const args = [
    "import",
    "orders",
    path.join(dir, "orders.csv"),
    "--map",
    "order_id=Id,customer_id=Buyer,email=Mail,placed_at=Day,amount=Total",
    "--date-format",
    "dmy",
  ];

  it(
    "refuses a file with bad rows, naming each line, and imports the good ones with --partial",
    async () => {
      const failed = await runTend([...args, "--errors-out", path.join(dir, "errors.csv")], env);
      expect(failed.code).toBe(1);
      expect(failed.stdout).toContain("nothing imported");
      expect(failed.stdout).toContain('line 4: placed_at "31/02/2026" is not a date');
      expect(failed.stdout).toContain('line 5: amount "-1.00" is negative');
      expect(failed.stderr).toMatch(/100%\s+5 rows/);
      expect(failed.stderr).toContain("--partial");
      expect(fs.readFileSync(path.join(dir, "errors.csv"), "utf8").split("\r\n")[1]).toMatch(/^4,"placed_at/);

      const partial = await runTend([...args, "--partial", "--json", "--no-progress"], env);
      expect(partial.code).toBe(0);
      expect(JSON.parse(partial.stdout)).toMatchObject({
        imported: 3,
        rowErrors: 2,
        committed: true,
        customersCreated: 2,
      });

      const again = await runTend([...args, "--partial", "--json", "--no-progress"], env);
      expect(JSON.parse(again.stdout)).toMatchObject({ imported: 0, alreadyPresent: 3, committed: true });

      const analysis = await runTend(["analyze", "retention", "--json"], env);
      expect(analysis.code).toBe(0);
      const result = JSON.parse(analysis.stdout);
      expect(result.summary.scope).toMatchObject({
        source: "workspace",
        customers: 2,
        orders: 3,
        currency: "EUR",
      });
      expect(result.summary.revenueMinor).toBe(2350);
    },
    stepTimeoutMs * 3,
  );

  it(
    "imports a file without order ids once, saying on the second run how many rows it skipped",
    async () => {
      const file = path.join(dir, "no-ids.csv");
      fs.writeFileSync(
        file,
        [
          "customer,email,date,total",
          "K9,k9@shop.test,2026-03-03,9.00",
          "K9,k9@shop.test,2026-03-03,9.00",
          "K9,k9@shop.test,2026-03-04,4.00",
        ].join("\n"),
      );
      const noIds = [
        "import",
        "orders",
        file,
        "--map",
        "customer_id=customer,placed_at=date,amount=total",
        "--no-progress",
      ];
      const first = await runTend(noIds, env);
      expect(first.code).toBe(0);
      expect(first.stdout).toContain("imported 3 orders");
      const second = await runTend(noIds, env);
      expect(second.code).toBe(0);
      expect(second.stdout).toContain("imported 0 orders");
      expect(second.stdout).toContain(
        "skipped 3 orders already imported (same order id, or without one the same customer, date, amount and currency)",
      );
      const analysis = JSON.parse((await runTend(["analyze", "retention", "--json"], env)).stdout);
      expect(analysis.summary.scope.orders).toBe(6);
    },
    stepTimeoutMs * 3,
  );

  it(
    "writes the service-impact report with --html, saying plainly that orders alone are too little data",
    async () => {
      const report = path.join(dir, "service-impact.html");
      const result = await runTend(["analyze", "service-impact", "--json", "--html", report], env);
      expect(result.code).toBe(0);
      expect(result.stderr).toContain(`wrote the report to ${report}`);
      const json = JSON.parse(result.stdout);
      expect(json.contacts).toBe(0);
      const html = fs.readFileSync(report, "utf8");
      expect(html.startsWith("<!doctype html>")).toBe(true);
      expect(html).not.toMatch(/<script|https?:\/\//i);
      expect(html).toContain(`${json.customers} customers, 0 tickets`);
      expect(html).toContain("Too little data to say what service does to retention yet");
    },
    stepTimeoutMs,
  );
});
