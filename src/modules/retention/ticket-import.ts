import type { HistoryMessage } from "../../analytics/text/frustration.ts";
import type { ServiceContext } from "../../context.ts";
import { channelEnum, ticketPriorityEnum, ticketStatusEnum } from "../../db/schema.ts";
import { scoreImportedHistory } from "../empathy/frustration.service.ts";
import { generateReplyToken } from "../tickets/tickets.service.ts";
import { recordTimelineEvents, type TimelineEventInput } from "../timeline/timeline.service.ts";
import { readCustomerCells, resolveCustomers } from "./import-customers.ts";
import { type DateFormat, parseImportDate } from "./import-values.ts";
import type { RowError } from "./retention-csv.reader.ts";
import {
  insertImportedMessages,
  insertImportedTickets,
  type StoredImportedTicket,
  selectImportedTickets,
  updateImportedTicketActivity,
} from "./retention-import.repo.ts";
import type { ImportSummary } from "./retention-import.service.ts";

// `tend import tickets`: historical tickets, each with its messages when the file has a body column. A row opens a
// ticket; further rows with the same ticket_id add one message each. Stored as they were: no SLA clocks, routing or
// rules run, and messages do not move the ticket's status. Customers' messages are scored for frustration as intake
// would have scored them (see scoreImportedHistory), so analyses and the Frustrated view read imported history too.

const TICKET_STATUSES = new Set<string>(ticketStatusEnum.enumValues);
const TICKET_PRIORITIES = new Set<string>(ticketPriorityEnum.enumValues);
const CHANNELS = new Set<string>(channelEnum.enumValues);

/** Who wrote a message, and the words a helpdesk export may use for it. */
type Author = "customer" | "agent" | "note";
const AUTHORS: Record<string, Author> = {
  customer: "customer",
  inbound: "customer",
  agent: "agent",
  outbound: "agent",
  note: "note",
  internal: "note",
};

/** What a row says about its ticket; only read when the row opens the ticket (else `error` says why it cannot). */
type TicketFields =
  | {
      customerKey: string | null;
      email: string | null;
      name: string | null;
      subject: string;
      createdAt: Date;
      solvedAt: Date | null;
      status: (typeof ticketStatusEnum.enumValues)[number];
      channel: (typeof channelEnum.enumValues)[number];
      priority: (typeof ticketPriorityEnum.enumValues)[number];
      tags: string[];
    }
  | { error: string };

interface ImportedMessage {
  line: number;
  body: string;
  /** sent_at, else the row's created_at; null when the row has neither (an error unless it opens the ticket). */
  at: Date | null;
  author: Author;
}

export interface TicketRowInput {
  line: number;
  ticketId: string | null;
  ticket: TicketFields;
  message: ImportedMessage | null;
}

function readTicketFields(
  text: (field: string) => string | null,
  dateFormat: DateFormat,
  createdAt: Date | null | undefined,
): TicketFields {
  const customer = readCustomerCells(text);
  if ("error" in customer) return customer;
  const subject = text("subject");
  if (subject === null) return { error: "subject is empty" };
  if (!createdAt) return { error: `created_at "${text("created_at") ?? ""}" is not a date` };
  const solvedText = text("solved_at");
  const solvedAt = solvedText === null ? null : parseImportDate(solvedText, dateFormat);
  if (solvedAt === undefined) return { error: `solved_at "${solvedText}" is not a date` };
  if (solvedAt !== null && solvedAt < createdAt) return { error: "solved_at is before created_at" };
  // History by default: a ticket with a solved date is closed; one without is open.
  const status = (text("status") ?? (solvedAt ? "closed" : "open")).toLowerCase();
  if (!TICKET_STATUSES.has(status))
    return { error: `status "${status}" is not one of ${[...TICKET_STATUSES].join(", ")}` };
  const channel = (text("channel") ?? "email").toLowerCase();
  if (!CHANNELS.has(channel))
    return { error: `channel "${channel}" is not one of ${[...CHANNELS].join(", ")}` };
  const priority = (text("priority") ?? "normal").toLowerCase();
  if (!TICKET_PRIORITIES.has(priority))
    return { error: `priority "${priority}" is not one of ${[...TICKET_PRIORITIES].join(", ")}` };
  const tags = (text("tags") ?? "")
    .split(/[;|]/)
    .map((tag) => tag.trim())
    .filter(Boolean);
  return {
    ...customer,
    subject: subject.slice(0, 500),
    createdAt,
    solvedAt,
    status: status as (typeof ticketStatusEnum.enumValues)[number],
    channel: channel as (typeof channelEnum.enumValues)[number],
    priority: priority as (typeof ticketPriorityEnum.enumValues)[number],
    tags,
  };
}

