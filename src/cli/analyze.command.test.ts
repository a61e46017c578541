import { execFile } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { expectSignificant, expectWithin } from "../analytics/analytics-expect.test-support.ts";
import {
  readFixture,
  readReferences,
  referenceNumber,
  referenceNumbers,
} from "../analytics/analytics-fixtures.test-support.ts";

// `tend analyze` as a user runs it: the real binary in a child process, files in, JSON out, no database.

const root = fileURLToPath(new URL("../../", import.meta.url));
const tend = path.join(root, "bin/tend.js");
const rossi = path.join(root, "test/fixtures/analytics/survival/rossi.csv");
const refs = readReferences();
let dir: string;
let cdnowCsv: string;

async function runTend(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await promisify(execFile)("node", [tend, ...args], {
      cwd: dir,
      // A data directory that does not exist: analyze must not need a workspace or open a database.
      env: { ...process.env, TEND_DATA_DIR: path.join(dir, "no-workspace") },
      maxBuffer: 64 * 1024 * 1024,
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), "tend-analyze-"));
  // CDNOW_sample.txt: master_id, sample_id, yyyymmdd, number of CDs, dollar value, whitespace-separated.
  const rows = readFixture("cdnow/CDNOW_sample.txt")
    .split(/\r?\n/)
    .filter((line) => line.trim() !== "")
    .map((line) => {
      const [, sampleId, ymd, , dollars] = line.trim().split(/\s+/);
      return `${Number(sampleId)},${ymd.slice(0, 4)}-${ymd.slice(4, 6)}-${ymd.slice(6, 8)},${dollars}`;
    });
  cdnowCsv = path.join(dir, "cdnow.csv");
  writeFileSync(cdnowCsv, `customer_id,date,amount\n${rows.join("\n")}\n`);
});

afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

interface ClvJson {
  counts: { customers: number; transactions: number; purchaseDays: number; rowErrors: number };
  excluded: { count: number; reason: string }[];
  rowErrors: { line: number; reason: string }[];
  bgnbd: Record<"r" | "alpha" | "a" | "b" | "logLikelihood", number>;
  paretoNbd: Record<"r" | "alpha" | "s" | "beta" | "logLikelihood", number>;
  gammaGamma: Record<"p" | "q" | "gamma" | "logLikelihood", number>;
  holdout: { length: number; bins: { customers: number; actual: number; expected: number }[] };
  customers?: Record<string, number | string>[];
}

describe("tend analyze clv on the CDNOW transaction log", () => {
  let result: { code: number; stdout: string; stderr: string };
  let json: ClvJson;
  const htmlFile = () => path.join(dir, "clv.html");

  beforeAll(async () => {
    result = await runTend([
      "analyze",
      "clv",
      "--orders",
      cdnowCsv,
      "--calibration-end",
      "1997-09-30",
      "--time-unit",
      "week",
      "--json",
      "--customers",
      "--html",
      htmlFile(),
    ]);
    json = JSON.parse(result.stdout) as ClvJson;
  });

  it("prints only JSON on stdout and the progress on stderr", () => {
    expect(result.code).toBe(0);
    expect(result.stderr).toContain("fitting BG/NBD on 2,357 customers");
    expect(result.stdout.trimStart().startsWith("{")).toBe(true);
  });

  it("counts the customers and merges same-day purchases", () => {
    expect(json.counts.customers).toBe(2357);
    expect(json.counts.transactions).toBe(6919);
    expect(json.counts.transactions - json.counts.purchaseDays).toBe(223);
    expect(json.excluded.map((e) => e.count)).toContain(1411);
  });

  it("reproduces the published BG/NBD parameters (3 significant figures) and log-likelihood (0.01)", () => {
    const bg = (...p: string[]) => referenceNumber(refs, "cdnow_calibration", "bgnbd", ...p);
    for (const name of ["r", "alpha", "a", "b"] as const) {
      expectSignificant(json.bgnbd[name], bg("published_FHL2005", name), 3);
      expectSignificant(json.bgnbd[name], bg("BTYD_vignette", name), 3);
    }
    expectWithin(json.bgnbd.logLikelihood, bg("BTYD_vignette", "LL"), 0.01);
  });

  it("reproduces the published Pareto/NBD and Gamma-Gamma estimates", () => {
    const pn = (...p: string[]) => referenceNumber(refs, "cdnow_calibration", "pareto_nbd", ...p);
    for (const name of ["r", "alpha", "s", "beta"] as const) {
      expectSignificant(json.paretoNbd[name], pn("published_FHL2005_table1", name), 3);
    }
    expectWithin(json.paretoNbd.logLikelihood, pn("BTYD_vignette", "LL"), 0.001);
    const gg = (...p: string[]) => referenceNumber(refs, "cdnow_calibration", "gamma_gamma", ...p);
    expectSignificant(json.gammaGamma.p, gg("published_FH2013", "p"), 3);
    expectSignificant(json.gammaGamma.q, gg("published_FH2013", "q"), 3);
    expectSignificant(json.gammaGamma.gamma, gg("published_FH2013", "gamma"), 4);
    expectWithin(json.gammaGamma.logLikelihood, gg("published_FH2013", "LL"), 1e-3);
  });

  it("compares the 39 holdout weeks with BTYD's table by calibration frequency", () => {
    const base = ["cdnow_calibration", "bgnbd", "holdout_by_calib_freq_BTYD"];
    expect(json.holdout.length).toBe(39);
    expect(json.holdout.bins.map((b) => b.customers)).toEqual(referenceNumbers(refs, ...base, "n"));
    referenceNumbers(refs, ...base, "expected").forEach((e, i) => {
      expectSignificant(json.holdout.bins[i].expected, e, 4);
    });
  });

  it("gives per-customer predictions with --customers and writes an HTML report with its charts inline", () => {
    expect(json.customers).toHaveLength(2357);
    expect(Object.keys(json.customers?.[0] ?? {})).toEqual([
      "id",
      "x",
      "t_x",
      "T",
      "pAliveBgNbd",
      "expectedPurchases",
      "expectedAverageValue",
      "clv",
    ]);
    const html = readFileSync(htmlFile(), "utf8");
    expect(html.match(/<svg/g)).toHaveLength(2);
    expect(html).not.toMatch(/<script|https?:\/\/(?!www\.w3\.org)/);
  });
});

