import type { ServiceContext } from "../context.ts";
import type { TendEvent } from "../events/event-bus.ts";

/**
 * Runs `fn` in one transaction with a context whose events are held back until the commit, so nobody is told
 * about a change that was rolled back or that they cannot read yet.
 */
export async function withTransaction<C extends ServiceContext, T>(
  ctx: C,
  fn: (tx: C) => Promise<T>,
): Promise<T> {
  const pending: TendEvent[] = [];
  const result = await ctx.db.transaction(async (tx) =>
    fn({
      ...ctx,
      db: tx,
      events: { publish: (event: TendEvent) => pending.push(event), subscribe: ctx.events.subscribe },
    }),
  );
  for (const event of pending) ctx.events.publish(event);
  return result;
}
