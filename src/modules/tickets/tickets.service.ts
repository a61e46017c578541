import { randomBytes } from "node:crypto";
import { eq, sql } from "drizzle-orm";
import {
  type FrustrationResult,
  frustrationAfterAgentReply,
  frustrationAfterCustomerMessage,
} from "../../analytics/text/frustration.ts";
import type { ServiceContext } from "../../context.ts";
import { type MailAddress, messages, tickets } from "../../db/schema.ts";
import { notFound } from "../../errors.ts";
import { enqueueJob } from "../../jobs/job-queue.ts";
import { ticketAutomationJob } from "../../jobs/ticket-automation.job.ts";
import { scoreInboundMessage } from "../empathy/frustration.service.ts";
import { applySlaEvents, planNewTicketSla, saveNewTicketSla } from "../sla/sla.service.ts";
import type { SlaEvent } from "../sla/sla-clock.ts";
import {
  recordTimelineEvent,
  recordTimelineEvents,
  type TimelineEventInput,
} from "../timeline/timeline.service.ts";

type Ctx = ServiceContext;

export type TicketStatus = (typeof tickets.$inferSelect)["status"];
export type TicketPriority = (typeof tickets.$inferSelect)["priority"];
export type Channel = (typeof tickets.$inferSelect)["channel"];
export type TicketRow = typeof tickets.$inferSelect;
export type MessageRow = typeof messages.$inferSelect;

export const ticketStatuses: TicketStatus[] = ["new", "open", "pending", "on_hold", "solved", "closed"];
export const ticketPriorities: TicketPriority[] = ["low", "normal", "high", "urgent"];
export const channels: Channel[] = ["email", "chat", "phone", "sms", "social", "web", "api"];

export function generateReplyToken(): string {
  return randomBytes(9).toString("base64url");
}

export type CreateTicketInput = {
  subject: string;
  customerId: number;
  channel: Channel;
  status?: TicketStatus;
  priority?: TicketPriority;
  assigneeId?: number | null;
  teamId?: number | null;
  tags?: string[];
  customFields?: Record<string, unknown>;
  actorUserId?: number | null;
};

/** Opens a ticket for a customer. Call inside the transaction that also adds its first message. */
export async function createTicket(ctx: Ctx, input: CreateTicketInput): Promise<TicketRow> {
  const now = ctx.clock.now();
  const [ticket] = await ctx.db
    .insert(tickets)
    .values({
      subject: input.subject.trim() || "(no subject)",
      customerId: input.customerId,
      channel: input.channel,
      status: input.status ?? "new",
      priority: input.priority ?? "normal",
      assigneeId: input.assigneeId ?? null,
      assignedAt: input.assigneeId ? now : null,
      teamId: input.teamId ?? null,
      tags: normalizeTags(input.tags ?? []),
      customFields: input.customFields ?? {},
      replyToken: generateReplyToken(),
      createdAt: now,
      updatedAt: now,
      lastMessageAt: now,
    })
    .returning();
  await recordTimelineEvent(ctx.db, ticketCreatedEvent(ticket, input.actorUserId ?? null, now));
  await applySlaEvents(ctx, ticket.id, [{ kind: "created" }], ticket);
  await enqueueAutomation(ctx, ticket.id, [{ event: "ticket.created" }], {
    fromRule: false,
    freedAssigneeId: null,
  });
  ctx.events.publish({ type: "ticket.created", ticketId: ticket.id, customerId: ticket.customerId });
  return ticket;
}

type AutomationTrigger = {
  event: "ticket.created" | "message.received" | "ticket.status_changed" | "sla.warning";
  messageId?: number | null;
  statusChange?: { from: string; to: string } | null;
};

/** Who changed a ticket, for automation: changes made by rules do not run rules again. */
export type ChangeOrigin = { fromRule?: boolean };

/** Queues rules and routing for after this change commits (see ticket-automation.job). */
async function enqueueAutomation(
  ctx: Ctx,
  ticketId: number,
  triggers: AutomationTrigger[],
  options: { fromRule: boolean; freedAssigneeId: number | null },
): Promise<void> {
  await enqueueJob(ctx, ticketAutomationJob, {
    ticketId,
    triggers: triggers.map((trigger) => ({
      event: trigger.event,
      messageId: trigger.messageId ?? null,
      statusChange: trigger.statusChange ?? null,
      slaMetric: null,
    })),
    fromRule: options.fromRule,
    freedAssigneeId: options.freedAssigneeId,
  });
}