describe("tend analyze clv on bad input", () => {
  it("names a missing column and the flag that maps it, exit 2", async () => {
    const file = path.join(dir, "renamed.csv");
    writeFileSync(file, "client,date,amount\nA,2020-01-01,5\n");
    const result = await runTend(["analyze", "clv", "--orders", file, "--calibration-end", "2020-02-01"]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('column "customer_id" is missing');
    expect(result.stderr).toContain("--customer-column");
  });

  it("skips bad rows by default, with their line numbers, and stops at the first one with --strict", async () => {
    const file = path.join(dir, "bad-rows.csv");
    const good = ["A,2020-01-01,5", "A,2020-01-09,7", "B,2020-01-02,3", "C,2020-01-05,0", "C,2020-01-20,0"];
    writeFileSync(
      file,
      [
        "customer_id,date,amount",
        good[0],
        "A,2020-13-01,4",
        good[1],
        "B,2020-01-03,ten",
        ...good.slice(2),
      ].join("\n"),
    );
    const args = [
      "analyze",
      "clv",
      "--orders",
      file,
      "--calibration-end",
      "2020-02-01",
      "--time-unit",
      "day",
    ];
    const lenient = await runTend([...args, "--json"]);
    expect(lenient.code).toBe(0);
    const json = JSON.parse(lenient.stdout) as ClvJson;
    expect(json.counts.rowErrors).toBe(2);
    expect(json.rowErrors).toEqual([
      { line: 3, reason: 'date "2020-13-01" is not a yyyy-mm-dd or yyyymmdd date' },
      { line: 5, reason: 'amount "ten" is not a decimal number' },
    ]);
    expect(json.excluded.map((e) => e.reason).join("\n")).toMatch(/zero-value repeat/);
    expect(lenient.stderr).toContain("skipped 2 bad rows");

    const strict = await runTend([...args, "--strict"]);
    expect(strict.code).toBe(2);
    expect(strict.stderr).toContain("line 3: date");
  });
});

describe("tend analyze survival on Rossi's recidivism data", () => {
  it("reproduces R's Cox table (Efron ties) to 4 decimals, with Kaplan-Meier and the log-rank test by group", async () => {
    const covariates = ["fin", "age", "race", "wexp", "mar", "paro", "prio"];
    const result = await runTend([
      "analyze",
      "survival",
      "--file",
      rossi,
      "--duration",
      "week",
      "--event",
      "arrest",
      "--covariates",
      covariates.join(","),
      "--group",
      "fin",
      "--json",
    ]);
    expect(result.code).toBe(0);
    const json = JSON.parse(result.stdout) as {
      counts: { rows: number; rowErrors: number; subjects: number; events: number };
      cox: {
        covariates: { name: string; coef: number; se: number; z: number; hazardRatio: number }[];
        logPartialLikelihood: number;
        concordance: number;
      };
      kaplanMeier: { curves: { group: string; subjects: number; steps: { survival: number }[] }[] };
      logRank: { statistic: number; degreesOfFreedom: number; pValue: number };
    };
    const cox = (...p: string[]) => referenceNumber(refs, "coxph_rossi", ...p);
    expect(json.counts).toEqual({ rows: 432, rowErrors: 0, subjects: 432, events: 114 });
    json.cox.covariates.forEach((c, j) => {
      expect(c.name).toBe(covariates[j]);
      expectWithin(c.coef, cox("coef", c.name), 5e-5);
      expectWithin(c.se, cox("se", c.name), 5e-5);
      expectWithin(c.z, cox("z", c.name), 5e-4);
    });
    expectWithin(json.cox.logPartialLikelihood, cox("partial_LL"), 5e-4);
    expectWithin(json.cox.concordance, cox("concordance"), 5e-3);
    expect(json.kaplanMeier.curves.map((c) => [c.group, c.subjects])).toEqual([
      ["0", 216],
      ["1", 216],
    ]);
    expect(json.logRank.degreesOfFreedom).toBe(1);
    expect(json.logRank.pValue).toBeGreaterThan(0.04);
    expect(json.logRank.pValue).toBeLessThan(0.06);
  });

  it("names a missing covariate column, exit 2", async () => {
    const result = await runTend([
      "analyze",
      "survival",
      "--file",
      rossi,
      "--duration",
      "week",
      "--event",
      "arrest",
      "--covariates",
      "fin,salary",
    ]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('column "salary" is missing');
  });
});
