import { asc, eq, inArray, type SQL, sql } from "drizzle-orm";
import type { Db } from "../../db/client.ts";
import { rowsOf } from "../../db/execute-rows.ts";
import { messages, tickets } from "../../db/schema.ts";

/** The scorer reads at most this much of a message (its own words, from the first 4,000 characters). */
const scoredChars = 4000;

/**
 * A customer's message stored without a frustration score: what messages_unscored_inbound_idx holds, less logged
 * calls someone picked up (the team's answer, never scored). The index's conditions are written as constants so
 * the planner can use it.
 */
function isUnscoredCustomerMessage(connectedCallOutcomes: string[]): SQL {
  return sql`${messages.frustrationScore} is null and ${messages.direction} = 'inbound'
    and not ${messages.isInternal} and not ${messages.isAutomated}
    and coalesce(${messages.metadata} #>> '{call,outcome}', '') <> all(${sql.param(connectedCallOutcomes)}::text[])`;
}

export async function existsUnscoredCustomerMessage(
  db: Db,
  connectedCallOutcomes: string[],
): Promise<boolean> {
  const rows = await db
    .select({ id: messages.id })
    .from(messages)
    .where(isUnscoredCustomerMessage(connectedCallOutcomes))
    .limit(1);
  return rows.length > 0;
}

/** The customers behind the oldest `limit` unscored customer messages. */
export async function selectCustomersWithUnscoredMessages(
  db: Db,
  connectedCallOutcomes: string[],
  limit: number,
): Promise<number[]> {
  const oldest = db
    .select({ ticketId: messages.ticketId })
    .from(messages)
    .where(isUnscoredCustomerMessage(connectedCallOutcomes))
    .orderBy(asc(messages.id))
    .limit(limit)
    .as("oldest");
  const rows = await db
    .selectDistinct({ customerId: tickets.customerId })
    .from(oldest)
    .innerJoin(tickets, eq(tickets.id, oldest.ticketId))
    .orderBy(asc(tickets.customerId));
  return rows.map((row) => row.customerId);
}

/** Locks every ticket of these customers (in id order), so intake waits until their history is rewritten. */
export async function lockCustomersTickets(db: Db, customerIds: number[]): Promise<void> {
  if (customerIds.length === 0) return;
  await db
    .select({ id: tickets.id })
    .from(tickets)
    .where(inArray(tickets.customerId, customerIds))
    .orderBy(asc(tickets.id))
    .for("update");
}

export type HistoryRow = {
  id: number;
  ticketId: number;
  customerId: number;
  channel: string;
  text: string;
  at: Date;
  direction: "inbound" | "outbound";
  isInternal: boolean;
  isAutomated: boolean;
  callOutcome: string | null;
  frustrationScore: number | null;
  frustrationCues: string[];
};

/** Every message of these customers' tickets, oldest first (the text only as far as the scorer reads). */
export async function selectCustomersHistory(db: Db, customerIds: number[]): Promise<HistoryRow[]> {
  if (customerIds.length === 0) return [];
  return db
    .select({
      id: messages.id,
      ticketId: messages.ticketId,
      customerId: tickets.customerId,
      channel: messages.channel,
      text: sql<string>`left(${messages.text}, ${scoredChars})`,
      at: messages.createdAt,
      direction: messages.direction,
      isInternal: messages.isInternal,
      isAutomated: messages.isAutomated,
      callOutcome: sql<string | null>`${messages.metadata} #>> '{call,outcome}'`,
      frustrationScore: messages.frustrationScore,
      frustrationCues: messages.frustrationCues,
    })
    .from(messages)
    .innerJoin(tickets, eq(tickets.id, messages.ticketId))
    .where(inArray(tickets.customerId, customerIds))
    .orderBy(asc(messages.createdAt), asc(messages.id));
}

export type FrustrationUpdate = { id: number; score: number | null; cues: string[] };

/** Scores messages that still have none (a second run writes nothing), in one statement. */
export async function updateUnscoredMessageFrustrations(
  db: Db,
  updates: FrustrationUpdate[],
): Promise<number> {
  if (updates.length === 0) return 0;
  const rows = await db.execute(sql`
    update ${messages} set frustration_score = v.score, frustration_cues = v.cues
    from jsonb_to_recordset(${JSON.stringify(updates)}::jsonb) as v(id integer, score double precision, cues text[])
    where ${messages.id} = v.id and ${messages.frustrationScore} is null
    returning ${messages.id}`);
  return rowsOf(rows).length;
}

/** Sets tickets' frustration (score and cues), in one statement; the ticket's activity times stay as they were. */
export async function updateTicketFrustrations(db: Db, updates: FrustrationUpdate[]): Promise<number> {
  if (updates.length === 0) return 0;
  const rows = await db.execute(sql`
    update ${tickets} set frustration_score = v.score, frustration_cues = v.cues
    from jsonb_to_recordset(${JSON.stringify(updates)}::jsonb) as v(id integer, score double precision, cues text[])
    where ${tickets.id} = v.id
    returning ${tickets.id}`);
  return rowsOf(rows).length;
}
