import type { z } from "zod";
import type { TicketSummaryRow } from "./tickets.repo.ts";
import type { messageSchema, ticketDetailSchema, ticketSummarySchema } from "./tickets.schemas.ts";
import type { MessageWithAuthor, TicketDetail } from "./tickets-inbox.service.ts";

export type TicketSummaryDto = z.infer<typeof ticketSummarySchema>;
export type MessageDto = z.infer<typeof messageSchema>;
export type TicketDetailDto = z.infer<typeof ticketDetailSchema>;

export function attachmentUrl(attachmentId: number): string {
  return `/api/v1/attachments/${attachmentId}`;
}

export function presentTicketSummary(row: TicketSummaryRow): TicketSummaryDto {
  return {
    id: row.id,
    subject: row.subject,
    status: row.status,
    priority: row.priority,
    channel: row.channel,
    customer: {
      id: row.customerId,
      name: row.customerName ?? row.customerEmail ?? `Customer ${row.customerId}`,
      email: row.customerEmail,
    },
    assignee: row.assigneeId !== null ? { id: row.assigneeId, name: row.assigneeName ?? "" } : null,
    team: row.teamId !== null ? { id: row.teamId, name: row.teamName ?? "" } : null,
    tags: row.tags,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
    lastMessageAt: row.lastMessageAt.toISOString(),
    preview: (row.preview ?? "").replace(/\s+/g, " ").trim(),
  };
}

function presentAuthor(row: MessageWithAuthor): MessageDto["author"] {
  const message = row.message;
  if (message.authorUserId !== null) {
    return { type: "agent", id: message.authorUserId, name: row.authorUserName ?? "Agent" };
  }
  if (message.direction === "inbound" || message.authorCustomerId !== null) {
    return {
      type: "customer",
      id: message.authorCustomerId,
      name: row.authorCustomerName ?? message.fromAddress?.name ?? message.fromAddress?.address ?? "Customer",
    };
  }
  return { type: "system", id: null, name: "Tend" };
}

export function presentMessage(row: MessageWithAuthor): MessageDto {
  const message = row.message;
  return {
    id: message.id,
    ticketId: message.ticketId,
    direction: message.direction,
    isInternal: message.isInternal,
    channel: message.channel,
    author: presentAuthor(row),
    text: message.text,
    html: message.html,
    createdAt: message.createdAt.toISOString(),
    deliveryStatus: message.deliveryStatus,
    deliveryError: message.deliveryError,
    deliveryAttempts: message.deliveryAttempts,
    isAutomated: message.isAutomated,
    from: message.fromAddress,
    to: message.toAddresses,
    cc: message.ccAddresses,
    attachments: row.attachments.map((attachment) => ({
      id: attachment.id,
      filename: attachment.filename,
      contentType: attachment.contentType,
      size: attachment.size,
      url: attachmentUrl(attachment.id),
    })),
  };
}

export function presentTicketDetail(detail: TicketDetail, replyAddress: string): TicketDetailDto {
  return {
    ...presentTicketSummary(detail.summary),
    customFields: detail.ticket.customFields,
    replyAddress,
    messages: detail.messages.map(presentMessage),
  };
}
