// Loaders for the analytics test fixtures (test/fixtures/analytics, see PROVENANCE.md there). Tests only.
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import type { Transaction } from "./clv/customer-summary.ts";

const fixtureDir = fileURLToPath(new URL("../../test/fixtures/analytics/", import.meta.url));

/** Reads a fixture file as text. */
export function readFixture(relativePath: string): string {
  return readFileSync(fixtureDir + relativePath, "utf8");
}

/** The published reference values, as a loosely typed tree (tests pick the numbers they assert). */
export function readReferences(): ReferenceTree {
  return JSON.parse(readFixture("retention-references.json")) as ReferenceTree;
}

export type ReferenceValue = number | string | ReferenceValue[] | ReferenceTree;
export interface ReferenceTree {
  [key: string]: ReferenceValue;
}

/** Follows a path of keys into the reference tree and returns the number there. */
export function referenceNumber(tree: ReferenceTree, ...path: string[]): number {
  const value = referenceAt(tree, path);
  if (typeof value !== "number") throw new Error(`reference ${path.join(".")} is not a number`);
  return value;
}

/** Follows a path of keys into the reference tree and returns the array of numbers there. */
export function referenceNumbers(tree: ReferenceTree, ...path: string[]): number[] {
  const value = referenceAt(tree, path);
  if (!Array.isArray(value) || !value.every((v) => typeof v === "number")) {
    throw new Error(`reference ${path.join(".")} is not an array of numbers`);
  }
  return value as number[];
}

/** Follows a path of keys (array indices as strings) into the reference tree. */
export function referenceAt(tree: ReferenceTree, path: readonly string[]): ReferenceValue {
  let node: ReferenceValue = tree;
  for (const key of path) {
    if (typeof node !== "object" || node === null) throw new Error(`reference ${path.join(".")} not found`);
    const next: ReferenceValue | undefined = Array.isArray(node) ? node[Number(key)] : node[key];
    if (next === undefined) throw new Error(`reference ${path.join(".")} not found`);
    node = next;
  }
  return node;
}

/** The CDNOW sample transactions (sample_id as customer, yyyymmdd as UTC day, dollar value as amount). */
export function readCdnowTransactions(): Transaction[] {
  return readFixture("cdnow/CDNOW_sample.txt")
    .split(/\r?\n/)
    .filter((line) => line.trim() !== "")
    .map((line) => {
      const [, sampleId, ymd, , dollars] = line.trim().split(/\s+/);
      const date = new Date(
        Date.UTC(Number(ymd.slice(0, 4)), Number(ymd.slice(4, 6)) - 1, Number(ymd.slice(6, 8))),
      );
      return { customerId: String(Number(sampleId)), date, amount: Number(dollars) };
    });
}

/** Parses a simple comma-separated file with a header row into records of strings. */
export function readCsv(relativePath: string): Record<string, string>[] {
  const [header, ...rows] = readFixture(relativePath)
    .split(/\r?\n/)
    .filter((line) => line.trim() !== "");
  const names = header.split(",");
  return rows.map((row) => {
    const cells = row.split(",");
    return Object.fromEntries(names.map((name, i) => [name, cells[i]]));
  });
}

/** The CDNOW calibration summary published with lifetimes (ID, x, t_x, T, zbar; weeks, 2 decimals). */
export function readCdnowPublishedSummary(): {
  id: string;
  x: number;
  tx: number;
  T: number;
  zbar: number;
}[] {
  return readCsv("cdnow/cdnow_customers_summary_with_transactions.csv").map((row) => ({
    id: row.ID,
    x: Number(row.x),
    tx: Number(row.t_x),
    T: Number(row.T),
    zbar: Number(row.zbar),
  }));
}
