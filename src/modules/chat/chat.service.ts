import type { ServiceContext } from "../../context.ts";
import { AppError, notFound, validationFailed } from "../../errors.ts";
import { getCustomerTierAndTags } from "../customers/customers.service.ts";
import { normalizeEmail } from "../customers/identities.ts";
import { expectedFirstReplyAt } from "../sla/sla.service.ts";
import { getTicketRow, type TicketRow } from "../tickets/tickets.service.ts";
import {
  type ChatConversationRow,
  countOnlineAgents,
  insertConversation,
  selectConversationById,
  selectConversationByTicketId,
  selectConversationByTokenHash,
  selectVisitorMessage,
  selectVisitorMessages,
  updateConversation,
  type VisitorMessageRow,
} from "./chat.repo.ts";
import { hashVisitorToken } from "./chat-identity.ts";

type Ctx = ServiceContext;

export type { ChatConversationRow } from "./chat.repo.ts";

/** How much history the widget gets when it (re)connects. */
export const visitorHistoryLimit = 200;

/** A message as the visitor's widget shows it: never internal notes, never agents' emails or ids. */
export type VisitorMessage = {
  id: number;
  from: "visitor" | "agent";
  authorName: string;
  text: string;
  createdAt: string;
};

/** Visitors see an agent's first name only ("Maria"), never the full name or email. */
export function agentDisplayName(name: string | null | undefined): string {
  const first = name?.trim().split(/\s+/)[0];
  return first || "Support";
}

export function presentVisitorMessage(row: VisitorMessageRow): VisitorMessage {
  const fromAgent = row.direction === "outbound";
  return {
    id: row.id,
    from: fromAgent ? "agent" : "visitor",
    authorName: fromAgent ? agentDisplayName(row.authorUserName) : (row.authorCustomerName ?? "You"),
    text: row.text,
    createdAt: row.createdAt.toISOString(),
  };
}

/** True when at least one active agent has set their status to online: then visitors can chat live. */
export async function areAgentsAvailable(ctx: Pick<Ctx, "db">): Promise<boolean> {
  return (await countOnlineAgents(ctx.db)) > 0;
}

/**
 * When a visitor who left their email can expect the answer, for "We'll reply by email by Tuesday 10:00": the
 * first-response target of the SLA policy such a ticket gets, counted in business hours from now. Null when no
 * policy sets one (the widget then says "as soon as we can").
 */
export async function expectedReplyAt(ctx: Ctx, ticket: TicketRow | null): Promise<Date | null> {
  const customer = ticket ? await getCustomerTierAndTags(ctx, ticket.customerId) : null;
  return expectedFirstReplyAt(ctx, {
    priority: ticket?.priority ?? "normal",
    // Once nobody can chat, the answer comes as an email reply.
    channel: "email",
    teamId: ticket?.teamId ?? null,
    customerTier: customer?.tier ?? null,
    customerTags: customer?.tags ?? [],
  });
}

const conversationEnded = () =>
  new AppError("unauthenticated", "This chat has ended; start a new one", { reason: "conversation_closed" });

/** Whether a conversation still takes messages: not ended by the visitor, and its ticket not closed. */
async function isConversationOpen(ctx: Pick<Ctx, "db">, conversation: ChatConversationRow): Promise<boolean> {
  if (conversation.status !== "active") return false;
  if (conversation.ticketId === null) return true;
  const ticket = await getTicketRow(ctx, conversation.ticketId).catch(() => null);
  return ticket !== null && ticket.status !== "closed";
}

/**
 * The open conversation a visitor token opens, or an `unauthenticated` error: a missing, unknown or forged token and
 * a token of an ended conversation all read nothing.
 */
export async function resolveVisitorConversation(
  ctx: Pick<Ctx, "db">,
  token: string | undefined,
): Promise<ChatConversationRow> {
  if (!token || token.length > 200) {
    throw new AppError("unauthenticated", "Send the conversation's visitor token");
  }
  const conversation = await selectConversationByTokenHash(ctx.db, hashVisitorToken(token));
  if (!conversation) throw new AppError("unauthenticated", "Unknown visitor token");
  if (!(await isConversationOpen(ctx, conversation))) throw conversationEnded();
  return conversation;
}

/** Like resolveVisitorConversation, and the id in the URL must be the token's own conversation (else 404). */
export async function requireVisitorConversation(
  ctx: Pick<Ctx, "db">,
  token: string | undefined,
  conversationId: number,
): Promise<ChatConversationRow> {
  const conversation = await resolveVisitorConversation(ctx, token);
  // The same answer as for an id that does not exist: a token tells nothing about other conversations.
  if (conversation.id !== conversationId) throw notFound("Conversation", conversationId);
  return conversation;
}

/** The conversation, locked for the rest of the transaction; ended conversations refuse. */
export async function lockOpenConversation(ctx: Pick<Ctx, "db">, id: number): Promise<ChatConversationRow> {
  const conversation = await selectConversationById(ctx.db, id, { forUpdate: true });
  if (!conversation) throw notFound("Conversation", id);
  if (!(await isConversationOpen(ctx, conversation))) throw conversationEnded();
  return conversation;
}