const loadStatuses: ReadonlySet<TicketStatus> = new Set(["new", "open"]);

/** The agent whose load a change lowers: the ticket left them, or stopped counting (pending, solved, ...). */
function freedAssignee(
  before: Pick<TicketRow, "assigneeId" | "status">,
  after: { assigneeId: number | null; status: TicketStatus },
): number | null {
  if (before.assigneeId === null || !loadStatuses.has(before.status)) return null;
  return before.assigneeId !== after.assigneeId || !loadStatuses.has(after.status) ? before.assigneeId : null;
}

export type AddMessageInput = {
  ticketId: number;
  direction: "inbound" | "outbound";
  channel: Channel;
  isInternal?: boolean;
  authorUserId?: number | null;
  authorCustomerId?: number | null;
  text: string;
  /** Already sanitised HTML; never pass raw mail HTML here. */
  html?: string | null;
  mailMessageId?: string | null;
  inReplyTo?: string | null;
  references?: string[];
  fromAddress?: MailAddress | null;
  toAddresses?: MailAddress[];
  ccAddresses?: MailAddress[];
  mailSubject?: string | null;
  headers?: Record<string, string>;
  /** Outlook Thread-Index conversation (see email module), for threading. */
  mailConversation?: string | null;
  isAutomated?: boolean;
  /** Outbound mail starts "queued" for the sender; everything else is recorded as it is. */
  deliveryStatus?: MessageRow["deliveryStatus"];
  metadata?: Record<string, unknown>;
  /**
   * What the message means for SLA clocks when its direction alone does not say: a logged phone call the agent
   * answered is a response even though the customer rang in; a call nobody picked up is no response.
   */
  slaEffect?: "customer_message" | "agent_reply" | "none";
};

/**
 * Adds a message to a ticket and moves the ticket as a helpdesk should: a customer's message reopens a
 * pending or solved ticket; an agent's public reply to a new ticket opens it. Internal notes move nothing.
 */
export async function addMessage(
  ctx: Ctx,
  input: AddMessageInput,
  origin: ChangeOrigin = {},
): Promise<MessageRow> {
  const now = ctx.clock.now();
  const [ticket] = await ctx.db.select().from(tickets).where(eq(tickets.id, input.ticketId)).for("update");
  if (!ticket) throw notFound("Ticket", input.ticketId);
  const frustration = await scoreIfFromCustomer(ctx, ticket.customerId, ticket.id, input);
  const changes = ticketChangesForMessage(ticket, input, now, frustration);
  const message = await insertMessageRow(ctx, input, now, frustration);
  await ctx.db.update(tickets).set(changes).where(eq(tickets.id, ticket.id));
  await recordTimelineEvents(ctx.db, messageTimelineEvents(ticket, input, message, changes, now));
  const hasCustomerMessage = (changes.lastCustomerMessageAt ?? ticket.lastCustomerMessageAt) != null;
  await applySlaEvents(
    ctx,
    ticket.id,
    [...statusSlaEvents(ticket.status, changes.status), ...messageSlaEvents(input, hasCustomerMessage)],
    { ...ticket, status: changes.status ?? ticket.status },
  );
  const triggers: AutomationTrigger[] = [];
  if (changes.status && changes.status !== ticket.status) {
    triggers.push({
      event: "ticket.status_changed",
      statusChange: { from: ticket.status, to: changes.status },
    });
  }
  // The first message of a ticket opened at this instant belongs to its "ticket.created".
  const partOfCreation = ticket.createdAt.getTime() === now.getTime();
  const fromCustomer = input.direction === "inbound" && !input.isInternal && !input.isAutomated;
  if (fromCustomer && !partOfCreation) triggers.push({ event: "message.received", messageId: message.id });
  const freed = freedAssignee(ticket, {
    assigneeId: ticket.assigneeId,
    status: changes.status ?? ticket.status,
  });
  if (triggers.length > 0 || freed !== null) {
    await enqueueAutomation(ctx, ticket.id, triggers, {
      fromRule: origin.fromRule ?? false,
      freedAssigneeId: freed,
    });
  }
  publishMessageCreated(ctx, ticket, input, message);
  return message;
}

