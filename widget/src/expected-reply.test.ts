import { describe, expect, it } from "vitest";
import { describeExpectedReply } from "./expected-reply.ts";

describe("describeExpectedReply", () => {
  const now = new Date(2026, 0, 5, 17, 30); // Monday, local time

  it("says 'as soon as we can' when no time is known, or the time has passed", () => {
    expect(describeExpectedReply(null, now, "en-GB")).toBe("We'll reply by email as soon as we can.");
    expect(describeExpectedReply(new Date(2026, 0, 5, 9, 0), now, "en-GB")).toBe(
      "We'll reply by email as soon as we can.",
    );
    expect(describeExpectedReply(new Date("not a date"), now, "en-GB")).toBe(
      "We'll reply by email as soon as we can.",
    );
  });

  it("names the weekday and time within the week, and the date beyond it", () => {
    expect(describeExpectedReply(new Date(2026, 0, 6, 10, 0), now, "en-GB")).toBe(
      "We'll reply by email by Tuesday 10:00.",
    );
    expect(describeExpectedReply(new Date(2026, 0, 5, 19, 0), now, "en-GB")).toBe(
      "We'll reply by email by 19:00 today.",
    );
    expect(describeExpectedReply(new Date(2026, 0, 14, 9, 0), now, "en-GB")).toBe(
      "We'll reply by email by Wednesday 14 January 09:00.",
    );
  });
});
