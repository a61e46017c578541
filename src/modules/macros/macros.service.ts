import type { ServiceContext } from "../../context.ts";
import type { MacroActionsJson } from "../../db/schema.ts";
import { notFound, validationFailed } from "../../errors.ts";
import { formatMoney } from "../orders/orders.service.ts";
import {
  type ChangeOrigin,
  getTicketRow,
  type TicketRow,
  type UpdateTicketInput,
  updateTicket,
} from "../tickets/tickets.service.ts";
import { getWorkspaceTimezone } from "../workspace/workspace.service.ts";
import { checkMacroTemplate, firstNameOf, type MacroView, renderMacro } from "./macro-template.ts";
import {
  deleteMacroRow,
  incrementMacroUsage,
  insertMacro,
  type MacroRow,
  selectMacro,
  selectMacroFacts,
  selectMacros,
  updateMacroRow,
} from "./macros.repo.ts";

type Ctx = ServiceContext;

export type { MacroRow } from "./macros.repo.ts";
export type MacroInput = { title: string; body: string; actions: MacroActionsJson; position: number };

function checkBody(body: string): void {
  const { unknown, syntaxError } = checkMacroTemplate(body);
  if (syntaxError) {
    throw validationFailed(`The macro text does not parse: ${syntaxError}`, [
      { path: "body.body", message: syntaxError },
    ]);
  }
  if (unknown.length > 0) {
    const names = unknown.map((name) => `{{${name}}}`).join(", ");
    throw validationFailed(
      `Unknown variable${unknown.length > 1 ? "s" : ""} ${names}; see GET /api/v1/macros/variables`,
      [{ path: "body.body", message: `unknown: ${unknown.join(", ")}` }],
    );
  }
}

export async function listMacros(ctx: Pick<Ctx, "db">): Promise<MacroRow[]> {
  return selectMacros(ctx.db);
}

export async function createMacro(ctx: Pick<Ctx, "db" | "clock">, input: MacroInput): Promise<MacroRow> {
  checkBody(input.body);
  const now = ctx.clock.now();
  return insertMacro(ctx.db, { ...input, createdAt: now, updatedAt: now });
}

export async function updateMacro(
  ctx: Pick<Ctx, "db" | "clock">,
  id: number,
  input: MacroInput,
): Promise<MacroRow> {
  checkBody(input.body);
  const row = await updateMacroRow(ctx.db, id, { ...input, updatedAt: ctx.clock.now() });
  if (!row) throw notFound("Macro", id);
  return row;
}

export async function deleteMacro(ctx: Pick<Ctx, "db">, id: number): Promise<void> {
  if (!(await deleteMacroRow(ctx.db, id))) throw notFound("Macro", id);
}

async function getMacro(ctx: Pick<Ctx, "db">, id: number): Promise<MacroRow> {
  const row = await selectMacro(ctx.db, id);
  if (!row) throw notFound("Macro", id);
  return row;
}

/** The variables' values for a ticket, as the agent applying the macro sees them. */
export async function buildMacroView(
  ctx: Pick<Ctx, "db">,
  ticketId: number,
  agentUserId: number | null,
): Promise<MacroView> {
  const facts = await selectMacroFacts(ctx.db, ticketId, agentUserId);
  if (!facts) throw notFound("Ticket", ticketId);
  const timezone = await getWorkspaceTimezone(ctx);
  const last = facts.lastOrder;
  return {
    customer: {
      name: facts.customerName ?? facts.customerEmail ?? "",
      first_name: firstNameOf(facts.customerName),
      email: facts.customerEmail ?? "",
    },
    ticket: { id: facts.ticketId, subject: facts.subject },
    agent: { name: facts.agentName ?? "", first_name: firstNameOf(facts.agentName) },
    order: {
      count: facts.orderCount,
      last: last
        ? {
            number: last.external_id ?? `#${last.id}`,
            date: new Intl.DateTimeFormat("en-GB", { dateStyle: "long", timeZone: timezone }).format(
              new Date(last.placed_at),
            ),
            total: formatMoney(Number(last.amount_minor), last.currency),
            items: (last.items ?? []).map((item) => `${item.name} × ${item.quantity}`).join(", "),
          }
        : null,
    },
    business: { name: facts.businessName ?? "" },
  };
}