/** One row of a tickets file; null after reporting a row error (a bad message date or author). */
export function readTicketRow(
  line: number,
  text: (field: string) => string | null,
  dateFormat: DateFormat,
  rowError: (e: RowError) => void,
): TicketRowInput | null {
  const fail = (reason: string) => {
    rowError({ line, reason });
    return null;
  };
  const createdText = text("created_at");
  const createdAt = createdText === null ? null : parseImportDate(createdText, dateFormat);
  const body = text("body");
  let message: ImportedMessage | null = null;
  if (body !== null) {
    const sentText = text("sent_at");
    const sentAt = sentText === null ? null : parseImportDate(sentText, dateFormat);
    if (sentAt === undefined) return fail(`sent_at "${sentText}" is not a date`);
    const authorText = (text("author") ?? "customer").toLowerCase();
    const author = AUTHORS[authorText];
    if (!author)
      return fail(
        `author "${authorText}" is not one of customer, agent, note (or inbound, outbound, internal)`,
      );
    message = { line, body, at: sentAt ?? createdAt ?? null, author };
  }
  return {
    line,
    ticketId: text("ticket_id"),
    ticket: readTicketFields(text, dateFormat, createdAt),
    message,
  };
}

type Opening = {
  line: number;
  ticketId: string | null;
  fields: Exclude<TicketFields, { error: string }>;
  messages: ImportedMessage[];
  /** The ticket's key in the frustration replay until it has an id (negative, so it never meets a real id). */
  replayId: number;
};

const lastOf = (dates: readonly Date[]) =>
  dates.length === 0 ? null : new Date(Math.max(...dates.map((date) => date.getTime())));

/**
 * Writes one batch of ticket rows: opens the tickets not stored yet, adds the messages of every row (also to tickets
 * an earlier batch of this import opened), and skips tickets stored before this import (`ticketsBefore`: the highest
 * ticket id when it started) as already present, messages included, so a file imported twice adds nothing.
 */