function statusSlaEvents(from: TicketStatus, to: TicketStatus | undefined): SlaEvent[] {
  return to !== undefined && to !== from ? [{ kind: "status", from, to }] : [];
}

/** What a message means for SLA clocks: a customer waiting, or an agent's public answer. */
function messageSlaEvents(
  input: Pick<AddMessageInput, "isInternal" | "direction" | "isAutomated" | "slaEffect">,
  hasCustomerMessage: boolean,
): SlaEvent[] {
  if (input.isInternal || input.isAutomated) return [];
  const effect = input.slaEffect ?? (input.direction === "inbound" ? "customer_message" : "agent_reply");
  if (effect === "none") return [];
  return effect === "customer_message"
    ? [{ kind: "customer_message" }]
    : [{ kind: "agent_reply", hasCustomerMessage }];
}

/**
 * Opens a ticket with its first message, as createTicket then addMessage would, in fewer statements: the ticket is
 * inserted already moved by its first message and the timeline events go in one insert. With `options.timeline`,
 * the caller's earlier events (same transaction) are recorded in that insert too, first.
 */
export async function createTicketWithMessage(
  ctx: Ctx,
  ticketInput: CreateTicketInput,
  messageInput: Omit<AddMessageInput, "ticketId">,
  options: { timeline?: TimelineEventInput[] } = {},
): Promise<{ ticket: TicketRow; message: MessageRow }> {
  const now = ctx.clock.now();
  const initial = {
    subject: ticketInput.subject.trim() || "(no subject)",
    customerId: ticketInput.customerId,
    channel: ticketInput.channel,
    status: ticketInput.status ?? "new",
    priority: ticketInput.priority ?? "normal",
    assigneeId: ticketInput.assigneeId ?? null,
    assignedAt: ticketInput.assigneeId ? now : null,
    teamId: ticketInput.teamId ?? null,
    tags: normalizeTags(ticketInput.tags ?? []),
    customFields: ticketInput.customFields ?? {},
    replyToken: generateReplyToken(),
    createdAt: now,
    updatedAt: now,
    lastMessageAt: now,
  };
  const frustration = await scoreIfFromCustomer(ctx, initial.customerId, null, messageInput);
  const changes = ticketChangesForMessage(
    { status: initial.status, frustrationScore: null, frustrationCues: [] },
    messageInput,
    now,
    frustration,
  );
  // The SLA is worked out first so the ticket row is inserted with its due time.
  const sla = await planNewTicketSla(ctx, initial, [
    { kind: "created" },
    ...statusSlaEvents(initial.status, changes.status),
    ...messageSlaEvents(messageInput, changes.lastCustomerMessageAt != null),
  ]);
  const [ticket] = await ctx.db
    .insert(tickets)
    .values({ ...initial, ...changes, ...sla.summary })
    .returning();
  await saveNewTicketSla(ctx, ticket, sla);
  const input: AddMessageInput = { ...messageInput, ticketId: ticket.id };
  const message = await insertMessageRow(ctx, input, now, frustration);
  // The timeline reads as it would have: opened in the initial state, then the message and any status change.
  const before = { ...ticket, status: initial.status };
  await recordTimelineEvents(ctx.db, [
    ...(options.timeline ?? []),
    ticketCreatedEvent(ticket, ticketInput.actorUserId ?? null, now),
    ...messageTimelineEvents(before, input, message, changes, now),
  ]);
  await enqueueAutomation(ctx, ticket.id, [{ event: "ticket.created" }], {
    fromRule: false,
    freedAssigneeId: null,
  });
  ctx.events.publish({ type: "ticket.created", ticketId: ticket.id, customerId: ticket.customerId });
  publishMessageCreated(ctx, ticket, input, message);
  return { ticket, message };
}

function ticketCreatedEvent(ticket: TicketRow, actorUserId: number | null, now: Date): TimelineEventInput {
  return {
    customerId: ticket.customerId,
    ticketId: ticket.id,
    kind: "ticket.created",
    summary: `Ticket #${ticket.id} opened by ${ticket.channel}: ${ticket.subject}`,
    actorUserId,
    occurredAt: now,
  };
}

