import { and, asc, desc, eq, inArray, isNotNull, lte, sql } from "drizzle-orm";
import type { Db } from "../../db/client.ts";
import {
  attachments,
  customerIdentities,
  customers,
  inboundMails,
  messages,
  tickets,
  users,
  workspace,
} from "../../db/schema.ts";

// SQL for the email module only; threading and delivery rules live in the services and pure files.

export async function findWorkspaceMailIdentity(
  db: Db,
): Promise<{ name: string; supportAddress: string } | null> {
  const [row] = await db
    .select({ name: workspace.name, supportAddress: workspace.supportAddress })
    .from(workspace)
    .limit(1);
  return row ?? null;
}

/** The customer's primary email address (else their oldest), with their name. */
export async function findCustomerEmail(
  db: Db,
  customerId: number,
): Promise<{ address: string; name: string | null } | null> {
  const [row] = await db
    .select({ address: customerIdentities.value, name: customers.name })
    .from(customerIdentities)
    .innerJoin(customers, eq(customers.id, customerIdentities.customerId))
    .where(and(eq(customerIdentities.customerId, customerId), eq(customerIdentities.kind, "email")))
    .orderBy(desc(customerIdentities.isPrimary), asc(customerIdentities.id))
    .limit(1);
  return row ?? null;
}

/** The newest inbound mail of a ticket that carries a Message-ID: what an agent's reply answers. */
export async function findLatestInboundMail(
  db: Db,
  ticketId: number,
): Promise<{ mailMessageId: string; references: string[] } | null> {
  const [row] = await db
    .select({ mailMessageId: messages.mailMessageId, references: messages.references })
    .from(messages)
    .where(
      and(
        eq(messages.ticketId, ticketId),
        eq(messages.direction, "inbound"),
        eq(messages.isAutomated, false),
        isNotNull(messages.mailMessageId),
      ),
    )
    .orderBy(desc(messages.createdAt), desc(messages.id))
    .limit(1);
  if (!row?.mailMessageId) return null;
  return { mailMessageId: row.mailMessageId, references: row.references };
}

// --- inbound_mails -------------------------------------------------------------------------------------------

export async function insertInboundMail(
  db: Db,
  row: { source: string; envelopeFrom: string | null; envelopeTo: string[]; raw: Buffer; receivedAt: Date },
): Promise<number> {
  const [inserted] = await db
    .insert(inboundMails)
    .values({ ...row, size: row.raw.length, state: "stored" })
    .returning({ id: inboundMails.id });
  return inserted.id;
}

/** Inserts several raw mails in state "stored" in one statement; returns their ids in the order given. */
export async function insertInboundMails(
  db: Db,
  rows: {
    source: string;
    envelopeFrom: string | null;
    envelopeTo: string[];
    raw: Buffer;
    receivedAt: Date;
  }[],
): Promise<number[]> {
  if (rows.length === 0) return [];
  const inserted = await db
    .insert(inboundMails)
    .values(rows.map((row) => ({ ...row, size: row.raw.length, state: "stored" as const })))
    .returning({ id: inboundMails.id });
  // A serial column numbers the rows of one INSERT in the order of its VALUES; RETURNING's order is not promised.
  return inserted.map((row) => row.id).sort((a, b) => a - b);
}

/** Marks several stored inbound mails processed with their messages, in one statement. */
export async function markInboundMailsProcessed(
  db: Db,
  processed: { inboundMailId: number; messageId: number }[],
  processedAt: Date,
): Promise<void> {
  if (processed.length === 0) return;
  const cases = sql.join(
    processed.map((p) => sql`when ${p.inboundMailId}::int then ${p.messageId}::int`),
    sql` `,
  );
  await db
    .update(inboundMails)
    .set({
      state: "processed",
      messageId: sql`case ${inboundMails.id} ${cases} end`,
      processedAt,
      error: null,
    })
    .where(
      and(
        inArray(
          inboundMails.id,
          processed.map((p) => p.inboundMailId),
        ),
        eq(inboundMails.state, "stored"),
      ),
    );
}

export async function lockStoredInboundMail(db: Db, id: number): Promise<boolean> {
  const [row] = await db
    .select({ id: inboundMails.id })
    .from(inboundMails)
    .where(and(eq(inboundMails.id, id), eq(inboundMails.state, "stored")))
    .for("update", { skipLocked: true });
  return Boolean(row);
}

