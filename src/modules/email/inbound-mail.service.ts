import { timingSafeEqual } from "node:crypto";
import type { AppContext } from "../../context.ts";
import type { Db } from "../../db/client.ts";
import { withTransaction } from "../../db/transaction.ts";
import type { TendEvent } from "../../events/event-bus.ts";
import {
  findCustomerIdsByIdentities,
  findOrCreateCustomerByIdentity,
} from "../customers/customers.service.ts";
import { normalizeIdentity } from "../customers/identities.ts";
import { type AddMessageInput, addMessage, createTicketWithMessage } from "../tickets/tickets.service.ts";
import { recordTimelineEvents, type TimelineEventInput } from "../timeline/timeline.service.ts";
import {
  claimInboundMailProcessed,
  findActiveUserByEmail,
  findActiveUsersByEmails,
  findInboundMail,
  findMessageByMailId,
  findThreadMessageByConversation,
  findThreadMessagesByMailIds,
  findTicketsBrief,
  insertAttachments,
  insertInboundMail,
  insertInboundMails,
  isTicketParticipant,
  listStoredInboundMailIds,
  markInboundMail,
  markInboundMailsProcessed,
  markOutboundBounced,
  setMessageHtml,
} from "./mail.repo.ts";
import { sanitizeMailHtml } from "./mail-html.ts";
import { type ParsedInboundMail, parseInboundMail, ticketSubjectFromMail } from "./mail-parse.ts";
import { extractTicketTags } from "./mail-subject.ts";
import {
  type AutomatedKind,
  chooseThread,
  classifyAutomatedMail,
  extractBouncedMessageIds,
  extractBounceReason,
  extractForwardedSender,
  normalizeAddresses,
  rankHeaderMatches,
  type ThreadCandidate,
  type ThreadVia,
} from "./mail-threading.ts";
import { parseReplyAddress } from "./reply-address.ts";

type Ctx = AppContext;

export type IngestEnvelope = {
  /** Envelope sender; "" for the null reverse-path <> (bounces), undefined when unknown (IMAP). */
  from?: string;
  to: string[];
  source: "smtp" | "imap";
};

export type IngestResult = {
  inboundMailId: number;
  /** created: a new ticket; joined: added to an existing one; duplicate: Message-ID already stored; skipped: another worker had it. */
  outcome: "created" | "joined" | "duplicate" | "failed" | "skipped";
  ticketId: number | null;
  messageId: number | null;
  via: ThreadVia | null;
  error?: string;
};

/**
 * Stores a raw mail and threads it. Normally both happen in one transaction, so a mail costs one commit. When
 * threading fails (or the Message-ID was delivered before), that transaction rolls back and the raw bytes are
 * committed on their own and handled by processInboundMail, which records the duplicate or the failure. Either way
 * the raw mail is committed before this returns, so a mail that was acknowledged is never lost; if the process dies
 * mid-way, nothing was acknowledged, or reprocessStoredMails picks up the stored row.
 */
export async function ingestRawMail(ctx: Ctx, raw: Buffer, envelope: IngestEnvelope): Promise<IngestResult> {
  const loaded: Loaded = { raw, envelopeFrom: envelope.from, envelopeTo: envelope.to };
  const parsed = await parseInboundMail(raw, `synthetic.${ctx.config.mailDomain}`).catch(() => null);
  if (parsed) {
    try {
      return await withTransaction(ctx, async (tx) => {
        const inboundMailId = await storeRawMail(tx, raw, envelope);
        return threadMail(tx, inboundMailId, parsed, loaded);
      });
    } catch {
      // Rolled back whole; the slower path below stores the raw mail first and records what went wrong.
    }
  }
  const inboundMailId = await storeRawMail(ctx, raw, envelope);
  return processInboundMail(ctx, inboundMailId, loaded);
}

/** Parses a raw mail for ingestion; null when it cannot be parsed (the slow path records the failure). */
export async function parseRawMail(ctx: Ctx, raw: Buffer): Promise<ParsedInboundMail | null> {
  return parseInboundMail(raw, `synthetic.${ctx.config.mailDomain}`).catch(() => null);
}

export type BatchedMail = { raw: Buffer; envelope: IngestEnvelope; parsed: ParsedInboundMail | null };

