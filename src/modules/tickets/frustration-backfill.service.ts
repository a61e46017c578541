import { replayFrustration } from "../../analytics/text/frustration.ts";
import type { ServiceContext } from "../../context.ts";
import { withTransaction } from "../../db/transaction.ts";
import { contactWindowDays } from "../empathy/frustration.service.ts";
import {
  existsUnscoredCustomerMessage,
  type FrustrationUpdate,
  lockCustomersTickets,
  selectCustomersHistory,
  selectCustomersWithUnscoredMessages,
  updateTicketFrustrations,
  updateUnscoredMessageFrustrations,
} from "./frustration-backfill.repo.ts";
import { connectedCallOutcomes, frustrationRoleOf } from "./tickets.service.ts";

// Customers' messages stored before the frustration scorer existed have no score, and their tickets no level.
// The backfill scores them as intake would have: per customer, the whole history in time order (replayFrustration),
// so "third contact in 5 days" counts the contacts before each message then, and each ticket ends with the highest
// score since its last agent reply. Messages scored at intake keep their score.

/** Unscored messages whose customers one batch takes (their whole history comes along). */
export const defaultBackfillBatchSize = 200;

export type BackfillBatchResult = {
  /** Customers whose history was replayed. */
  customers: number;
  /** Messages given a score. */
  messages: number;
  /** Tickets whose frustration was set from the replay. */
  tickets: number;
  /** Whether unscored customer messages remain after this batch. */
  more: boolean;
};

/** Whether any customer message is still without a frustration score. */
export async function hasMessagesToBackfill(ctx: Pick<ServiceContext, "db">): Promise<boolean> {
  return existsUnscoredCustomerMessage(ctx.db, connectedCallOutcomes);
}

/**
 * One batch: the customers of the oldest `batchSize` unscored messages, their tickets locked, their history
 * replayed, their unscored messages scored and those messages' tickets given their frustration now. Run it in a
 * transaction (the job's, or backfillFrustration's): a batch commits whole or not at all, and running it again
 * after a commit finds the next customers, so the backfill is idempotent and resumes where it stopped.
 */
export async function backfillFrustrationBatch(
  ctx: Pick<ServiceContext, "db">,
  batchSize = defaultBackfillBatchSize,
): Promise<BackfillBatchResult> {
  const customerIds = await selectCustomersWithUnscoredMessages(ctx.db, connectedCallOutcomes, batchSize);
  if (customerIds.length === 0) return { customers: 0, messages: 0, tickets: 0, more: false };
  await lockCustomersTickets(ctx.db, customerIds);
  const history = await selectCustomersHistory(ctx.db, customerIds);
  const roles = history.map(frustrationRoleOf);
  const replay = replayFrustration(
    history.map((row, i) => ({
      ticketId: row.ticketId,
      customerId: row.customerId,
      channel: row.channel,
      text: row.text,
      at: row.at,
      role: roles[i],
      stored:
        row.frustrationScore === null
          ? undefined
          : { score: row.frustrationScore, cues: row.frustrationCues },
    })),
    contactWindowDays,
  );

  const messageUpdates: FrustrationUpdate[] = [];
  const touchedTickets = new Set<number>();
  history.forEach((row, i) => {
    const result = replay.messages[i];
    if (row.frustrationScore !== null || roles[i] !== "customer" || !result) return;
    messageUpdates.push({ id: row.id, score: result.score, cues: result.cues.map((cue) => cue.label) });
    touchedTickets.add(row.ticketId);
  });
  const ticketUpdates = [...touchedTickets].map((ticketId) => {
    const level = replay.tickets.get(ticketId) ?? { score: null, cues: [] };
    return { id: ticketId, score: level.score, cues: level.cues };
  });
  const scored = await updateUnscoredMessageFrustrations(ctx.db, messageUpdates);
  await updateTicketFrustrations(ctx.db, ticketUpdates);
  const more = await existsUnscoredCustomerMessage(ctx.db, connectedCallOutcomes);
  if (scored === 0 && more) {
    // The SQL and frustrationRoleOf disagree about some message: stop rather than loop over it forever.
    throw new Error("Frustration backfill made no progress: a message without a score is not a customer's");
  }
  return { customers: customerIds.length, messages: scored, tickets: ticketUpdates.length, more };
}

/** The whole backfill in this process, batch after batch, each in its own transaction (for `tend db`). */
export async function backfillFrustration(
  ctx: ServiceContext,
  options: { batchSize?: number; onBatch?: (batch: BackfillBatchResult) => void } = {},
): Promise<{ batches: number; messages: number; tickets: number }> {
  const total = { batches: 0, messages: 0, tickets: 0 };
  for (;;) {
    const batch = await withTransaction(ctx, (tx) => backfillFrustrationBatch(tx, options.batchSize));
    if (batch.customers === 0) return total;
    total.batches++;
    total.messages += batch.messages;
    total.tickets += batch.tickets;
    options.onBatch?.(batch);
    if (!batch.more) return total;
  }
}
