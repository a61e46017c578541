import { describe, expect, it } from "vitest";
import { checkMacroTemplate, firstNameOf, type MacroView, renderMacro } from "./macro-template.ts";

const view: MacroView = {
  customer: { name: "Ana María López", first_name: "Ana", email: "ana@example.com" },
  ticket: { id: 42, subject: "Late order" },
  agent: { name: "Dana Whitfield", first_name: "Dana" },
  order: { count: 3, last: { number: "TW-1001", date: "3 March 2026", total: "€24.50", items: "Beans × 2" } },
  business: { name: "Tidewater Coffee" },
};

describe("macro templates", () => {
  it("fills variables, shows order sections only with an order, and escapes nothing", () => {
    const body =
      "Hi {{customer.first_name}},{{#order.last}} your order {{order.last.number}} ({{order.last.total}}){{/order.last}}{{^order.last}} we have no order{{/order.last}} — {{agent.first_name}} <3";
    expect(renderMacro(body, view)).toBe("Hi Ana, your order TW-1001 (€24.50) — Dana <3");
    expect(renderMacro(body, { ...view, order: { count: 0, last: null } })).toBe(
      "Hi Ana, we have no order — Dana <3",
    );
  });

  it("names unknown variables and syntax errors so the author can fix them", () => {
    expect(
      checkMacroTemplate("Hi {{customer.firstname}} {{#order.last}}{{order.last.sku}}{{/order.last}}"),
    ).toEqual({
      unknown: ["customer.firstname", "order.last.sku"],
      syntaxError: null,
    });
    expect(checkMacroTemplate("Hi {{#order.last}}").syntaxError).toMatch(/Unclosed section/);
    expect(checkMacroTemplate("Thanks, {{agent.name}}")).toEqual({ unknown: [], syntaxError: null });
  });

  it("takes the first name, with a friendly fallback", () => {
    expect(firstNameOf("  Wei Miller ")).toBe("Wei");
    expect(firstNameOf(null)).toBe("there");
  });
});
