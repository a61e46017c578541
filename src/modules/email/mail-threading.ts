import { extractTicketTags, isReplySubject, subjectKey } from "./mail-subject.ts";

// Pure rules for recognising machine mail, reading threading headers and choosing a ticket. The database lookups
// that feed them live in mail.repo.ts; the service wires the two together.

export type AutomatedKind = "auto-reply" | "bounce" | "bulk";

/**
 * Why a mail is machine-generated, or null for a person's mail. Such mail is recorded but never reopens a ticket
 * and is never answered, which is what keeps two autoresponders from mailing each other forever (RFC 3834).
 * `envelopeFrom` is "" for the null reverse-path <> and undefined when unknown (IMAP).
 */
export function classifyAutomatedMail(input: {
  headers: Record<string, string>;
  fromAddress: string | null;
  envelopeFrom: string | null | undefined;
}): AutomatedKind | null {
  const h = input.headers;
  const contentType = (h["content-type"] ?? "").toLowerCase();
  const localPart = (input.fromAddress ?? "").split("@")[0].toLowerCase();
  const isDaemon = localPart === "mailer-daemon" || localPart === "postmaster";
  if (
    /^\s*multipart\/report\b/.test(contentType) &&
    /report-type\s*=\s*"?delivery-status/.test(contentType)
  ) {
    return "bounce";
  }
  if (isDaemon) return "bounce";
  if (input.envelopeFrom === "") return /^\s*multipart\/report\b/.test(contentType) ? "bounce" : "auto-reply";
  if (/^\s*multipart\/report\b/.test(contentType)) return "auto-reply"; // read receipts (disposition-notification)
  const autoSubmitted = (h["auto-submitted"] ?? "").trim().toLowerCase();
  if (autoSubmitted && !/^no\b/.test(autoSubmitted)) return "auto-reply";
  if (h["x-autoreply"] !== undefined || h["x-autorespond"] !== undefined) return "auto-reply";
  const precedence = (h.precedence ?? "").trim().toLowerCase();
  if (precedence === "auto_reply") return "auto-reply";
  // "Precedence: list" alone is not machine mail: a support address that is a Google Group or a mailing list stamps
  // it on every customer's message, and treating those as automated would stop replies from reopening tickets.
  if (precedence === "bulk" || precedence === "junk") return "bulk";
  return null;
}

/** Message-IDs in a header value, without angle brackets. Tolerates missing brackets, commas and junk. */
export function parseMessageIds(value: string | null | undefined): string[] {
  if (!value) return [];
  const bracketed = [...value.matchAll(/<([^<>\s]+)>/g)].map((m) => m[1]);
  const ids =
    bracketed.length > 0
      ? bracketed
      : value
          .split(/[\s,]+/)
          .map((token) => token.replace(/^<|>$/g, ""))
          .filter((token) => token.includes("@"));
  return [...new Set(ids.filter((id) => id.length <= 998))];
}

/**
 * The conversation part of an Outlook Thread-Index (base64: a 22-byte header of FILETIME + GUID, then 5-byte blocks
 * per reply), as hex; null when the header is not that shape. Every reply in one Outlook conversation shares it.
 */
export function threadIndexConversation(threadIndex: string | null | undefined): string | null {
  if (!threadIndex) return null;
  const compact = threadIndex.replace(/\s+/g, "");
  if (!/^[A-Za-z0-9+/]+=*$/.test(compact)) return null;
  const bytes = Buffer.from(compact, "base64");
  if (bytes.length < 22 || (bytes.length - 22) % 5 !== 0) return null;
  const header = bytes.subarray(0, 22);
  // A header of zeroes carries no conversation and would join unrelated mail.
  if (header.every((b) => b === 0)) return null;
  return header.toString("hex");
}

/**
 * A reply carries a new topic when its subject is unrelated to the thread it answers. "Unrelated" here means all of:
 * the client did not mark it as a reply (no Re:/AW:/SV:/... prefix), it names no [#id] tag of that ticket, its
 * normalised subject is not empty, and it neither contains nor is contained in any known subject of the thread
 * (the ticket's subject, the subject of the mail it answers). Case, spaces and Fwd:-style prefixes are ignored,
 * so "Fwd: Order late" and "order late - still waiting" stay in the thread; an empty known subject never splits.
 */
export function isUnrelatedSubject(
  mailSubject: string | null | undefined,
  ticketId: number,
  knownSubjects: (string | null | undefined)[],
): boolean {
  if (isReplySubject(mailSubject)) return false;
  if (extractTicketTags(mailSubject).includes(ticketId)) return false;
  const key = subjectKey(mailSubject);
  if (key === "") return false;
  const known = knownSubjects.map(subjectKey);
  if (known.length === 0 || known.some((k) => k === "")) return false;
  return !known.some((k) => key.includes(k) || k.includes(key));
}

export type ThreadVia = "in-reply-to" | "references" | "reply-address" | "thread-index" | "subject-tag";

export type ThreadCandidate = {
  ticketId: number;
  via: ThreadVia;
  /** Subjects the mail is expected to resemble: the ticket's and that of the mail it answers. */
  knownSubjects: (string | null)[];
};

export type ThreadDecision =
  | { ticketId: number; via: ThreadVia }
  | { ticketId: null; splitFromTicketId: number | null };

/**
 * Picks the ticket for a mail from candidates in priority order (headers, reply address, Thread-Index, subject tag).
 * A candidate whose subject is unrelated is refused, so a new topic written as a reply opens a new ticket. A subject
 * tag must already have been checked against the sender (see isTagAllowed) before it becomes a candidate.
 */