/** Marks a stored inbound mail processed; false when it was not in state "stored" (someone else did it). */
export async function claimInboundMailProcessed(db: Db, id: number, messageId: number, processedAt: Date) {
  const rows = await db
    .update(inboundMails)
    .set({ state: "processed", messageId, processedAt, error: null })
    .where(and(eq(inboundMails.id, id), eq(inboundMails.state, "stored")))
    .returning({ id: inboundMails.id });
  return rows.length > 0;
}

export async function findInboundMail(db: Db, id: number) {
  const [row] = await db
    .select({
      id: inboundMails.id,
      raw: inboundMails.raw,
      source: inboundMails.source,
      envelopeFrom: inboundMails.envelopeFrom,
      envelopeTo: inboundMails.envelopeTo,
      state: inboundMails.state,
    })
    .from(inboundMails)
    .where(eq(inboundMails.id, id));
  return row ?? null;
}

export async function markInboundMail(
  db: Db,
  id: number,
  set: { state: "processed" | "failed"; messageId?: number | null; error?: string | null; processedAt: Date },
): Promise<void> {
  await db.update(inboundMails).set(set).where(eq(inboundMails.id, id));
}

export async function listStoredInboundMailIds(
  db: Db,
  receivedBefore: Date,
  limit: number,
): Promise<number[]> {
  const rows = await db
    .select({ id: inboundMails.id })
    .from(inboundMails)
    .where(and(eq(inboundMails.state, "stored"), lte(inboundMails.receivedAt, receivedBefore)))
    .orderBy(asc(inboundMails.id))
    .limit(limit);
  return rows.map((row) => row.id);
}

// --- threading lookups ------------------------------------------------------------------------------------------

export async function findMessageByMailId(db: Db, mailMessageId: string) {
  const [row] = await db
    .select({ id: messages.id, ticketId: messages.ticketId })
    .from(messages)
    .where(eq(messages.mailMessageId, mailMessageId))
    .limit(1);
  return row ?? null;
}

/** Messages Tend stored or sent with one of these Message-IDs, with their tickets' subjects. */
export async function findThreadMessagesByMailIds(db: Db, mailMessageIds: string[]) {
  if (mailMessageIds.length === 0) return [];
  const rows = await db
    .select({
      mailMessageId: messages.mailMessageId,
      ticketId: messages.ticketId,
      mailSubject: messages.mailSubject,
      ticketSubject: tickets.subject,
    })
    .from(messages)
    .innerJoin(tickets, eq(tickets.id, messages.ticketId))
    .where(inArray(messages.mailMessageId, mailMessageIds));
  return rows.flatMap((row) => (row.mailMessageId ? [{ ...row, mailMessageId: row.mailMessageId }] : []));
}

/** The newest message of an Outlook conversation, with its ticket's subject. */
export async function findThreadMessageByConversation(db: Db, conversation: string) {
  const [row] = await db
    .select({
      ticketId: messages.ticketId,
      mailSubject: messages.mailSubject,
      ticketSubject: tickets.subject,
    })
    .from(messages)
    .innerJoin(tickets, eq(tickets.id, messages.ticketId))
    .where(eq(messages.mailConversation, conversation))
    .orderBy(desc(messages.id))
    .limit(1);
  return row ?? null;
}

export async function findTicketsBrief(db: Db, ticketIds: number[]) {
  if (ticketIds.length === 0) return [];
  return db
    .select({
      id: tickets.id,
      subject: tickets.subject,
      customerId: tickets.customerId,
      replyToken: tickets.replyToken,
    })
    .from(tickets)
    .where(inArray(tickets.id, ticketIds));
}

/**
 * Whether an address belongs to the conversation of a ticket: an email identity of its customer, or the From, To
 * or Cc of one of its messages.
 */
export async function isTicketParticipant(db: Db, ticketId: number, address: string): Promise<boolean> {
  const [identity] = await db
    .select({ id: customerIdentities.id })
    .from(customerIdentities)
    .innerJoin(tickets, eq(tickets.customerId, customerIdentities.customerId))
    .where(
      and(
        eq(tickets.id, ticketId),
        eq(customerIdentities.kind, "email"),
        eq(customerIdentities.value, address),
      ),
    )
    .limit(1);
  if (identity) return true;
  const asList = JSON.stringify([{ address }]);
  const [message] = await db
    .select({ id: messages.id })
    .from(messages)
    .where(
      and(
        eq(messages.ticketId, ticketId),
        sql`(lower(${messages.fromAddress}->>'address') = ${address}
          or ${messages.toAddresses} @> ${asList}::jsonb or ${messages.ccAddresses} @> ${asList}::jsonb)`,
      ),
    )
    .limit(1);
  return Boolean(message);
}

