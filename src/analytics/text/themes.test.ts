import { describe, expect, it } from "vitest";
import { findThemes, phrasesOf, singular, type ThemeDocument } from "./themes.ts";

const doc = (id: number, text: string, day = 1): ThemeDocument => ({
  id: `c:${id}`,
  text,
  at: new Date(Date.UTC(2026, 10, day)),
});

describe("themes", () => {
  it("singularises plurals only", () => {
    expect(["deliveries", "boxes", "items", "address", "status", "was"].map(singular)).toEqual([
      "delivery",
      "box",
      "item",
      "address",
      "status",
      "was",
    ]);
  });

  it("finds phrases between stop words, one key for word order and plurals", () => {
    const keys = (text: string) => phrasesOf(text).map((p) => p.key);
    expect(keys("The delivery was late again.")).toEqual(["delivery late"]);
    expect(keys("Late deliveries every week")).toContain("delivery late");
  });

  it("counts each text once, compares with the previous period and keeps the verbatims", () => {
    const current = [
      doc(1, "Late delivery, the box came on Friday.", 3),
      doc(2, "The delivery was late and the late delivery cost me.", 5),
      doc(3, "Really late delivery again!", 9),
      doc(4, "Friendly support agent, quick answer.", 2),
      doc(5, "Friendly support agent.", 4),
    ];
    const previous = [
      doc(6, "Friendly support agent helped", 1),
      doc(7, "Great price, friendly support agent", 2),
    ];
    const themes = findThemes(current, previous);
    const late = themes.find((t) => t.phrase === "late delivery");
    expect(late).toMatchObject({ count: 3, previousCount: 0, trend: "new" });
    expect(late?.examples.map((e) => e.id)).toEqual(["c:3", "c:2", "c:1"]);
    expect(late?.examples[0].text).toBe("Really late delivery again!");
    // "friendly support agent" replaces its two-word parts, which only ever occur inside it.
    expect(themes.find((t) => t.phrase === "friendly support agent")).toMatchObject({
      count: 2,
      previousCount: 2,
      trend: "steady",
    });
    expect(themes.find((t) => t.phrase === "friendly support")).toBeUndefined();
  });
});
