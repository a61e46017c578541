import type { Page, TicketListOrder, TicketSummary } from "../api/api-types.ts";

const frustrationRank = { high: 2, mild: 1, none: 0 } as const;

/**
 * The inbox order (the API's keyset order): last activity first, then the higher id; in the "frustration" order
 * (the open views) frustrated customers first, then annoyed ones, each by last activity.
 */
export function compareTickets(
  a: TicketSummary,
  b: TicketSummary,
  order: TicketListOrder = "activity",
): number {
  if (order === "frustration") {
    const byRank =
      frustrationRank[b.frustration?.level ?? "none"] - frustrationRank[a.frustration?.level ?? "none"];
    if (byRank !== 0) return byRank;
  }
  const at = Date.parse(a.lastMessageAt);
  const bt = Date.parse(b.lastMessageAt);
  if (at !== bt) return bt - at;
  return b.id - a.id;
}

/**
 * A fresh first page merged into a list the agent has scrolled ("load more"): the first page replaces everything
 * it covers (tickets that left the view disappear, new ones appear); older pages already loaded are kept below it,
 * so a live update does not throw away what the agent has loaded.
 */
export function mergeFirstPage<P extends Page<TicketSummary> & { order?: TicketListOrder }>(
  current: P,
  firstPage: P,
): P {
  // The whole list fits in the first page, or the agent has not loaded beyond it: nothing to keep.
  if (firstPage.nextCursor === null || current.items.length <= firstPage.items.length) return firstPage;
  const last = firstPage.items[firstPage.items.length - 1];
  if (!last) return firstPage;
  const inFirst = new Set(firstPage.items.map((item) => item.id));
  const tail = current.items.filter(
    (item) => !inFirst.has(item.id) && compareTickets(last, item, firstPage.order) < 0,
  );
  if (tail.length === 0) return firstPage;
  return { ...firstPage, items: [...firstPage.items, ...tail], nextCursor: current.nextCursor };
}

/** Appends a further page, skipping tickets already shown (one may have moved while the agent scrolled). */
export function appendPage<P extends Page<TicketSummary>>(current: P, next: P): P {
  const seen = new Set(current.items.map((item) => item.id));
  return {
    ...current,
    items: [...current.items, ...next.items.filter((item) => !seen.has(item.id))],
    nextCursor: next.nextCursor,
  };
}