/**
 * ingestRawMail for several mails in one transaction (one commit): the raw mails are inserted together, then each
 * is threaded. When one fails to thread, the batch is run again with each mail in its own savepoint: the failing
 * mail rolls back only its savepoint; its raw row is committed with the others, and it is then handled alone by processInboundMail (duplicate or failure), exactly as
 * ingestRawMail's slow path would. Events are published only after the commit, and only for mails that stayed.
 * Resolves once every mail is committed; if the shared transaction itself fails, each mail goes through
 * ingestRawMail on its own.
 */
export async function ingestRawMailBatch(ctx: Ctx, mails: BatchedMail[]): Promise<IngestResult[]> {
  if (mails.length === 0) return [];
  let attempt: BatchAttempt;
  try {
    // Optimistic first, with no savepoints (two statements a mail): a mail that fails to thread (a re-delivery,
    // rare) aborts this attempt whole, and the batch is run again with a savepoint per mail.
    attempt = await attemptBatch(ctx, mails, false);
  } catch (error) {
    try {
      if (!(error instanceof BatchMailFailed)) throw error;
      attempt = await attemptBatch(ctx, mails, true);
    } catch {
      const results: IngestResult[] = [];
      for (const mail of mails) results.push(await ingestRawMail(ctx, mail.raw, mail.envelope));
      return results;
    }
  }
  for (const event of attempt.pending) ctx.events.publish(event);
  const results: IngestResult[] = [];
  for (const [index, mail] of mails.entries()) {
    const result = attempt.results[index];
    if (result) {
      results.push(result);
      continue;
    }
    const loaded: Loaded = { raw: mail.raw, envelopeFrom: mail.envelope.from, envelopeTo: mail.envelope.to };
    results.push(await processInboundMail(ctx, attempt.ids[index], loaded));
  }
  return results;
}

/** Thrown out of an optimistic batch when one of its mails fails to thread; the batch then runs with savepoints. */
class BatchMailFailed extends Error {
  constructor(cause: unknown) {
    super("a mail in the batch failed to thread", { cause });
  }
}

type BatchAttempt = { ids: number[]; results: (IngestResult | null)[]; pending: TendEvent[] };

async function attemptBatch(ctx: Ctx, mails: BatchedMail[], savepoints: boolean): Promise<BatchAttempt> {
  const pending: TendEvent[] = [];
  return ctx.db.transaction(async (tx) => {
    const now = ctx.clock.now();
    const ids = await insertInboundMails(
      tx,
      mails.map((mail) => ({
        source: mail.envelope.source,
        envelopeFrom: mail.envelope.from ?? null,
        envelopeTo: mail.envelope.to,
        raw: mail.raw,
        receivedAt: now,
      })),
    );
    // Which senders are agents, for all the batch in one query (read in this transaction, as each mail would).
    const agents = await findActiveUsersByEmails(
      tx,
      mails.flatMap((mail) => (mail.parsed ? (senderAddressOf(mail.parsed, mail.envelope.from) ?? []) : [])),
    );
    // Senders who are already customers, likewise; anyone else is looked up (or created) mail by mail.
    const knownCustomers = await findCustomerIdsByIdentities(
      tx,
      "email",
      mails.flatMap((mail) => (mail.parsed ? (senderAddressOf(mail.parsed, mail.envelope.from) ?? []) : [])),
    );
    const results: (IngestResult | null)[] = [];
    for (const [index, mail] of mails.entries()) {
      const parsed = mail.parsed;
      if (!parsed) {
        results.push(null);
        continue;
      }
      const events: TendEvent[] = [];
      const loaded: Loaded = {
        raw: mail.raw,
        envelopeFrom: mail.envelope.from,
        envelopeTo: mail.envelope.to,
      };
      const thread = (db: Db) =>
        threadMail(
          { ...ctx, db, events: { publish: (event) => events.push(event), subscribe: ctx.events.subscribe } },
          ids[index],
          parsed,
          loaded,
          { claim: false, agents, knownCustomers },
        );
      if (savepoints) {
        try {
          results.push(await tx.transaction(thread));
        } catch {
          results.push(null);
          continue;
        }
      } else {
        results.push(await thread(tx).catch((error: unknown) => Promise.reject(new BatchMailFailed(error))));
      }
      pending.push(...events);
    }
    // The rows were inserted by this transaction, so nobody else can have claimed them: one update marks them all.
    await markInboundMailsProcessed(
      tx,
      results.flatMap((result) =>
        result?.messageId ? [{ inboundMailId: result.inboundMailId, messageId: result.messageId }] : [],
      ),
      now,
    );
    return { ids, results, pending };
  });
}

