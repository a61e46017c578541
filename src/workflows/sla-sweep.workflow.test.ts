import { describe, expect, it } from "vitest";
import { formatDueAt } from "./sla-sweep.workflow.ts";

describe("formatDueAt", () => {
  it("shows the clock time alone on the same local day, in the workspace's zone", () => {
    const now = new Date("2026-03-06T16:00:00Z");
    expect(formatDueAt(new Date("2026-03-06T16:45:00Z"), now, "Europe/London")).toBe("16:45 Europe/London");
    expect(formatDueAt(new Date("2026-03-06T16:45:00Z"), now, "America/New_York")).toBe(
      "11:45 America/New_York",
    );
  });

  it("adds the weekday and date when the due time falls on another local day", () => {
    const now = new Date("2026-03-06T16:00:00Z");
    expect(formatDueAt(new Date("2026-03-09T09:00:00Z"), now, "Europe/London")).toBe(
      "Mon 9 Mar 09:00 Europe/London",
    );
    // The same UTC day, but 10:00 UTC is Friday evening in Tokyo and 16:00 UTC is already Saturday there.
    expect(
      formatDueAt(new Date("2026-03-06T16:00:00Z"), new Date("2026-03-06T10:00:00Z"), "Asia/Tokyo"),
    ).toBe("Sat 7 Mar 01:00 Asia/Tokyo");
  });
});
