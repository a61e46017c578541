import { describe, expect, it } from "vitest";
import { z } from "zod";
import {
  defaultRetryPolicy,
  defineJob,
  describeCronProblem,
  nextCronOccurrence,
  retryDelayMs,
} from "./job-definition.ts";

describe("job definitions", () => {
  it("backs off deterministically: initial × factor^(n−1), capped", () => {
    const policy = { maxAttempts: 6, initialDelaySeconds: 60, factor: 4, maxDelaySeconds: 3 * 3600 };
    expect([1, 2, 3, 4, 5].map((n) => retryDelayMs(policy, n) / 1000)).toEqual([60, 240, 960, 3840, 10800]);
    expect(retryDelayMs(defaultRetryPolicy, 1)).toBe(60_000);
  });

  it("names the problem with a cron expression or time zone", () => {
    expect(describeCronProblem("0 9 * * 1-5", "Europe/Berlin")).toBeNull();
    expect(describeCronProblem("@daily", "UTC")).toBeNull();
    expect(describeCronProblem("0 9 * *", "UTC")).toMatch(/five-field/);
    expect(describeCronProblem("61 9 * * *", "UTC")).toMatch(/not a valid cron expression/);
    expect(describeCronProblem("0 9 * * *", "Europe/Atlantis")).toMatch(/not a time zone/);
  });

  it("reads cron as wall time in the schedule's zone", () => {
    // 12:00Z is 08:00 in New York (EDT): the next 09:00 there is an hour later.
    const after = new Date("2026-07-01T12:00:00Z");
    expect(nextCronOccurrence("0 9 * * *", "America/New_York", after).toISOString()).toBe(
      "2026-07-01T13:00:00.000Z",
    );
  });

  it("refuses badly named jobs and bad schedules when the job file is loaded", () => {
    const handler = async () => undefined;
    expect(() => defineJob({ name: "SendWebhook", payload: z.object({}), handler })).toThrow(/lowercase/);
    expect(() =>
      defineJob({
        name: "reports.daily",
        payload: z.object({}),
        handler,
        schedule: { cron: "daily", payload: {} },
      }),
    ).toThrow(/reports.daily/);
    expect(defineJob({ name: "sla.escalate", payload: z.object({}), handler }).name).toBe("sla.escalate");
  });
});
