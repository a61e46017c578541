import Mustache from "mustache";

/** What a macro can say about the ticket at hand; anything else in `{{ }}` is refused when the macro is saved. */
export const macroVariables = {
  "customer.name": "The customer's full name",
  "customer.first_name": "The customer's first name (or “there” when unknown)",
  "customer.email": "The customer's email address",
  "ticket.id": "The ticket number",
  "ticket.subject": "The ticket's subject",
  "agent.name": "Your name",
  "agent.first_name": "Your first name",
  "order.last": "Section: shown only when the customer has an order",
  "order.last.number": "The latest order's number",
  "order.last.date": "When the latest order was placed (e.g. 3 March 2026)",
  "order.last.total": "The latest order's total with its currency",
  "order.last.items": "The latest order's items, comma-separated",
  "order.count": "How many orders the customer has placed",
  "business.name": "Your business's name",
} as const;

export type MacroView = {
  customer: { name: string; first_name: string; email: string };
  ticket: { id: number; subject: string };
  agent: { name: string; first_name: string };
  order: {
    count: number;
    last: { number: string; date: string; total: string; items: string } | null;
  };
  business: { name: string };
};

type Token = [string, string, number, number, Token[]?];

/** Names used in a template that are not macro variables, and a syntax error if it does not parse. */
export function checkMacroTemplate(body: string): { unknown: string[]; syntaxError: string | null } {
  let tokens: Token[];
  try {
    tokens = Mustache.parse(body) as Token[];
  } catch (error) {
    return { unknown: [], syntaxError: (error as Error).message };
  }
  const unknown = new Set<string>();
  const visit = (list: Token[]) => {
    for (const token of list) {
      const [type, name] = token;
      if (["name", "&", "#", "^"].includes(type) && !(name in macroVariables)) unknown.add(name);
      if (token[4]) visit(token[4]);
    }
  };
  visit(tokens);
  return { unknown: [...unknown].sort(), syntaxError: null };
}

/** The macro's text for this ticket. Plain text: nothing is HTML-escaped (replies are sent as text). */
export function renderMacro(body: string, view: MacroView): string {
  return Mustache.render(body, view, {}, { escape: (value: string) => value });
}

/** "Ana" from "Ana María López"; "there" when the name is unknown, so "Hi {{customer.first_name}}" still reads well. */
export function firstNameOf(name: string | null | undefined): string {
  const first = (name ?? "").trim().split(/\s+/)[0];
  return first || "there";
}
