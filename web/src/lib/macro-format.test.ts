import { describe, expect, it } from "vitest";
import type { Macro } from "../api/api-types.ts";
import { describeMacroActions, filterMacros } from "./macro-format.ts";

function macro(id: number, title: string, body = ""): Macro {
  return { id, title, body, actions: {}, position: id, usageCount: 0, updatedAt: "2026-03-09T09:00:00Z" };
}

describe("describeMacroActions", () => {
  it("lists the ticket changes in words", () => {
    expect(describeMacroActions({ status: "pending", addTags: ["damaged"] })).toBe(
      "Status: Pending · Tags: +damaged",
    );
    expect(describeMacroActions({ priority: "high", removeTags: ["vip"], assignee: "me" })).toBe(
      "Priority: High · Tags: −vip · Assign to me",
    );
    expect(describeMacroActions({ assignee: 7 }, (id) => (id === 7 ? "Maria" : "?"))).toBe("Assign to Maria");
    expect(describeMacroActions({})).toBe("");
  });
});

describe("filterMacros", () => {
  const macros = [
    macro(1, "Apologise for a late order", "Sorry"),
    macro(2, "Refund confirmed", "Your refund"),
  ];

  it("keeps macros with every word in the title or text", () => {
    expect(filterMacros(macros, "")).toEqual(macros);
    expect(filterMacros(macros, "LATE order").map((m) => m.id)).toEqual([1]);
    expect(filterMacros(macros, "your").map((m) => m.id)).toEqual([2]);
    expect(filterMacros(macros, "refund late")).toEqual([]);
  });
});