/** Whether a message is the customer speaking (scored for frustration): not a note, machine mail or logged call. */
function isCustomerSpeaking(
  input: Pick<AddMessageInput, "isInternal" | "direction" | "isAutomated" | "slaEffect">,
) {
  return (
    input.direction === "inbound" &&
    !(input.isInternal ?? false) &&
    !(input.isAutomated ?? false) &&
    (input.slaEffect ?? "customer_message") === "customer_message"
  );
}

/** Call outcomes where someone picked up: the call is the team's response, whoever rang. */
export const connectedCallOutcomes = ["answered", "resolved", "callback_requested"];

/**
 * What a logged phone call means for SLA clocks (and so for frustration): a call someone picked up is a response;
 * a missed incoming call is the customer waiting; an unanswered outgoing call changes nothing.
 */
export function callSlaEffect(call: {
  direction: "inbound" | "outbound";
  outcome: string;
}): NonNullable<AddMessageInput["slaEffect"]> {
  if (connectedCallOutcomes.includes(call.outcome)) return "agent_reply";
  return call.direction === "inbound" ? "customer_message" : "none";
}

/**
 * Who a stored message was from, as intake judged it when storing it (for replaying frustration): the customer
 * speaking, an agent answering, or neither. A logged call's outcome is in its metadata.
 */
export function frustrationRoleOf(message: {
  direction: "inbound" | "outbound";
  isInternal: boolean;
  isAutomated: boolean;
  callOutcome: string | null;
}): "customer" | "agent" | "other" {
  const input = {
    ...message,
    slaEffect:
      message.callOutcome === null
        ? undefined
        : callSlaEffect({ direction: message.direction, outcome: message.callOutcome }),
  };
  if (isCustomerSpeaking(input)) return "customer";
  return isAgentAnswer(input) ? "agent" : "other";
}

/** Whether a message is an agent answering the customer (frustration then decays). */
function isAgentAnswer(
  input: Pick<AddMessageInput, "isInternal" | "direction" | "isAutomated" | "slaEffect">,
) {
  if ((input.isInternal ?? false) || (input.isAutomated ?? false)) return false;
  return input.slaEffect === "agent_reply" || (input.direction === "outbound" && input.slaEffect !== "none");
}

async function scoreIfFromCustomer(
  ctx: Ctx,
  customerId: number,
  ticketId: number | null,
  input: Omit<AddMessageInput, "ticketId">,
): Promise<FrustrationResult | null> {
  if (!isCustomerSpeaking(input)) return null;
  return scoreInboundMessage(ctx, { customerId, ticketId, channel: input.channel, text: input.text });
}

/** How a message moves its ticket (see addMessage), including the ticket's frustration. */
function ticketChangesForMessage(
  ticket: Pick<TicketRow, "status" | "frustrationScore" | "frustrationCues">,
  input: Pick<AddMessageInput, "isInternal" | "direction" | "isAutomated" | "slaEffect">,
  now: Date,
  frustration: FrustrationResult | null,
): Partial<typeof tickets.$inferInsert> {
  const changes: Partial<typeof tickets.$inferInsert> = { updatedAt: now, lastMessageAt: now };
  const current = { score: ticket.frustrationScore, cues: ticket.frustrationCues };
  const next = frustration
    ? frustrationAfterCustomerMessage(current, frustration)
    : isAgentAnswer(input)
      ? frustrationAfterAgentReply(current)
      : null;
  if (next) {
    changes.frustrationScore = next.score;
    changes.frustrationCues = next.cues;
  }
  if (!(input.isInternal ?? false)) {
    if (input.direction === "inbound" && !(input.isAutomated ?? false)) {
      changes.lastCustomerMessageAt = now;
      if (ticket.status === "pending" || ticket.status === "solved" || ticket.status === "on_hold") {
        changes.status = "open";
        changes.solvedAt = null;
      }
    } else if (input.direction === "outbound" && ticket.status === "new") {
      changes.status = "open";
    }
  }
  return changes;
}

