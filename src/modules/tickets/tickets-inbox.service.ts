import { frustrationRank } from "../../analytics/text/frustration-levels.ts";
import type { ServiceContext } from "../../context.ts";
import { withTransaction } from "../../db/transaction.ts";
import { isForeignKeyViolation } from "../../db/unique-violation.ts";
import { notFound, validationFailed } from "../../errors.ts";
import {
  type AttachmentMeta,
  type InboxOrder,
  inboxOrderOf,
  type Keyset,
  selectAttachmentContent,
  selectAttachmentsForMessages,
  selectCustomerTicketSummaries,
  selectLatestUnsolvedTicketId,
  selectMessageByExternalId,
  selectMessageWithAuthor,
  selectTicketCounts,
  selectTicketMessages,
  selectTicketSummaries,
  selectTicketSummaryById,
  type TicketListFilter,
  type TicketSummaryRow,
  updateMessageExternalId,
} from "./tickets.repo.ts";
import {
  getTicketRow,
  type MessageRow,
  type TicketRow,
  type UpdateTicketInput,
  updateTicket,
} from "./tickets.service.ts";

type Ctx = Pick<ServiceContext, "db">;

export type {
  AttachmentMeta,
  InboxOrder,
  Keyset,
  TicketListFilter,
  TicketSummaryRow,
} from "./tickets.repo.ts";
export { recoverTag, type TicketView, ticketViews } from "./tickets.repo.ts";

/**
 * One inbox page in the view's order (see inboxOrderOf: the open views frustrated customers first, then newest
 * activity; breaching soon by SLA due time; value at risk by value), and the keyset of the next page if any.
 */
export async function listTickets(
  ctx: Ctx,
  filter: TicketListFilter,
  page: { limit: number; after?: Keyset },
): Promise<{ rows: TicketSummaryRow[]; next: Keyset | null; order: InboxOrder }> {
  const order = inboxOrderOf(filter);
  if (page.after && (page.after.rank !== undefined) !== (order === "frustration")) {
    throw validationFailed("This cursor belongs to another list; start again from the first page", [
      { path: "querystring.cursor", message: "the list's order changed" },
    ]);
  }
  const rows = await selectTicketSummaries(ctx.db, filter, page);
  if (rows.length <= page.limit) return { rows, next: null, order };
  const pageRows = rows.slice(0, page.limit);
  const last = pageRows[pageRows.length - 1];
  if (order === "frustration") {
    const rank = frustrationRank(last.frustrationScore);
    return { rows: pageRows, next: { atMicros: last.cursorAtMicros, id: last.id, rank }, order };
  }
  const atMicros =
    order === "sla_due"
      ? (last.slaDueMicros ?? "0")
      : order === "value_at_risk"
        ? String(valueAtRiskRankOf(last, filter.now ?? new Date(0)))
        : last.cursorAtMicros;
  return { rows: pageRows, next: { atMicros, id: last.id }, order };
}

/** The value-at-risk view's sort key of a row, as the SQL computes it (see tickets.repo valueAtRiskRank). */
function valueAtRiskRankOf(row: TicketSummaryRow, now: Date): number {
  const soon = now.getTime() + 4 * 3_600_000;
  const factor =
    row.slaBreachedAt !== null ? 2 : row.slaDueAt !== null && row.slaDueAt.getTime() < soon ? 1.5 : 1;
  return Math.round((row.customerValueAtRiskMinor ?? 0) * factor);
}

export async function countTicketsByView(ctx: Ctx, meUserId: number | null) {
  return selectTicketCounts(ctx.db, meUserId);
}

export async function listCustomerTickets(ctx: Ctx, customerId: number, limit = 20) {
  return selectCustomerTicketSummaries(ctx.db, customerId, limit);
}

export type MessageWithAuthor = {
  message: MessageRow;
  authorUserName: string | null;
  authorCustomerName: string | null;
  attachments: AttachmentMeta[];
};

export type TicketDetail = {
  summary: TicketSummaryRow;
  ticket: TicketRow;
  messages: MessageWithAuthor[];
};

function attachAttachments(
  rows: { message: MessageRow; authorUserName: string | null; authorCustomerName: string | null }[],
  attachments: AttachmentMeta[],
): MessageWithAuthor[] {
  const byMessage = new Map<number, AttachmentMeta[]>();
  for (const attachment of attachments) {
    const list = byMessage.get(attachment.messageId) ?? [];
    list.push(attachment);
    byMessage.set(attachment.messageId, list);
  }
  return rows.map((row) => ({ ...row, attachments: byMessage.get(row.message.id) ?? [] }));
}

/** A ticket with its conversation (oldest first) and attachment metadata, in three queries whatever its size. */
export async function getTicketDetail(ctx: Ctx, ticketId: number): Promise<TicketDetail> {
  const summary = await selectTicketSummaryById(ctx.db, ticketId);
  if (!summary) throw notFound("Ticket", ticketId);
  const ticket = await getTicketRow(ctx, ticketId);
  const rows = await selectTicketMessages(ctx.db, ticketId);
  const attachments = await selectAttachmentsForMessages(
    ctx.db,
    rows.map((row) => row.message.id),
  );
  return { summary, ticket, messages: attachAttachments(rows, attachments) };
}

export async function getTicketSummary(ctx: Ctx, ticketId: number): Promise<TicketSummaryRow> {
  const summary = await selectTicketSummaryById(ctx.db, ticketId);
  if (!summary) throw notFound("Ticket", ticketId);
  return summary;
}

export async function getMessageWithAuthor(ctx: Ctx, messageId: number): Promise<MessageWithAuthor> {
  const row = await selectMessageWithAuthor(ctx.db, messageId);
  if (!row) throw notFound("Message", messageId);
  const attachments = await selectAttachmentsForMessages(ctx.db, [messageId]);
  return { ...row, attachments };
}

/** An attachment's bytes for download. */
export async function getAttachmentContent(ctx: Ctx, attachmentId: number) {
  const row = await selectAttachmentContent(ctx.db, attachmentId);
  if (!row) throw notFound("Attachment", attachmentId);
  return row;
}

/** The message a channel provider already delivered under this id, for idempotent intake. */
export async function findMessageByExternalId(
  ctx: Ctx,
  channel: TicketRow["channel"],
  externalMessageId: string,
) {
  return (await selectMessageByExternalId(ctx.db, channel, externalMessageId)) ?? null;
}

/** Stamps the provider's message id; a second message with the same id fails on the unique index. */
export async function setMessageExternalId(ctx: Ctx, messageId: number, externalMessageId: string) {
  await updateMessageExternalId(ctx.db, messageId, externalMessageId);
}

export async function findLatestUnsolvedTicketId(
  ctx: Ctx,
  customerId: number,
  channel: TicketRow["channel"],
) {
  return selectLatestUnsolvedTicketId(ctx.db, customerId, channel);
}

/** updateTicket in its own transaction; an assignee or team that does not exist is a 400, not a crash. */
export async function changeTicket(
  ctx: ServiceContext,
  ticketId: number,
  input: UpdateTicketInput,
  actorUserId: number | null,
): Promise<TicketRow> {
  try {
    return await withTransaction(ctx, (tx) => updateTicket(tx, ticketId, input, actorUserId));
  } catch (error) {
    if (isForeignKeyViolation(error)) {
      throw validationFailed("The assignee or team does not exist", [
        { path: "body.assigneeId", message: "unknown user or team" },
      ]);
    }
    throw error;
  }
}
