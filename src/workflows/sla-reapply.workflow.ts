import type { ServiceContext } from "../context.ts";
import { withTransaction } from "../db/transaction.ts";
import { applySlaEvents, listTicketIdsWithActiveSla } from "../modules/sla/sla.service.ts";

/**
 * Re-applies the SLA policies to every ticket whose clocks still run or wait, after policies or calendars were
 * edited: each ticket gets the policy that now matches and due times from the time it has already used.
 * Works in batches of short transactions so a large inbox does not hold the database.
 */
export async function reapplySlaPolicies(ctx: ServiceContext, batch = 200): Promise<number> {
  let afterId = 0;
  let total = 0;
  for (;;) {
    const ids = await listTicketIdsWithActiveSla(ctx, afterId, batch);
    if (ids.length === 0) return total;
    await withTransaction(ctx, async (tx) => {
      for (const id of ids) await applySlaEvents(tx, id, []);
    });
    total += ids.length;
    afterId = ids[ids.length - 1];
  }
}