async function insertMessageRow(
  ctx: Ctx,
  input: AddMessageInput,
  now: Date,
  frustration: FrustrationResult | null,
): Promise<MessageRow> {
  const isInternal = input.isInternal ?? false;
  const deliveryStatus =
    input.deliveryStatus ??
    (input.direction === "outbound" && !isInternal && input.channel === "email"
      ? "queued"
      : input.direction === "inbound"
        ? "received"
        : "sent");
  const [message] = await ctx.db
    .insert(messages)
    .values({
      ticketId: input.ticketId,
      direction: input.direction,
      isInternal,
      channel: input.channel,
      authorUserId: input.authorUserId ?? null,
      authorCustomerId: input.authorCustomerId ?? null,
      text: input.text,
      html: input.html ?? null,
      mailMessageId: input.mailMessageId ?? null,
      inReplyTo: input.inReplyTo ?? null,
      references: input.references ?? [],
      fromAddress: input.fromAddress ?? null,
      toAddresses: input.toAddresses ?? [],
      ccAddresses: input.ccAddresses ?? [],
      mailSubject: input.mailSubject ?? null,
      headers: input.headers ?? {},
      mailConversation: input.mailConversation ?? null,
      isAutomated: input.isAutomated ?? false,
      deliveryStatus,
      nextAttemptAt: deliveryStatus === "queued" ? now : null,
      sentAt: deliveryStatus === "sent" ? now : null,
      metadata: input.metadata ?? {},
      frustrationScore: frustration?.score ?? null,
      frustrationCues: frustration?.cues.map((cue) => cue.label) ?? [],
      createdAt: now,
    })
    .returning();
  return message;
}

function messageTimelineEvents(
  ticket: Pick<TicketRow, "id" | "customerId" | "status">,
  input: AddMessageInput,
  message: MessageRow,
  changes: Partial<typeof tickets.$inferInsert>,
  now: Date,
): TimelineEventInput[] {
  const isInternal = input.isInternal ?? false;
  const who = input.direction === "inbound" ? "Customer" : isInternal ? "Internal note" : "Agent reply";
  const events: TimelineEventInput[] = [
    {
      customerId: ticket.customerId,
      ticketId: ticket.id,
      kind: isInternal ? "ticket.note" : input.direction === "inbound" ? "message.received" : "message.sent",
      summary: `${who} on #${ticket.id} by ${input.channel}${input.isAutomated ? " (automated)" : ""}`,
      actorUserId: input.authorUserId ?? null,
      data: { messageId: message.id },
      occurredAt: now,
    },
  ];
  if (changes.status && changes.status !== ticket.status) {
    events.push({
      customerId: ticket.customerId,
      ticketId: ticket.id,
      kind: "ticket.status_changed",
      summary: `Ticket #${ticket.id} ${ticket.status} → ${changes.status}`,
      data: { from: ticket.status, to: changes.status },
      occurredAt: now,
    });
  }
  return events;
}

function publishMessageCreated(
  ctx: Ctx,
  ticket: Pick<TicketRow, "id">,
  input: AddMessageInput,
  message: MessageRow,
): void {
  ctx.events.publish({
    type: "message.created",
    ticketId: ticket.id,
    messageId: message.id,
    direction: input.direction,
    isInternal: input.isInternal ?? false,
  });
}

export type UpdateTicketInput = {
  status?: TicketStatus;
  priority?: TicketPriority;
  assigneeId?: number | null;
  teamId?: number | null;
  tags?: string[];
  subject?: string;
  customFields?: Record<string, unknown>;
};