/** Commits the raw bytes as an inbound_mails row in state "stored" and returns its id. */
export async function storeRawMail(ctx: Ctx, raw: Buffer, envelope: IngestEnvelope): Promise<number> {
  return insertInboundMail(ctx.db, {
    source: envelope.source,
    envelopeFrom: envelope.from ?? null,
    envelopeTo: envelope.to,
    raw,
    receivedAt: ctx.clock.now(),
  });
}

/** Threads mail left in state "stored" (a crash between storing and processing); returns how many it handled. */
export async function reprocessStoredMails(ctx: Ctx, options: { olderThanMs?: number; limit?: number } = {}) {
  const before = new Date(ctx.clock.now().getTime() - (options.olderThanMs ?? 0));
  const ids = await listStoredInboundMailIds(ctx.db, before, options.limit ?? 500);
  let handled = 0;
  for (const id of ids) {
    const result = await processInboundMail(ctx, id);
    if (result.outcome !== "skipped") handled++;
  }
  return handled;
}

/** Thrown inside the transaction when another worker processed the row first; rolls this attempt back. */
class AlreadyProcessed extends Error {}

type Loaded = { raw: Buffer; envelopeFrom: string | null | undefined; envelopeTo: string[] };

/** Parses and threads one stored inbound mail in one transaction; safe to call twice or from several workers. */
export async function processInboundMail(
  ctx: Ctx,
  inboundMailId: number,
  loaded?: Loaded,
): Promise<IngestResult> {
  const skipped: IngestResult = {
    inboundMailId,
    outcome: "skipped",
    ticketId: null,
    messageId: null,
    via: null,
  };
  let input = loaded;
  if (!input) {
    const row = await findInboundMail(ctx.db, inboundMailId);
    if (row?.state !== "stored") return skipped;
    // IMAP rows keep no envelope sender: "unknown", not the null sender.
    input = {
      raw: row.raw,
      envelopeFrom: row.source === "imap" ? undefined : row.envelopeFrom,
      envelopeTo: row.envelopeTo,
    };
  }
  let parsed: ParsedInboundMail | null = null;
  try {
    parsed = await parseInboundMail(input.raw, `synthetic.${ctx.config.mailDomain}`);
    const mail = parsed;
    const source = input;
    return await withTransaction(ctx, (tx) => threadMail(tx, inboundMailId, mail, source));
  } catch (error) {
    if (error instanceof AlreadyProcessed) return skipped;
    // A racing delivery of the same Message-ID loses on the unique index: it is a duplicate, not a failure.
    const existing = parsed ? await findMessageByMailId(ctx.db, parsed.messageId) : null;
    const now = ctx.clock.now();
    if (existing) {
      await markInboundMail(ctx.db, inboundMailId, {
        state: "processed",
        messageId: existing.id,
        processedAt: now,
      });
      return {
        inboundMailId,
        outcome: "duplicate",
        ticketId: existing.ticketId,
        messageId: existing.id,
        via: null,
      };
    }
    const message = error instanceof Error ? error.message : String(error);
    await markInboundMail(ctx.db, inboundMailId, {
      state: "failed",
      error: message.slice(0, 2000),
      processedAt: now,
    });
    return { inboundMailId, outcome: "failed", ticketId: null, messageId: null, via: null, error: message };
  }
}

