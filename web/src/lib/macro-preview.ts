import Mustache from "mustache";

// A macro's text with sample values, as the agent will see it (the server renders the same Mustache template with
// the ticket's real values: src/modules/macros/macro-template.ts).

export const sampleMacroView = {
  customer: { name: "Ana María López", first_name: "Ana", email: "ana@example.com" },
  ticket: { id: 1042, subject: "Grinder arrived without its lid" },
  agent: { name: "Sam Agent", first_name: "Sam" },
  order: {
    count: 3,
    last: {
      number: "#10381",
      date: "3 March 2026",
      total: "$48.50",
      items: "Burr grinder, House blend 1 kg",
    },
  },
  business: { name: "Your business" },
};

/** The template rendered with sample values, or the parse error to show instead. */
export function previewMacroText(body: string): { text: string; error: string | null } {
  try {
    return {
      text: Mustache.render(body, sampleMacroView, {}, { escape: (value: string) => value }),
      error: null,
    };
  } catch (error) {
    return { text: "", error: (error as Error).message };
  }
}
