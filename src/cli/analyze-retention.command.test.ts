import { execFile } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { afterAll, beforeAll, expect, it } from "vitest";

// `tend analyze retention --orders FILE` as a user runs it: the real binary, a file in, the API's JSON out.

const tend = path.join(fileURLToPath(new URL("../../", import.meta.url)), "bin/tend.js");
let dir: string;

beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), "tend-retention-"));
  // The hand-worked example of src/analytics/retention/retention-measures.test.ts, in euros, plus one bad row.
  writeFileSync(
    path.join(dir, "orders.csv"),
    [
      "customer_id,date,amount",
      "A,2026-01-05,1.00",
      "A,2026-01-20,0.50",
      "A,2026-02-10,2.00",
      "A,2026-03-15,1.00",
      "B,2026-01-10,3.00",
      "B,2026-03-01,1.00",
      "C,2026-02-03,0.80",
      "C,2026-02-03,0.20",
      "C,2026-03-20,0.40",
      "D,2026-03-05,0.60",
      "E,2025-11-15,5.00",
      "E,someday,1.00",
    ].join("\n"),
  );
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

it("prints the retention measures of a file without a workspace", async () => {
  const { stdout, stderr } = await promisify(execFile)(
    "node",
    [tend, "analyze", "retention", "--orders", "orders.csv", "--as-of", "2026-04-01", "--json"],
    { cwd: dir, env: { ...process.env, TEND_DATA_DIR: path.join(dir, "no-workspace") } },
  );
  expect(stderr).toMatch(/line 13: date "someday" is not a date/);
  const result = JSON.parse(stdout);
  expect(result.summary.scope).toMatchObject({ source: "file", customers: 5, orders: 11, currency: "EUR" });
  expect(result.summary.lastMonth).toMatchObject({ period: "2026-03", customerRetentionRate: 1 });
  expect(
    result.rates.rows.find((r: { period: string }) => r.period === "2026-02").netRevenueRetention,
  ).toBeCloseTo(4 / 9, 12);
  expect(result.purchases).toMatchObject({ repeatPurchaseRate: 0.6, intervals: { medianDays: 33 } });
  expect(result.ltv).toMatchObject({ totalMinor: 1550, medianMinor: 400 });
  expect(result.rfm.segments.find((s: { segment: string }) => s.segment === "lost").customers).toBe(1);
}, 60_000);