async function threadMail(
  ctx: Ctx,
  inboundMailId: number,
  mail: ParsedInboundMail,
  source: Loaded,
  options: {
    claim: boolean;
    /** Active users by lower-cased address, prefetched for the sender; else looked up here. */
    agents?: Map<string, { id: number; name: string }>;
    /** Customer ids by normalised email address, prefetched by a batch; a miss is looked up (or created) here. */
    knownCustomers?: Map<string, number>;
  } = { claim: true },
): Promise<IngestResult> {
  const now = ctx.clock.now();
  // No duplicate pre-check: a re-delivered Message-ID fails on the unique index, rolls back, and the caller records
  // it as a duplicate. Re-deliveries are rare; a query saved on every mail is not.

  const envelopeFrom = source.envelopeFrom === null ? undefined : source.envelopeFrom;
  const senderAddress = senderAddressOf(mail, envelopeFrom);
  const automated = classifyAutomatedMail({
    headers: mail.rawHeaders,
    fromAddress: senderAddress,
    envelopeFrom,
  });

  // Bounces name the mail they return; that Message-ID threads them and tells us which delivery failed.
  let bouncedIds: string[] = [];
  let bounceReason: string | null = null;
  if (automated === "bounce") {
    const body = source.raw.subarray(0, 512 * 1024).toString("latin1");
    bouncedIds = extractBouncedMessageIds(body, mail.messageId);
    bounceReason = extractBounceReason(body) ?? "Bounced: the receiving server gave no reason";
  }

  // Who the customer is: the sender, unless the sender is one of our agents forwarding a customer's mail in.
  let author: { address: string; name: string | null } | null = senderAddress
    ? { address: senderAddress, name: mail.from?.name ?? null }
    : null;
  let forwardedByUserId: number | null = null;
  if (senderAddress && !automated) {
    const agent = options.agents
      ? (options.agents.get(senderAddress.toLowerCase()) ?? null)
      : await findActiveUserByEmail(ctx.db, senderAddress);
    if (agent) {
      const original = extractForwardedSender(mail.text);
      if (original && original.address !== senderAddress) {
        author = original;
        forwardedByUserId = agent.id;
      }
    }
  }

  const decision = await decideTicket(
    ctx,
    mail,
    source.envelopeTo,
    author?.address ?? null,
    automated,
    bouncedIds,
  );

  // The customer's "created" event joins the ticket's and message's events in one insert at the end.
  const timeline: TimelineEventInput[] = [];
  const known = author ? options.knownCustomers?.get(normalizeIdentity("email", author.address)) : undefined;
  const { customerId } = known
    ? { customerId: known }
    : author
      ? await findOrCreateCustomerByIdentity(
          ctx,
          { kind: "email", value: author.address, name: author.name },
          { timeline },
        )
      : await findOrCreateCustomerByIdentity(
          ctx,
          { kind: "external", value: "mail:unknown-sender", name: "Unknown sender" },
          { timeline },
        );

  // Sanitise once; cid: images get a placeholder replaced by the attachment id once the attachment row exists.
  const cidIndex = new Map<string, number>();
  mail.attachments.forEach((attachment, index) => {
    if (attachment.contentId) cidIndex.set(attachment.contentId.toLowerCase(), index);
  });
  const usedCids = new Set<number>();
  const html = mail.unsafeHtml
    ? sanitizeMailHtml(mail.unsafeHtml, (cid) => {
        const index = cidIndex.get(cid.toLowerCase());
        if (index === undefined) return null;
        usedCids.add(index);
        return `/api/v1/attachments/__tend_cid_${index}__`;
      })
    : null;

  const messageInput: Omit<AddMessageInput, "ticketId"> = {
    direction: "inbound",
    channel: "email",
    authorCustomerId: customerId,
    text: mail.text,
    html: usedCids.size > 0 ? null : html,
    mailMessageId: mail.messageId,
    inReplyTo: mail.inReplyTo[0] ?? null,
    references: mail.references,
    fromAddress: mail.from,
    toAddresses: mail.to,
    ccAddresses: mail.cc,
    mailSubject: mail.subject,
    headers: mail.keptHeaders,
    mailConversation: mail.conversation,
    isAutomated: automated !== null,
    deliveryStatus: "received",
    metadata: {
      inboundMailId,
      threadedVia: decision.via,
      ...(automated ? { automated } : {}),
      ...(forwardedByUserId !== null ? { forwardedByUserId } : {}),
      ...(decision.splitFromTicketId ? { splitFromTicketId: decision.splitFromTicketId } : {}),
      ...(mail.hasMessageId ? {} : { syntheticMessageId: true }),
    },
  };
  let ticketId = decision.ticketId;
  let outcome: IngestResult["outcome"] = "joined";
  let message: { id: number };
  if (ticketId === null) {
    const created = await createTicketWithMessage(
      ctx,
      {
        subject: ticketSubjectFromMail(mail.subject),
        customerId,
        channel: "email",
        tags: automated ? ["automated", automated] : [],
      },
      messageInput,
      { timeline },
    );
    ticketId = created.ticket.id;
    message = created.message;
    outcome = "created";
  } else {
    await recordTimelineEvents(ctx.db, timeline);
    message = await addMessage(ctx, { ...messageInput, ticketId });
  }
  const stored = await insertAttachments(ctx.db, message.id, mail.attachments, now);
  if (html !== null && usedCids.size > 0) {
    const finalHtml = html.replace(/\/api\/v1\/attachments\/__tend_cid_(\d+)__/g, (_m, index: string) => {
      const row = stored[Number(index)];
      return row ? `/api/v1/attachments/${row.id}` : "";
    });
    await setMessageHtml(ctx.db, message.id, finalHtml);
  }
  if (bounceReason && bouncedIds.length > 0) await markOutboundBounced(ctx.db, bouncedIds, bounceReason);
  // Claiming the row last (stored → processed) is the lock: a second worker on the same row blocks here and, once
  // the first commits, matches nothing and rolls its work back. A batch claims its own new rows together instead.
  if (options.claim && !(await claimInboundMailProcessed(ctx.db, inboundMailId, message.id, now)))
    throw new AlreadyProcessed();
  return { inboundMailId, outcome, ticketId, messageId: message.id, via: decision.via };
}

