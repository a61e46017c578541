import type { AppContext } from "../../context.ts";
import type { MailAddress } from "../../db/schema.ts";
import { AppError } from "../../errors.ts";
import type { AddMessageInput, TicketRow } from "../tickets/tickets.service.ts";
import { findCustomerEmail, findLatestInboundMail, findWorkspaceMailIdentity } from "./mail.repo.ts";
import { buildReplySubject } from "./mail-subject.ts";
import { buildReferences, buildReplyAddress, generateMessageId, supportLocalPart } from "./reply-address.ts";

type Ctx = Pick<AppContext, "db" | "config">;

/** The From of everything Tend sends: the workspace's support address, else support@<mail domain>. */
export async function resolveSupportSender(ctx: Ctx): Promise<MailAddress> {
  const workspaceRow = await findWorkspaceMailIdentity(ctx.db);
  if (workspaceRow) return { name: workspaceRow.name, address: workspaceRow.supportAddress };
  return { address: `${supportLocalPart}@${ctx.config.mailDomain}` };
}

/**
 * The mail fields of an agent's public reply on an email ticket: a new Message-ID, threading headers that answer
 * the customer's latest mail, the per-ticket Reply-To, and the customer as recipient.
 */
export async function buildOutboundMailFields(
  ctx: Ctx,
  ticket: TicketRow,
  /** Who to send to instead of the customer's email identity (a chat visitor's contact address). */
  options: { recipient?: { address: string; name: string | null } } = {},
): Promise<
  Pick<
    AddMessageInput,
    "mailMessageId" | "inReplyTo" | "references" | "fromAddress" | "toAddresses" | "mailSubject" | "headers"
  >
> {
  // Sequential on purpose: inside a transaction all three share one connection.
  const recipient = options.recipient ?? (await findCustomerEmail(ctx.db, ticket.customerId));
  const from = await resolveSupportSender(ctx);
  const parent = await findLatestInboundMail(ctx.db, ticket.id);
  if (!recipient) {
    throw new AppError(
      "validation_failed",
      `Customer ${ticket.customerId} has no email address, so an email reply cannot be sent`,
      { customerId: ticket.customerId },
    );
  }
  // Never answer machine senders: a reply to a bounce or a postmaster is how mail loops start.
  if (/^(?:mailer-daemon|postmaster)@/i.test(recipient.address)) {
    throw new AppError(
      "validation_failed",
      `Tend does not send mail to ${recipient.address}: it is an automated sender`,
      {
        customerId: ticket.customerId,
      },
    );
  }
  const replyTo = buildReplyAddress(ticket, ctx.config.mailDomain);
  const headers: Record<string, string> = { "Reply-To": replyTo, "X-Tend-Ticket": String(ticket.id) };
  // Our own outbound mail must never trigger vacation responders into a loop on the customer side either.
  headers["Auto-Submitted"] = "no";
  return {
    mailMessageId: generateMessageId(ctx.config.mailDomain, ticket.id),
    inReplyTo: parent?.mailMessageId ?? null,
    references: parent ? buildReferences(parent.references, parent.mailMessageId) : [],
    fromAddress: from,
    toAddresses: [
      recipient.name ? { name: recipient.name, address: recipient.address } : { address: recipient.address },
    ],
    mailSubject: buildReplySubject(ticket.subject, ticket.id),
    headers,
  };
}
