import { randomBytes } from "node:crypto";

/** Local part of every address Tend answers from; plus-addressing carries the ticket. */
export const supportLocalPart = "support";

/** The per-ticket reply address, support+t<id>-<token>@domain: threads replies even when a client drops headers. */
export function buildReplyAddress(ticket: { id: number; replyToken: string }, mailDomain: string): string {
  return `${supportLocalPart}+t${ticket.id}-${ticket.replyToken}@${mailDomain}`;
}

/**
 * Reads ticket id and token back out of a reply address at our domain; null for anything else. Tokens are
 * base64url, so "-" may appear inside them: only the first "-" after the id separates.
 */
export function parseReplyAddress(
  address: string,
  mailDomain: string,
): { ticketId: number; token: string } | null {
  const at = address.lastIndexOf("@");
  if (at < 0) return null;
  if (address.slice(at + 1).toLowerCase() !== mailDomain.toLowerCase()) return null;
  const match = /^[^+]+\+t(\d{1,9})-([A-Za-z0-9_-]{4,64})$/.exec(address.slice(0, at).trim());
  if (!match) return null;
  return { ticketId: Number(match[1]), token: match[2] };
}

/** A fresh RFC 5322 Message-ID at our domain, without angle brackets (as stored). */
export function generateMessageId(mailDomain: string, ticketId?: number): string {
  const prefix = ticketId === undefined ? "tend" : `tend.t${ticketId}`;
  return `${prefix}.${randomBytes(12).toString("hex")}@${mailDomain}`;
}

/** Longest References list Tend sends: the thread root plus the most recent ids (RFC 5322 3.6.4 trimming). */
export const maxReferences = 20;

/** The References of a reply to `parent`: its references plus its own id, keeping the root when trimming. */
export function buildReferences(parentReferences: string[], parentMessageId: string | null): string[] {
  const all = [...parentReferences, ...(parentMessageId ? [parentMessageId] : [])];
  const unique = all.filter((id, index) => all.indexOf(id) === index);
  if (unique.length <= maxReferences) return unique;
  return [unique[0], ...unique.slice(unique.length - (maxReferences - 1))];
}