function senderAddressOf(mail: ParsedInboundMail, envelopeFrom: string | null | undefined): string | null {
  return mail.from?.address ?? (envelopeFrom ? envelopeFrom.toLowerCase() : null);
}

type Decision = { ticketId: number | null; via: ThreadVia | null; splitFromTicketId: number | null };

/**
 * Threading, cheapest and most reliable evidence first: Message-IDs Tend stored or sent (In-Reply-To, then
 * References; never other mails' References), the per-ticket reply address, the Outlook conversation, and last a
 * [#id] subject tag from someone already in that conversation. Machine mail is not held to the subject rule:
 * "Out of office" or "Undelivered Mail" never resemble the subject they answer.
 */
async function decideTicket(
  ctx: Ctx,
  mail: ParsedInboundMail,
  envelopeTo: string[],
  senderAddress: string | null,
  automated: AutomatedKind | null,
  bouncedIds: string[],
): Promise<Decision> {
  let splitFromTicketId: number | null = null;
  const decide = (candidates: ThreadCandidate[]): Decision | null => {
    const list = automated ? candidates.map((c) => ({ ...c, knownSubjects: [] })) : candidates;
    const choice = chooseThread(mail.subject, list);
    if (choice.ticketId !== null)
      return { ticketId: choice.ticketId, via: choice.via, splitFromTicketId: null };
    splitFromTicketId ??= choice.splitFromTicketId;
    return null;
  };

  const references = [...mail.references, ...bouncedIds];
  const headerIds = [...new Set([...mail.inReplyTo, ...references])].filter((id) => id !== mail.messageId);
  if (headerIds.length > 0) {
    const matches = await findThreadMessagesByMailIds(ctx.db, headerIds);
    const chosen = decide(rankHeaderMatches(mail.inReplyTo, references, matches));
    if (chosen) return chosen;
  }

  const recipients = normalizeAddresses([
    ...mail.to.map((a) => a.address),
    ...mail.cc.map((a) => a.address),
    ...envelopeTo,
  ]);
  const tokens = recipients.flatMap((address) => parseReplyAddress(address, ctx.config.mailDomain) ?? []);
  if (tokens.length > 0) {
    const tickets = await findTicketsBrief(ctx.db, [...new Set(tokens.map((t) => t.ticketId))]);
    const candidates = tokens.flatMap((token) => {
      const ticket = tickets.find((t) => t.id === token.ticketId);
      if (!ticket || !sameSecret(ticket.replyToken, token.token)) return [];
      return [{ ticketId: ticket.id, via: "reply-address" as const, knownSubjects: [ticket.subject] }];
    });
    const chosen = decide(candidates);
    if (chosen) return chosen;
  }

  if (mail.conversation) {
    const match = await findThreadMessageByConversation(ctx.db, mail.conversation);
    if (match) {
      const chosen = decide([
        {
          ticketId: match.ticketId,
          via: "thread-index",
          knownSubjects: [match.ticketSubject, match.mailSubject],
        },
      ]);
      if (chosen) return chosen;
    }
  }

  const tagged = extractTicketTags(mail.subject);
  if (tagged.length > 0 && senderAddress) {
    const tickets = await findTicketsBrief(ctx.db, [...new Set(tagged)]);
    for (const ticket of tickets) {
      // A tag alone is guessable; only someone already in the conversation may thread by it.
      if (await isTicketParticipant(ctx.db, ticket.id, senderAddress)) {
        return { ticketId: ticket.id, via: "subject-tag", splitFromTicketId: null };
      }
    }
  }
  return { ticketId: null, via: null, splitFromTicketId };
}

function sameSecret(expected: string, given: string): boolean {
  const a = Buffer.from(expected);
  const b = Buffer.from(given);
  return a.length === b.length && timingSafeEqual(a, b);
}
