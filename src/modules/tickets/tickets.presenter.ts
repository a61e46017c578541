import type { z } from "zod";
import { frustrationLevel } from "../../analytics/text/frustration.ts";
import type { SlaTargetState } from "../sla/sla.service.ts";
import { headlineToHtml } from "./search-snippet.ts";
import type { TicketSummaryRow } from "./tickets.repo.ts";
import {
  messageSchema,
  type searchSnippetSchema,
  type ticketDetailSchema,
  type ticketListItemSchema,
  type ticketSummarySchema,
} from "./tickets.schemas.ts";
import type { MessageWithAuthor, TicketDetail } from "./tickets-inbox.service.ts";
import type { TicketSearchHit } from "./tickets-search.service.ts";

export type TicketSummaryDto = z.infer<typeof ticketSummarySchema>;
export type MessageDto = z.infer<typeof messageSchema>;
export type TicketDetailDto = z.infer<typeof ticketDetailSchema>;
export type TicketListItemDto = z.infer<typeof ticketListItemSchema>;
type SearchSnippetDto = z.infer<typeof searchSnippetSchema>;

export function attachmentUrl(attachmentId: number): string {
  return `/api/v1/attachments/${attachmentId}`;
}

/** A ticket's SLA summary: the stored due time and breach flag, and each clock's state (see getSlaStates). */
export function presentTicketSla(row: TicketSummaryRow, targets: SlaTargetState[]): TicketSummaryDto["sla"] {
  return {
    policyId: row.slaPolicyId,
    dueAt: row.slaDueAt?.toISOString() ?? null,
    dueMetric: row.slaDueMetric,
    breached:
      row.slaBreachedAt !== null || targets.some((target) => target.state !== "stopped" && target.breached),
    warning: targets.some((target) => target.warning),
    targets: targets.map((target) => ({
      metric: target.metric,
      targetMinutes: target.targetMinutes,
      dueAt: target.dueAt?.toISOString() ?? null,
      paused: target.paused,
      breached: target.breached,
      breachedAt: target.breachedAt?.toISOString() ?? null,
      completedAt: target.completedAt?.toISOString() ?? null,
      elapsedMinutes: target.elapsedMinutes,
      remainingMinutes: target.remainingMinutes,
      warning: target.warning,
      cycle: target.cycle,
    })),
  };
}

/** `sla` holds each ticket's clocks by ticket id (getSlaStates); a ticket missing from it has none. */
export function presentTicketSummary(
  row: TicketSummaryRow,
  sla: Map<number, SlaTargetState[]>,
): TicketSummaryDto {
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
    customerRisk:
      row.customerRiskScore === null
        ? null
        : {
            score: row.customerRiskScore,
            band: (row.customerRiskBand ?? "low") as "low" | "medium" | "high",
            predictedValueMinor: row.customerPredictedValueMinor,
            valueAtRiskMinor: row.customerValueAtRiskMinor,
            currency: row.customerValueCurrency,
          },
    frustration: presentFrustration(row.frustrationScore, row.frustrationCues),
    sla: presentTicketSla(row, sla.get(row.id) ?? []),
  };
}

/** A stored frustration score and its cues; null when never scored (or cleared after an agent's reply). */
export function presentFrustration(score: number | null, cues: string[]): TicketSummaryDto["frustration"] {
  return score === null ? null : { score, level: frustrationLevel(score), cues };
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

const callMetadataSchema = messageSchema.shape.call.unwrap();

/** The details of a logged phone call, kept in the message's metadata (see log-call.workflow). */
function presentCall(metadata: Record<string, unknown>): MessageDto["call"] {
  const parsed = callMetadataSchema.safeParse(metadata.call);
  return parsed.success ? parsed.data : null;
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
    call: presentCall(message.metadata),
    frustration: presentFrustration(message.frustrationScore, message.frustrationCues),
  };
}

export function presentTicketDetail(
  detail: TicketDetail,
  replyAddress: string,
  sla: Map<number, SlaTargetState[]>,
): TicketDetailDto {
  return {
    ...presentTicketSummary(detail.summary, sla),
    customFields: detail.ticket.customFields,
    replyAddress,
    messages: detail.messages.map(presentMessage),
  };
}

const identityFields = new Set(["email", "phone", "chat", "external", "social"] as const);
type IdentityField = typeof identityFields extends Set<infer T> ? T : never;

/** Where a search hit matched, best place first: the message, the subject, then the customer. */
function presentSnippets(hit: TicketSearchHit): SearchSnippetDto[] {
  const found = hit.snippets;
  if (!found) return [];
  const snippets: SearchSnippetDto[] = [];
  if (found.messageId !== null && found.messageHeadline !== null) {
    snippets.push({
      source: "message",
      messageId: found.messageId,
      direction: found.messageDirection ?? "inbound",
      isInternal: found.messageIsInternal ?? false,
      createdAt: (found.messageCreatedAt ?? hit.summary.createdAt).toISOString(),
      html: headlineToHtml(found.messageHeadline),
    });
  }
  if (found.subjectHeadline !== null)
    snippets.push({ source: "subject", html: headlineToHtml(found.subjectHeadline) });
  if (found.customerNameHeadline !== null) {
    snippets.push({ source: "customer", field: "name", html: headlineToHtml(found.customerNameHeadline) });
  }
  if (found.identityHeadline !== null && identityFields.has(found.identityKind as IdentityField)) {
    snippets.push({
      source: "customer",
      field: found.identityKind as IdentityField,
      html: headlineToHtml(found.identityHeadline),
    });
  }
  // A subject match outranks a body match of the same words (weight A over B): show it first then.
  if (hit.rank.subjectRank >= hit.rank.messageRank && snippets[0]?.source === "message") {
    const subject = snippets.findIndex((snippet) => snippet.source === "subject");
    if (subject > 0) snippets.unshift(...snippets.splice(subject, 1));
  }
  return snippets;
}

export function presentTicketSearchHit(
  hit: TicketSearchHit,
  sla: Map<number, SlaTargetState[]>,
): TicketListItemDto {
  return {
    ...presentTicketSummary(hit.summary, sla),
    match: {
      score: hit.rank.score,
      matchedMessages: hit.rank.matchedMessages,
      snippets: presentSnippets(hit),
    },
  };
}