/** The macro's ticket changes as an update, with tags added and removed against the ticket's current tags. */
export function macroChanges(
  actions: MacroActionsJson,
  ticket: Pick<TicketRow, "tags">,
  agentUserId: number | null,
) {
  const changes: UpdateTicketInput = {};
  if (actions.status) changes.status = actions.status;
  if (actions.priority) changes.priority = actions.priority;
  if (actions.teamId !== undefined) changes.teamId = actions.teamId;
  if (actions.assignee !== undefined) {
    changes.assigneeId = actions.assignee === "me" ? agentUserId : actions.assignee;
  }
  if (actions.addTags?.length || actions.removeTags?.length) {
    const removed = new Set((actions.removeTags ?? []).map((tag) => tag.toLowerCase()));
    changes.tags = [...ticket.tags.filter((tag) => !removed.has(tag)), ...(actions.addTags ?? [])];
  }
  return changes;
}

/** What a macro would write and change on a ticket, without changing anything. */
export async function previewMacro(ctx: Ctx, macroId: number, ticketId: number, agentUserId: number | null) {
  const macro = await getMacro(ctx, macroId);
  const ticket = await getTicketRow(ctx, ticketId);
  return {
    macro,
    text: renderMacro(macro.body, await buildMacroView(ctx, ticketId, agentUserId)),
    changes: macroChanges(macro.actions, ticket, agentUserId),
  };
}

/**
 * Applies a macro's ticket changes and returns its text for the agent to review and send. Call in a transaction.
 */
export async function applyMacro(
  ctx: Ctx,
  macroId: number,
  ticketId: number,
  agentUserId: number | null,
  origin: ChangeOrigin = {},
) {
  const preview = await previewMacro(ctx, macroId, ticketId, agentUserId);
  const ticket = await updateTicket(ctx, ticketId, preview.changes, agentUserId, origin);
  await incrementMacroUsage(ctx.db, macroId);
  return { ...preview, ticket };
}

/** Replies written with empathy: acknowledge, apologise where it is due, and say what happens next. */
export const starterMacros: MacroInput[] = [
  {
    title: "Acknowledge and say what happens next",
    position: 10,
    actions: { status: "open" },
    body: `Hi {{customer.first_name}},

Thank you for getting in touch, and I'm sorry you've had to write to us about this. I've read your message and I'm looking into it now.

Here's what happens next: I'll check the details on our side and come back to you with an answer by the end of the next working day, sooner if I can.

Best wishes,
{{agent.first_name}}`,
  },
  {
    title: "Apologise for a late order",
    position: 20,
    actions: { addTags: ["late-delivery"] },
    body: `Hi {{customer.first_name}},

I'm really sorry your order{{#order.last}} {{order.last.number}} from {{order.last.date}}{{/order.last}} hasn't reached you yet. I know how frustrating it is to wait for something you were looking forward to.

I've asked our dispatch team to trace the parcel today. As soon as I hear back I'll let you know where it is and, if it's lost, we'll send a replacement at no cost to you.

{{agent.first_name}}`,
  },
  {
    title: "Damaged item: ask for a photo",
    position: 30,
    actions: { addTags: ["damaged"], status: "pending" },
    body: `Hi {{customer.first_name}},

I'm so sorry it arrived damaged — that's not the experience we want you to have.

Could you reply with a photo of the item and the packaging? Once I have it I'll arrange a replacement or a full refund, whichever you prefer, straight away.

Thank you for your patience,
{{agent.first_name}}`,
  },
  {
    title: "Refund confirmed",
    position: 40,
    actions: { addTags: ["refund"], status: "solved" },
    body: `Hi {{customer.first_name}},

I've refunded{{#order.last}} {{order.last.total}} for order {{order.last.number}}{{/order.last}}. It should appear on your statement within 3 to 5 working days, depending on your bank.

I'm sorry again for the trouble. If anything else comes up, just reply to this email and it will come straight back to me.

{{agent.first_name}}`,
  },
  {
    title: "Glad we could help (solve)",
    position: 50,
    actions: { status: "solved" },
    body: `Hi {{customer.first_name}},

I'm glad that's sorted. I'll mark this as solved for now, but if anything isn't right, reply here and I'll pick it up again.

Thank you for being a customer of {{business.name}}.

{{agent.first_name}}`,
  },
];

/** The starter macros, for a workspace that has none yet. */
export async function ensureStarterMacros(ctx: Pick<Ctx, "db" | "clock">): Promise<boolean> {
  if ((await selectMacros(ctx.db)).length > 0) return false;
  for (const macro of starterMacros) await createMacro(ctx, macro);
  return true;
}