/** Records the customer and ticket a conversation's first message created, and the visitor's activity. */
export async function attachConversationTicket(
  ctx: Ctx,
  conversation: ChatConversationRow,
  values: { customerId: number; ticketId: number },
): Promise<ChatConversationRow> {
  const updated = await updateConversation(ctx.db, conversation.id, {
    customerId: values.customerId,
    ticketId: values.ticketId,
    lastVisitorActivityAt: ctx.clock.now(),
  });
  if (conversation.ticketId !== values.ticketId) {
    ctx.events.publish({
      type: "chat.conversation.updated",
      conversationId: conversation.id,
      ticketId: values.ticketId,
      changes: ["ticket"],
    });
  }
  return updated;
}

/** The visitor's history on this conversation, oldest first (empty before the first message). */
export async function listVisitorMessages(
  ctx: Pick<Ctx, "db">,
  conversation: Pick<ChatConversationRow, "ticketId">,
): Promise<VisitorMessage[]> {
  if (conversation.ticketId === null) return [];
  const rows = await selectVisitorMessages(ctx.db, conversation.ticketId, visitorHistoryLimit);
  return rows.map(presentVisitorMessage);
}

/** One message for a visitor, or null when it is not theirs to see (another ticket, internal, other channel). */
export async function findVisitorMessage(
  ctx: Pick<Ctx, "db">,
  ticketId: number,
  messageId: number,
): Promise<VisitorMessage | null> {
  const row = await selectVisitorMessage(ctx.db, ticketId, messageId);
  return row ? presentVisitorMessage(row) : null;
}

/**
 * From now on agents answer this conversation by email: nobody was online, or the visitor would rather wait for
 * mail. Needs an email address: the one given here, else the one already known.
 */
export async function switchConversationToEmail(
  ctx: Ctx,
  conversation: ChatConversationRow,
  email: string | undefined,
): Promise<ChatConversationRow> {
  // A verified email is the customer's identity; the visitor cannot swap it for another address.
  const contactEmail = conversation.identityVerified
    ? conversation.contactEmail
    : email
      ? normalizeEmail(email)
      : conversation.contactEmail;
  if (!contactEmail) {
    throw validationFailed("Leave an email address so we can reply by email", { path: "body.email" });
  }
  const updated = await updateConversation(ctx.db, conversation.id, {
    replyChannel: "email",
    contactEmail,
    lastVisitorActivityAt: ctx.clock.now(),
  });
  ctx.events.publish({
    type: "chat.conversation.updated",
    conversationId: conversation.id,
    ticketId: conversation.ticketId,
    changes: ["reply_channel"],
  });
  return updated;
}

/** The visitor ended the chat: the token stops working; the ticket stays for the agents. */
export async function closeConversation(ctx: Ctx, conversation: ChatConversationRow): Promise<void> {
  await updateConversation(ctx.db, conversation.id, { status: "closed", closedAt: ctx.clock.now() });
  ctx.events.publish({
    type: "chat.conversation.updated",
    conversationId: conversation.id,
    ticketId: conversation.ticketId,
    changes: ["closed"],
  });
}

/**
 * How an agent's public reply on a chat ticket reaches the visitor: live in the widget, or by email once the chat
 * switched to email or the visitor ended it (when they left an address).
 */
export type ChatReplyDelivery = { kind: "chat" } | { kind: "email"; address: string; name: string | null };

export async function chatReplyDelivery(ctx: Pick<Ctx, "db">, ticketId: number): Promise<ChatReplyDelivery> {
  const conversation = await selectConversationByTicketId(ctx.db, ticketId);
  // A visitor who ended the chat is no longer in the widget: their contact address is the way to reach them.
  const viaEmail = conversation?.replyChannel === "email" || conversation?.status === "closed";
  if (conversation && viaEmail && conversation.contactEmail) {
    return { kind: "email", address: conversation.contactEmail, name: conversation.visitorName };
  }
  return { kind: "chat" };
}

/** The conversation behind a chat ticket, for the agent's view; null for tickets not from the widget. */
export async function findConversationForTicket(
  ctx: Pick<Ctx, "db">,
  ticketId: number,
): Promise<ChatConversationRow | null> {
  return selectConversationByTicketId(ctx.db, ticketId);
}

export async function findConversationById(
  ctx: Pick<Ctx, "db">,
  id: number,
): Promise<ChatConversationRow | null> {
  return selectConversationById(ctx.db, id);
}

export type NewConversationInput = {
  visitorTokenHash: string;
  visitorId: string;
  identityVerified: boolean;
  visitorName: string | null;
  contactEmail: string | null;
  replyChannel: "chat" | "email";
  prechat: Record<string, string>;
  origin: string | null;
};

export async function createConversation(
  ctx: Ctx,
  input: NewConversationInput,
): Promise<ChatConversationRow> {
  const now = ctx.clock.now();
  return insertConversation(ctx.db, { ...input, createdAt: now, lastVisitorActivityAt: now });
}
