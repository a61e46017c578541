import { describe, expect, it } from "vitest";
import { callNotes, describeCall, formatCallDuration, parseCallDuration } from "./call-format.ts";

describe("call formatting", () => {
  it("says how long a call took", () => {
    expect(formatCallDuration(45)).toBe("45s");
    expect(formatCallDuration(270)).toBe("4m 30s");
    expect(formatCallDuration(300)).toBe("5m");
    expect(formatCallDuration(3720)).toBe("1h 2m");
  });

  it("describes a call in one line", () => {
    expect(
      describeCall({ direction: "inbound", durationSeconds: 270, outcome: "answered", phoneNumber: null }),
    ).toBe("Incoming call · 4m 30s · Answered");
    expect(
      describeCall({ direction: "outbound", durationSeconds: 0, outcome: "no_answer", phoneNumber: null }),
    ).toBe("Outgoing call · 0s · No answer");
  });

  it("keeps only the agent's notes after the server's summary line", () => {
    expect(callNotes({ text: "Incoming call, 4:30, answered\n\nWants a refund.\n\nCall back Friday." })).toBe(
      "Wants a refund.\n\nCall back Friday.",
    );
    expect(callNotes({ text: "Outgoing call, 0:00, no answer" })).toBe("");
    expect(callNotes({ text: "Typed by hand" })).toBe("Typed by hand");
  });

  it("reads the duration fields, refusing what is not a whole time", () => {
    expect(parseCallDuration("4", "30")).toBe(270);
    expect(parseCallDuration("", "")).toBe(0);
    expect(parseCallDuration("2.5", "0")).toBeNull();
    expect(parseCallDuration("1", "60")).toBeNull();
    expect(parseCallDuration("-1", "0")).toBeNull();
    expect(parseCallDuration("1441", "0")).toBeNull();
  });
});
