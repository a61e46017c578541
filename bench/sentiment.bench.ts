// Frustration flag quality and speed: Tend's scorer (VADER plus named escalation cues, src/analytics/text/
// frustration.ts) beside a baseline run in the same process, VADER's compound score alone with a threshold.
// Usage: npm run bench -- sentiment [--passes N]
//
// Data: test/fixtures/empathy/labelled-messages.jsonl (316 messages written for Tend, see its README). The
// scorer was tuned on the dev half; quality is reported on the held-out test half (and on dev for reference).
// The baseline's threshold is chosen on the dev half too (the best macro-F1 over -0.95..0.95 in steps of 0.05),
// so it gets the same tuning budget. Throughput: scoring every message of the set (average ~70 characters) N
// passes, and a 2,000-character mail built from them, median of 5 timings; scoring only (no database).
import { readFileSync } from "node:fs";
import { binaryClassificationReport } from "../src/analytics/text/classification-metrics.ts";
import { frustrationModel, scoreFrustration, vaderCompound } from "../src/analytics/text/frustration.ts";

type Labelled = {
  id: number;
  split: "dev" | "test";
  label: "frustrated" | "calm";
  kind: string;
  text: string;
};

function flag(args: string[], name: string, fallback: number): number {
  const index = args.indexOf(`--${name}`);
  return index >= 0 && args[index + 1] ? Number(args[index + 1]) : fallback;
}

const round = (value: number, digits = 3) => Math.round(value * 10 ** digits) / 10 ** digits;

function medianMs(repeats: number, fn: () => void): number {
  const samples: number[] = [];
  for (let i = 0; i < repeats; i++) {
    const started = performance.now();
    fn();
    samples.push(performance.now() - started);
  }
  return samples.sort((a, b) => a - b)[Math.floor(repeats / 2)];
}

function summary(report: ReturnType<typeof binaryClassificationReport>) {
  return {
    n: report.n,
    accuracy: round(report.accuracy),
    macroF1: round(report.macroF1),
    frustrated: { precision: round(report.positive.precision), recall: round(report.positive.recall) },
    calm: { precision: round(report.negative.precision), recall: round(report.negative.recall) },
    confusion: report.confusion,
  };
}

export async function run(args: string[]): Promise<Record<string, unknown>> {
  const passes = flag(args, "passes", 20);
  const rows = readFileSync(
    new URL("../test/fixtures/empathy/labelled-messages.jsonl", import.meta.url),
    "utf8",
  )
    .trim()
    .split("\n")
    .map((line) => JSON.parse(line) as Labelled);
  const dev = rows.filter((row) => row.split === "dev");
  const test = rows.filter((row) => row.split === "test");
  const truth = (set: Labelled[]) => set.map((row) => row.label === "frustrated");

  const tend = (set: Labelled[]) => set.map((row) => scoreFrustration({ text: row.text }).frustrated);
  const baselineAt = (threshold: number) => (set: Labelled[]) =>
    set.map((row) => vaderCompound(row.text) <= threshold);

  let bestThreshold = 0;
  let bestF1 = -1;
  for (let t = -0.95; t <= 0.951; t += 0.05) {
    const f1 = binaryClassificationReport(baselineAt(t)(dev), truth(dev)).macroF1;
    if (f1 > bestF1) {
      bestF1 = f1;
      bestThreshold = round(t, 2);
    }
  }
  const baseline = baselineAt(bestThreshold);

  // Per-kind accuracy on the test half, to show where each one fails.
  const kinds = [...new Set(test.map((row) => row.kind))].sort();
  const byKind = Object.fromEntries(
    kinds.map((kind) => {
      const set = test.filter((row) => row.kind === kind);
      const hits = (predicted: boolean[]) =>
        round(predicted.filter((p, i) => p === (set[i].label === "frustrated")).length / set.length, 2);
      return [kind, { n: set.length, tend: hits(tend(set)), baseline: hits(baseline(set)) }];
    }),
  );

  const longMail = rows
    .map((row) => row.text)
    .join(" ")
    .slice(0, 2000);
  const texts = rows.map((row) => row.text);
  const throughput = (score: (text: string) => unknown) => {
    const setMs = medianMs(5, () => {
      for (let p = 0; p < passes; p++) for (const text of texts) score(text);
    });
    const longMs = medianMs(5, () => {
      for (let p = 0; p < passes * 10; p++) score(longMail);
    });
    return {
      messagesPerSecond: Math.round((passes * texts.length) / (setMs / 1000)),
      longMailsPerSecond: Math.round((passes * 10) / (longMs / 1000)),
    };
  };
  // Warm up both (JIT, regex compilation) before timing.
  for (const text of texts) {
    scoreFrustration({ text });
    vaderCompound(text);
  }
  const tendSpeed = throughput((text) => scoreFrustration({ text, recentContacts: 1 }));
  const baselineSpeed = throughput(vaderCompound);

  return {
    data: {
      file: "test/fixtures/empathy/labelled-messages.jsonl",
      messages: rows.length,
      dev: dev.length,
      test: test.length,
      frustratedShare: round(rows.filter((row) => row.label === "frustrated").length / rows.length),
    },
    tend: {
      description: "VADER compound plus named escalation cues on a logit scale, flag at score >= 0.5",
      flagThreshold: frustrationModel.flagThreshold,
      test: summary(binaryClassificationReport(tend(test), truth(test))),
      dev: summary(binaryClassificationReport(tend(dev), truth(dev))),
      ...tendSpeed,
    },
    baseline: {
      description: `VADER compound alone, frustrated when compound <= ${bestThreshold} (threshold chosen on dev)`,
      threshold: bestThreshold,
      test: summary(binaryClassificationReport(baseline(test), truth(test))),
      dev: summary(binaryClassificationReport(baseline(dev), truth(dev))),
      ...baselineSpeed,
    },
    testByKind: byKind,
    ratios: {
      macroF1TendOverBaseline: round(
        binaryClassificationReport(tend(test), truth(test)).macroF1 /
          binaryClassificationReport(baseline(test), truth(test)).macroF1,
        2,
      ),
      speedTendOverBaseline: round(tendSpeed.messagesPerSecond / baselineSpeed.messagesPerSecond, 2),
    },
    passes,
  };
}
