import { describe, expect, it } from "vitest";
import { parseHighlight } from "./highlight.ts";

describe("parseHighlight", () => {
  it("turns <mark> into marked runs and decodes the escaped text", () => {
    expect(parseHighlight("&lt;script&gt; <mark>refund</mark> &amp; more")).toEqual([
      { text: "<script> ", marked: false },
      { text: "refund", marked: true },
      { text: " & more", marked: false },
    ]);
  });

  it("shows any other markup as text rather than rendering it", () => {
    expect(parseHighlight('<img src=x onerror="alert(1)"><mark>a</mark>')).toEqual([
      { text: '<img src=x onerror="alert(1)">', marked: false },
      { text: "a", marked: true },
    ]);
  });
});
