import { createHash } from "node:crypto";
import { type AddressObject, type Attachment, simpleParser } from "mailparser";
import type { MailAddress } from "../../db/schema.ts";
import { normalizeSubject } from "./mail-subject.ts";
import { parseMessageIds, threadIndexConversation } from "./mail-threading.ts";

export type ParsedAttachment = {
  filename: string;
  contentType: string;
  content: Buffer;
  contentId: string | null;
  inline: boolean;
};

export type ParsedInboundMail = {
  /** Without angle brackets; synthetic (hash of the raw bytes) when the mail has none, so re-delivery still dedupes. */
  messageId: string;
  hasMessageId: boolean;
  inReplyTo: string[];
  references: string[];
  from: MailAddress | null;
  replyTo: MailAddress | null;
  to: MailAddress[];
  cc: MailAddress[];
  subject: string;
  text: string;
  /** The mail's own HTML, NOT sanitised: pass through sanitizeMailHtml before storing. */
  unsafeHtml: string | null;
  attachments: ParsedAttachment[];
  /** Lower-case header names → unfolded raw values (first occurrence). */
  rawHeaders: Record<string, string>;
  /** A small set of headers kept on the message (for display, threading and audits). */
  keptHeaders: Record<string, string>;
  conversation: string | null;
};

const keptHeaderNames: Record<string, string> = {
  "message-id": "Message-ID",
  "in-reply-to": "In-Reply-To",
  references: "References",
  date: "Date",
  "reply-to": "Reply-To",
  "thread-index": "Thread-Index",
  "thread-topic": "Thread-Topic",
  "auto-submitted": "Auto-Submitted",
  precedence: "Precedence",
  "x-autoreply": "X-Autoreply",
  "x-autorespond": "X-Autorespond",
  "list-id": "List-Id",
  "x-mailer": "X-Mailer",
  "user-agent": "User-Agent",
  "content-type": "Content-Type",
};

/** Parses raw RFC 5322 bytes leniently: broken headers, bad charsets and malformed MIME give partial data, not errors. */
export async function parseInboundMail(raw: Buffer, syntheticDomain: string): Promise<ParsedInboundMail> {
  const parsed = await simpleParser(raw, { keepCidLinks: true, skipTextToHtml: true, skipImageLinks: true });
  const rawHeaders: Record<string, string> = {};
  for (const { key, line } of parsed.headerLines) {
    if (rawHeaders[key] !== undefined) continue;
    const colon = line.indexOf(":");
    rawHeaders[key] = (colon >= 0 ? line.slice(colon + 1) : "").replace(/\r?\n[ \t]+/g, " ").trim();
  }
  const keptHeaders: Record<string, string> = {};
  for (const [key, name] of Object.entries(keptHeaderNames)) {
    if (rawHeaders[key] !== undefined) keptHeaders[name] = rawHeaders[key].slice(0, 2000);
  }
  const ownIds = parseMessageIds(rawHeaders["message-id"]);
  const messageId =
    ownIds[0] ??
    `synthetic.${createHash("sha256").update(raw).digest("hex").slice(0, 40)}@${syntheticDomain}`;
  const inReplyTo = parseMessageIds(rawHeaders["in-reply-to"]);
  const references = parseMessageIds(rawHeaders.references).slice(-100);

  const from = firstAddress(parsed.from);
  const text = (parsed.text ?? "").replace(/\r\n/g, "\n").trimEnd();
  const unsafeHtml = typeof parsed.html === "string" && parsed.html.trim() ? parsed.html : null;
  return {
    messageId,
    hasMessageId: ownIds.length > 0,
    inReplyTo,
    references,
    from,
    replyTo: firstAddress(parsed.replyTo),
    to: addressList(parsed.to),
    cc: addressList(parsed.cc),
    subject: (parsed.subject ?? "").replace(/\s+/g, " ").trim().slice(0, 998),
    text,
    unsafeHtml,
    attachments: parsed.attachments.map(toAttachment),
    rawHeaders,
    keptHeaders,
    conversation: threadIndexConversation(rawHeaders["thread-index"]),
  };
}

function toAttachment(attachment: Attachment, index: number): ParsedAttachment {
  const contentId = attachment.contentId ? attachment.contentId.replace(/^<|>$/g, "").trim() : null;
  return {
    filename: (attachment.filename ?? "").trim() || defaultFilename(attachment.contentType, index),
    contentType: attachment.contentType || "application/octet-stream",
    content: attachment.content,
    contentId: contentId || null,
    inline: attachment.contentDisposition === "inline" || (Boolean(contentId) && attachment.related === true),
  };
}

function defaultFilename(contentType: string, index: number): string {
  if (contentType === "message/rfc822") return `message-${index + 1}.eml`;
  if (contentType === "message/delivery-status") return `delivery-status-${index + 1}.txt`;
  const extension = /^[a-z]+\/([a-z0-9.+-]+)$/i.exec(contentType)?.[1]?.replace(/^x-/, "") ?? "bin";
  return `attachment-${index + 1}.${extension}`;
}

function addressList(value: AddressObject | AddressObject[] | undefined): MailAddress[] {
  if (!value) return [];
  const objects = Array.isArray(value) ? value : [value];
  const out: MailAddress[] = [];
  const flatten = (entries: AddressObject["value"]) => {
    for (const entry of entries) {
      if (entry.group) flatten(entry.group);
      else if (entry.address?.includes("@")) {
        const address = entry.address.trim().toLowerCase();
        out.push(entry.name?.trim() ? { name: entry.name.trim(), address } : { address });
      }
    }
  };
  for (const object of objects) flatten(object.value);
  return out;
}

function firstAddress(value: AddressObject | AddressObject[] | undefined): MailAddress | null {
  return addressList(value)[0] ?? null;
}

/** A ticket subject from a mail subject: prefixes and tags removed, never empty. */
export function ticketSubjectFromMail(subject: string): string {
  return (normalizeSubject(subject) || "(no subject)").slice(0, 500);
}
