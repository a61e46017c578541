// Factories: each test builds its own data through these, never shared fixtures.
import { randomBytes } from "node:crypto";
import { eq } from "drizzle-orm";
import type { ServiceContext } from "../src/context.ts";
import { customers, surveyResponses, surveySends, teamMembers, teams, users } from "../src/db/schema.ts";
import { withTransaction } from "../src/db/transaction.ts";
import { findOrCreateCustomerByIdentity } from "../src/modules/customers/customers.service.ts";
import { addMessage, createTicket, type TicketRow } from "../src/modules/tickets/tickets.service.ts";

const unique = () => randomBytes(4).toString("hex");

export type BuiltUser = typeof users.$inferSelect;

/** An agent (no password: they never log in through these tests). */
export async function buildUser(
  ctx: Pick<ServiceContext, "db">,
  overrides: Partial<typeof users.$inferInsert> = {},
): Promise<BuiltUser> {
  const tag = unique();
  const [row] = await ctx.db
    .insert(users)
    .values({ email: `agent-${tag}@example.test`, name: `Agent ${tag}`, role: "agent", ...overrides })
    .returning();
  return row;
}

export async function buildTeam(
  ctx: Pick<ServiceContext, "db">,
  options: {
    name?: string;
    routingMode?: (typeof teams.$inferInsert)["routingMode"];
    memberIds?: number[];
  } = {},
) {
  const [team] = await ctx.db
    .insert(teams)
    .values({ name: options.name ?? `Team ${unique()}`, routingMode: options.routingMode ?? "load_balanced" })
    .returning();
  if (options.memberIds?.length) {
    await ctx.db.insert(teamMembers).values(options.memberIds.map((userId) => ({ teamId: team.id, userId })));
  }
  return team;
}

export async function buildCustomer(
  ctx: ServiceContext,
  overrides: { email?: string; name?: string; tier?: string | null; tags?: string[] } = {},
): Promise<number> {
  const { customerId } = await findOrCreateCustomerByIdentity(ctx, {
    kind: "email",
    value: overrides.email ?? `customer-${unique()}@example.test`,
    name: overrides.name ?? "Casey Customer",
  });
  if (overrides.tier !== undefined || overrides.tags !== undefined) {
    await ctx.db
      .update(customers)
      .set({ tier: overrides.tier ?? null, tags: overrides.tags ?? [] })
      .where(eq(customers.id, customerId));
  }
  return customerId;
}

/** A ticket opened by the customer's first message, as mail or chat intake would open it. */
export async function buildTicket(
  ctx: ServiceContext,
  options: {
    customerId?: number;
    subject?: string;
    text?: string;
    channel?: TicketRow["channel"];
    priority?: TicketRow["priority"];
    teamId?: number | null;
    assigneeId?: number | null;
  } = {},
): Promise<TicketRow> {
  const customerId = options.customerId ?? (await buildCustomer(ctx));
  const channel = options.channel ?? "email";
  return withTransaction(ctx, async (tx) => {
    const ticket = await createTicket(tx, {
      subject: options.subject ?? "Where is my order?",
      customerId,
      channel,
      priority: options.priority,
      teamId: options.teamId ?? null,
      assigneeId: options.assigneeId ?? null,
    });
    await addMessage(tx, {
      ticketId: ticket.id,
      direction: "inbound",
      channel,
      authorCustomerId: customerId,
      text: options.text ?? "Hello, my order has not arrived.",
    });
    return ticket;
  });
}

/** A CSAT survey that was sent about a ticket and answered with a score and a comment at `at`. */
export async function buildSurveyComment(
  ctx: ServiceContext,
  input: { customerId: number; ticketId?: number | null; comment: string; at: Date; score?: number },
): Promise<number> {
  const [send] = await ctx.db
    .insert(surveySends)
    .values({
      kind: "csat",
      metric: "csat",
      purpose: "surveys",
      channel: "email",
      status: "sent",
      customerId: input.customerId,
      ticketId: input.ticketId ?? null,
      questions: [],
      createdAt: input.at,
      sentAt: input.at,
    })
    .returning();
  const [response] = await ctx.db
    .insert(surveyResponses)
    .values({
      sendId: send.id,
      customerId: input.customerId,
      metric: "csat",
      score: input.score ?? 2,
      comment: input.comment,
      source: "page",
      respondedAt: input.at,
      updatedAt: input.at,
    })
    .returning();
  return response.id;
}
