import { describe, expect, it } from "vitest";
import { previewMacroText } from "./macro-preview.ts";

describe("macro preview", () => {
  it("fills variables and sections with sample values, without HTML escaping", () => {
    expect(
      previewMacroText(
        "Hi {{customer.first_name}}, {{#order.last}}order {{order.last.number}}{{/order.last}} & co",
      ),
    ).toEqual({ text: "Hi Ana, order #10381 & co", error: null });
  });

  it("reports a template that does not parse", () => {
    expect(previewMacroText("Hi {{#customer.name}}").error).toMatch(/Unclosed section/);
  });
});