/** Changes a ticket's fields, stamping solved/closed times and writing what changed to the timeline. */
export async function updateTicket(
  ctx: Ctx,
  ticketId: number,
  input: UpdateTicketInput,
  actorUserId: number | null = null,
  origin: ChangeOrigin = {},
): Promise<TicketRow> {
  const now = ctx.clock.now();
  const [ticket] = await ctx.db.select().from(tickets).where(eq(tickets.id, ticketId)).for("update");
  if (!ticket) throw notFound("Ticket", ticketId);
  const set: Partial<typeof tickets.$inferInsert> = { updatedAt: now };
  const changed: string[] = [];
  const summaries: string[] = [];
  if (input.status !== undefined && input.status !== ticket.status) {
    set.status = input.status;
    changed.push("status");
    summaries.push(`status ${ticket.status} → ${input.status}`);
    if (input.status === "solved") set.solvedAt = now;
    if (input.status === "closed") {
      set.closedAt = now;
      if (!ticket.solvedAt) set.solvedAt = now;
    }
    if (input.status !== "solved" && input.status !== "closed") set.solvedAt = null;
  }
  if (input.priority !== undefined && input.priority !== ticket.priority) {
    set.priority = input.priority;
    changed.push("priority");
    summaries.push(`priority ${ticket.priority} → ${input.priority}`);
  }
  if (input.assigneeId !== undefined && input.assigneeId !== ticket.assigneeId) {
    set.assigneeId = input.assigneeId;
    changed.push("assignee");
    set.assignedAt = input.assigneeId === null ? null : now;
    summaries.push(input.assigneeId === null ? "unassigned" : `assigned to agent ${input.assigneeId}`);
  }
  if (input.teamId !== undefined && input.teamId !== ticket.teamId) {
    set.teamId = input.teamId;
    changed.push("team");
    summaries.push(input.teamId === null ? "team cleared" : `team set to ${input.teamId}`);
  }
  if (input.tags !== undefined) {
    const tags = normalizeTags(input.tags);
    if (tags.join(",") !== [...ticket.tags].sort().join(",")) {
      set.tags = tags;
      changed.push("tags");
      summaries.push(`tags: ${tags.join(", ") || "none"}`);
    }
  }
  if (input.subject?.trim() && input.subject.trim() !== ticket.subject) {
    set.subject = input.subject.trim();
    changed.push("subject");
    summaries.push("subject changed");
  }
  if (input.customFields !== undefined) {
    set.customFields = { ...ticket.customFields, ...input.customFields };
    changed.push("custom_fields");
    summaries.push("custom fields changed");
  }
  if (changed.length === 0) return ticket;
  const [changedRow] = await ctx.db.update(tickets).set(set).where(eq(tickets.id, ticketId)).returning();
  if (set.status || set.priority || changed.includes("team")) {
    // Status moves the clocks; priority and team may choose another policy.
    await applySlaEvents(ctx, ticketId, statusSlaEvents(ticket.status, set.status), changedRow);
  }
  const [updated] = await ctx.db.select().from(tickets).where(eq(tickets.id, ticketId));
  const freed = freedAssignee(ticket, updated);
  // Rules react to status changes; routing to any change of who holds the ticket or whether it counts as load.
  if (changed.includes("assignee") || changed.includes("team") || changed.includes("status")) {
    await enqueueAutomation(
      ctx,
      ticketId,
      set.status
        ? [{ event: "ticket.status_changed", statusChange: { from: ticket.status, to: set.status } }]
        : [],
      { fromRule: origin.fromRule ?? false, freedAssigneeId: freed },
    );
  }
  await recordTimelineEvent(ctx.db, {
    customerId: ticket.customerId,
    ticketId,
    kind: set.status ? "ticket.status_changed" : "ticket.updated",
    summary: `Ticket #${ticketId}: ${summaries.join("; ")}`,
    actorUserId,
    data: { changes: changed, ...(set.status ? { from: ticket.status, to: set.status } : {}) },
    occurredAt: now,
  });
  ctx.events.publish({ type: "ticket.updated", ticketId, customerId: ticket.customerId, changes: changed });
  return updated;
}

export async function getTicketRow(ctx: Pick<Ctx, "db">, ticketId: number): Promise<TicketRow> {
  const [ticket] = await ctx.db.select().from(tickets).where(eq(tickets.id, ticketId));
  if (!ticket) throw notFound("Ticket", ticketId);
  return ticket;
}

export function normalizeTags(tags: string[]): string[] {
  return [
    ...new Set(tags.map((tag) => tag.trim().toLowerCase().replace(/\s+/g, "-")).filter(Boolean)),
  ].sort();
}

/** Counts the messages on a ticket; for tests and presenters. */
export async function countMessages(ctx: Pick<Ctx, "db">, ticketId: number): Promise<number> {
  const [row] = await ctx.db
    .select({ n: sql<number>`count(*)::int` })
    .from(messages)
    .where(eq(messages.ticketId, ticketId));
  return row?.n ?? 0;
}