export async function writeTicketBatch(
  ctx: ServiceContext,
  batch: readonly TicketRowInput[],
  summary: ImportSummary,
  rowError: (e: RowError) => void,
  ticketsBefore: number,
): Promise<void> {
  if (batch.length === 0) return;
  const stored = await selectImportedTickets(
    ctx.db,
    batch.flatMap((row) => (row.ticketId === null ? [] : [row.ticketId])),
  );
  const openings: Opening[] = [];
  const openingById = new Map<string, Opening>();
  const continued = new Map<number, { ticket: StoredImportedTicket; messages: ImportedMessage[] }>();
  const addMessage = (
    message: ImportedMessage | null,
    createdAt: Date,
    add: (m: ImportedMessage) => void,
  ) => {
    if (message === null) return;
    if (message.at === null)
      rowError({ line: message.line, reason: "sent_at is empty (and so is created_at)" });
    else if (message.at < createdAt)
      rowError({ line: message.line, reason: "sent_at is before the ticket's created_at" });
    else add(message);
  };
  for (const row of batch) {
    const known = row.ticketId === null ? undefined : stored.get(row.ticketId);
    if (known) {
      if (known.id <= ticketsBefore || row.message === null) summary.alreadyPresent++;
      else {
        const entry = continued.get(known.id) ?? { ticket: known, messages: [] };
        continued.set(known.id, entry);
        addMessage(row.message, known.createdAt, (m) => entry.messages.push(m));
      }
      continue;
    }
    const open = row.ticketId === null ? undefined : openingById.get(row.ticketId);
    if (open) {
      if (row.message === null) summary.alreadyPresent++;
      else addMessage(row.message, open.fields.createdAt, (m) => open.messages.push(m));
      continue;
    }
    if ("error" in row.ticket) {
      rowError({ line: row.line, reason: row.ticket.error });
      continue;
    }
    const opening: Opening = {
      line: row.line,
      ticketId: row.ticketId,
      fields: row.ticket,
      messages: [],
      replayId: -(openings.length + 1),
    };
    addMessage(row.message, row.ticket.createdAt, (m) => opening.messages.push(m));
    openings.push(opening);
    if (row.ticketId !== null) openingById.set(row.ticketId, opening);
  }

  const customers = await resolveCustomers(
    ctx,
    openings.map((o) => ({ line: o.line, ...o.fields })),
    { createWithoutEmail: false },
    summary,
    rowError,
  );
  const accepted = openings.filter((opening) => {
    if (customers.has(opening.line)) return true;
    for (const message of opening.messages.filter((m) => m.line !== opening.line)) {
      rowError({
        line: message.line,
        reason: `ticket "${opening.ticketId}" was not imported (line ${opening.line})`,
      });
    }
    return false;
  });

  // Frustration, as intake would have scored each customer's message in time order.
  const history: { message: ImportedMessage; replay: HistoryMessage }[] = [];
  const historyOf = (ticketId: number, customerId: number, channel: string, messages: ImportedMessage[]) => {
    for (const message of messages) {
      history.push({
        message,
        replay: {
          ticketId,
          customerId,
          channel,
          text: message.body,
          at: message.at as Date,
          role: message.author === "customer" ? "customer" : message.author === "agent" ? "agent" : "other",
        },
      });
    }
  };
  for (const opening of accepted) {
    const customerId = customers.get(opening.line)?.customerId as number;
    historyOf(opening.replayId, customerId, opening.fields.channel, opening.messages);
  }
  for (const { ticket, messages } of continued.values()) {
    historyOf(ticket.id, ticket.customerId, ticket.channel, messages);
  }
  const scored = await scoreImportedHistory(
    ctx,
    history.map((entry) => entry.replay),
    new Map(
      [...continued.values()].map(({ ticket }) => [
        ticket.id,
        { score: ticket.frustrationScore, cues: ticket.frustrationCues },
      ]),
    ),
  );
  const scoreOf = new Map(history.map((entry, i) => [entry.message, scored.messages[i]]));
  const frustrationOf = (replayId: number) => scored.tickets.get(replayId) ?? { score: null, cues: [] };
  const customerTimes = (messages: ImportedMessage[]) =>
    messages.filter((m) => m.author === "customer").map((m) => m.at as Date);

  const inserted = await insertImportedTickets(
    ctx.db,
    accepted.map((opening) => {
      const { fields } = opening;
      const done = fields.status === "solved" || fields.status === "closed";
      const lastMessageAt = lastOf(opening.messages.map((m) => m.at as Date)) ?? fields.createdAt;
      const frustration = frustrationOf(opening.replayId);
      return {
        subject: fields.subject,
        status: fields.status,
        priority: fields.priority,
        channel: fields.channel,
        customerId: customers.get(opening.line)?.customerId as number,
        tags: fields.tags,
        customFields:
          opening.ticketId === null
            ? { imported: true }
            : { imported: true, importedTicketId: opening.ticketId },
        replyToken: generateReplyToken(),
        createdAt: fields.createdAt,
        updatedAt: lastOf([fields.solvedAt ?? fields.createdAt, lastMessageAt]) as Date,
        lastMessageAt,
        lastCustomerMessageAt: lastOf(customerTimes(opening.messages)),
        solvedAt: done ? fields.solvedAt : null,
        closedAt: fields.status === "closed" ? fields.solvedAt : null,
        frustrationScore: frustration.score,
        frustrationCues: frustration.cues,
      };
    }),
  );
  summary.imported += inserted.length;

  // RETURNING keeps the VALUES order, so the i-th inserted ticket is the i-th accepted opening.
  const targets = [
    ...accepted.map((opening, i) => ({ ticket: inserted[i], messages: opening.messages })),
    ...[...continued.values()].map(({ ticket, messages }) => ({ ticket, messages })),
  ];
  const customerOfRow: number[] = [];
  const messageRows = targets.flatMap(({ ticket, messages }) =>
    messages.map((message) => {
      customerOfRow.push(ticket.customerId);
      const at = message.at as Date;
      const score = scoreOf.get(message) ?? null;
      return {
        ticketId: ticket.id,
        direction: message.author === "customer" ? ("inbound" as const) : ("outbound" as const),
        isInternal: message.author === "note",
        channel: ticket.channel,
        authorCustomerId: message.author === "customer" ? ticket.customerId : null,
        text: message.body,
        deliveryStatus: message.author === "customer" ? ("received" as const) : ("sent" as const),
        sentAt: message.author === "customer" ? null : at,
        metadata: { imported: true },
        frustrationScore: score?.score ?? null,
        frustrationCues: score?.cues.map((cue) => cue.label) ?? [],
        createdAt: at,
      };
    }),
  );
  const messageIds = await insertImportedMessages(ctx.db, messageRows);
  summary.messages += messageIds.length;
  await updateImportedTicketActivity(
    ctx.db,
    [...continued.values()]
      .filter(({ messages }) => messages.length > 0)
      .map(({ ticket, messages }) => {
        const frustration = frustrationOf(ticket.id);
        return {
          id: ticket.id,
          lastMessageAt: lastOf(messages.map((m) => m.at as Date)) as Date,
          lastCustomerMessageAt: lastOf(customerTimes(messages)),
          frustrationScore: frustration.score,
          frustrationCues: frustration.cues,
        };
      }),
  );

  const events: TimelineEventInput[] = inserted.map((ticket) => ({
    customerId: ticket.customerId,
    ticketId: ticket.id,
    kind: "ticket.created",
    summary: `Ticket #${ticket.id} opened by ${ticket.channel}: ${ticket.subject} (imported)`,
    occurredAt: ticket.createdAt,
  }));
  messageRows.forEach((row, i) => {
    const who = row.isInternal ? "Internal note" : row.direction === "inbound" ? "Customer" : "Agent reply";
    events.push({
      customerId: customerOfRow[i],
      ticketId: row.ticketId,
      kind: row.isInternal
        ? "ticket.note"
        : row.direction === "inbound"
          ? "message.received"
          : "message.sent",
      summary: `${who} on #${row.ticketId} by ${row.channel} (imported)`,
      data: { messageId: messageIds[i] },
      occurredAt: row.createdAt,
    });
  });
  await recordTimelineEvents(ctx.db, events);
}