export function chooseThread(
  subject: string | null | undefined,
  candidates: ThreadCandidate[],
): ThreadDecision {
  let splitFromTicketId: number | null = null;
  for (const candidate of candidates) {
    if (
      candidate.via !== "subject-tag" &&
      isUnrelatedSubject(subject, candidate.ticketId, candidate.knownSubjects)
    ) {
      splitFromTicketId ??= candidate.ticketId;
      continue;
    }
    return { ticketId: candidate.ticketId, via: candidate.via };
  }
  return { ticketId: null, splitFromTicketId };
}

/** Orders header matches: In-Reply-To first, then References from newest to oldest. */
export function rankHeaderMatches(
  inReplyTo: string[],
  references: string[],
  matches: { mailMessageId: string; ticketId: number; mailSubject: string | null; ticketSubject: string }[],
): ThreadCandidate[] {
  const byId = new Map(matches.map((m) => [m.mailMessageId, m]));
  const out: ThreadCandidate[] = [];
  const seen = new Set<string>();
  const push = (id: string, via: ThreadVia) => {
    const match = byId.get(id);
    if (!match || seen.has(id)) return;
    seen.add(id);
    out.push({ ticketId: match.ticketId, via, knownSubjects: [match.ticketSubject, match.mailSubject] });
  };
  for (const id of inReplyTo) push(id, "in-reply-to");
  for (const id of [...references].reverse()) push(id, "references");
  return out;
}

/** Lower-cased addresses, without duplicates or blanks. */
export function normalizeAddresses(addresses: (string | null | undefined)[]): string[] {
  return [...new Set(addresses.map((a) => (a ?? "").trim().toLowerCase()).filter((a) => a.includes("@")))];
}

const forwardMarker =
  /^\s*(?:-{2,}\s*(?:forwarded message|original message|weitergeleitete nachricht|ursprüngliche nachricht|message transféré|mensaje reenviado)\s*-{2,}|begin forwarded message:|anfang der weitergeleiteten nachricht:|_{10,})\s*$/i;
const fromLine = /^\s*\**\s*(?:from|von|de|van|från|fra|da)\s*\**\s*:\s*\**\s*(.+?)\s*$/i;

/**
 * The original sender of a mail forwarded inline (Gmail, Outlook, Apple Mail, Thunderbird, in a few languages):
 * the first "From:" line within a few lines after a forward marker. Null when there is none.
 */
export function extractForwardedSender(text: string): { name: string | null; address: string } | null {
  const lines = text.split(/\r?\n/).map((line) => line.replace(/^(?:>\s?)+/, ""));
  for (let i = 0; i < lines.length; i++) {
    if (!forwardMarker.test(lines[i])) continue;
    for (let j = i + 1; j < Math.min(lines.length, i + 12); j++) {
      const match = fromLine.exec(lines[j]);
      if (!match) continue;
      const parsed = parseAddressText(match[1]);
      if (parsed) return parsed;
    }
  }
  return null;
}

/** "Ana Lima <ana@x>", "Ana Lima [mailto:ana@x]", "ana@x" or "\"Lima, Ana\" <ana@x>" → name and address. */
export function parseAddressText(value: string): { name: string | null; address: string } | null {
  const cleaned = value.replace(/\*/g, "").trim();
  const angled = /^(.*?)\s*(?:<|\[mailto:)\s*([^<>\s\]]+@[^<>\s\]]+?)\s*(?:>|\])/i.exec(cleaned);
  if (angled) {
    const name = angled[1].replace(/^["']|["']$/g, "").trim();
    return { name: name && !name.includes("@") ? name : null, address: angled[2].toLowerCase() };
  }
  const bare = /([^\s<>"'()[\],;:]+@[^\s<>"'()[\],;:]+\.[A-Za-z]{2,})/.exec(cleaned);
  return bare ? { name: null, address: bare[1].toLowerCase() } : null;
}

/**
 * The Message-IDs a bounce refers to: those in the returned message or headers inside the body, never the
 * bounce's own (given as ownMessageId). Returns them in order of appearance.
 */
export function extractBouncedMessageIds(rawBody: string, ownMessageId: string | null): string[] {
  const ids: string[] = [];
  for (const match of rawBody.matchAll(/^[ \t>]*Message-ID:[ \t]*(?:\r?\n[ \t]+)?<([^<>\s]+)>/gim)) {
    if (match[1] !== ownMessageId && !ids.includes(match[1])) ids.push(match[1]);
  }
  return ids;
}

/** The human reason of a delivery-status report: Diagnostic-Code, else Status and Action; null when absent. */
export function extractBounceReason(rawBody: string): string | null {
  const diagnostic = /^Diagnostic-Code:[ \t]*(?:[a-z-]+;[ \t]*)?(.+(?:\r?\n[ \t]+.+)*)/im.exec(rawBody);
  const status = /^Status:[ \t]*([245]\.\d{1,3}\.\d{1,3})/im.exec(rawBody);
  const recipient = /^Final-Recipient:[ \t]*(?:rfc822;)?[ \t]*(\S+)/im.exec(rawBody);
  const parts: string[] = [];
  if (recipient) parts.push(recipient[1]);
  if (diagnostic) parts.push(diagnostic[1].replace(/\s+/g, " ").trim());
  else if (status) parts.push(`status ${status[1]}`);
  return parts.length > 0 ? `Bounced: ${parts.join(": ")}`.slice(0, 1000) : null;
}