export async function findActiveUserByEmail(db: Db, address: string) {
  const [row] = await db
    .select({ id: users.id, name: users.name })
    .from(users)
    .where(and(sql`lower(${users.email}) = ${address.toLowerCase()}`, eq(users.active, true)))
    .limit(1);
  return row ?? null;
}

/** Active users with any of these addresses, keyed by lower-cased address; one query for a batch of mails. */
export async function findActiveUsersByEmails(db: Db, addresses: string[]) {
  const found = new Map<string, { id: number; name: string }>();
  const lower = [...new Set(addresses.map((address) => address.toLowerCase()))];
  if (lower.length === 0) return found;
  const rows = await db
    .select({ id: users.id, name: users.name, email: sql<string>`lower(${users.email})` })
    .from(users)
    .where(and(inArray(sql`lower(${users.email})`, lower), eq(users.active, true)));
  for (const row of rows) found.set(row.email, { id: row.id, name: row.name });
  return found;
}

// --- message writes -------------------------------------------------------------------------------------------

export async function insertAttachments(
  db: Db,
  messageId: number,
  rows: {
    filename: string;
    contentType: string;
    content: Buffer;
    contentId: string | null;
    inline: boolean;
  }[],
  createdAt: Date,
) {
  if (rows.length === 0) return [];
  return db
    .insert(attachments)
    .values(rows.map((row) => ({ ...row, messageId, size: row.content.length, createdAt })))
    .returning({ id: attachments.id, contentId: attachments.contentId });
}

export async function setMessageHtml(db: Db, messageId: number, html: string | null): Promise<void> {
  await db.update(messages).set({ html }).where(eq(messages.id, messageId));
}

/** Marks outbound mail with these Message-IDs failed with the bounce reason; returns what it changed. */
export async function markOutboundBounced(db: Db, mailMessageIds: string[], reason: string) {
  if (mailMessageIds.length === 0) return [];
  return db
    .update(messages)
    .set({ deliveryStatus: "failed", deliveryError: reason, nextAttemptAt: null })
    .where(and(inArray(messages.mailMessageId, mailMessageIds), eq(messages.direction, "outbound")))
    .returning({ id: messages.id, ticketId: messages.ticketId });
}

// --- outbound queue -----------------------------------------------------------------------------------------------

export type OutboxRow = typeof messages.$inferSelect;

/**
 * Claims due outbound mail for this worker: queued rows whose time has come, and "sending" rows whose lease ran out
 * (their worker died). FOR UPDATE SKIP LOCKED lets several processes claim from one table without sending twice.
 */
export async function claimDueOutboundMail(
  db: Db,
  now: Date,
  leaseUntil: Date,
  limit: number,
): Promise<OutboxRow[]> {
  return db
    .update(messages)
    .set({
      deliveryStatus: "sending",
      nextAttemptAt: leaseUntil,
      deliveryAttempts: sql`${messages.deliveryAttempts} + 1`,
    })
    .where(
      inArray(
        messages.id,
        db
          .select({ id: messages.id })
          .from(messages)
          .where(
            and(
              inArray(messages.deliveryStatus, ["queued", "sending"]),
              lte(messages.nextAttemptAt, now),
              eq(messages.direction, "outbound"),
              eq(messages.channel, "email"),
              eq(messages.isInternal, false),
            ),
          )
          .orderBy(asc(messages.nextAttemptAt), asc(messages.id))
          .limit(limit)
          .for("update", { skipLocked: true }),
      ),
    )
    .returning();
}

export async function markOutboundSent(db: Db, id: number, sentAt: Date): Promise<void> {
  await db
    .update(messages)
    .set({ deliveryStatus: "sent", sentAt, deliveryError: null, nextAttemptAt: null })
    .where(and(eq(messages.id, id), eq(messages.deliveryStatus, "sending")));
}

export async function markOutboundRetry(
  db: Db,
  id: number,
  set: { deliveryStatus: "queued" | "failed"; deliveryError: string; nextAttemptAt: Date | null },
): Promise<void> {
  await db
    .update(messages)
    .set(set)
    .where(and(eq(messages.id, id), eq(messages.deliveryStatus, "sending")));
}

/** Says on every waiting outbound mail why it is not leaving, so agents see it on the message. */
export async function noteUnsendableOutbound(db: Db, reason: string): Promise<number> {
  const rows = await db
    .update(messages)
    .set({ deliveryError: reason })
    .where(
      and(
        eq(messages.deliveryStatus, "queued"),
        eq(messages.direction, "outbound"),
        eq(messages.channel, "email"),
        sql`${messages.deliveryError} is distinct from ${reason}`,
      ),
    )
    .returning({ id: messages.id });
  return rows.length;
}
