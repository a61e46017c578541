import { and, desc, eq, sql } from "drizzle-orm";
import type { Db } from "../../db/client.ts";
import { orders } from "../../db/schema.ts";

export type OrderRow = typeof orders.$inferSelect;
export type Keyset = { atMicros: string; id: number };

export async function insertOrder(db: Db, values: typeof orders.$inferInsert): Promise<OrderRow> {
  const [row] = await db.insert(orders).values(values).returning();
  return row;
}

export async function selectOrderByExternalId(db: Db, externalId: string): Promise<OrderRow | undefined> {
  const [row] = await db.select().from(orders).where(eq(orders.externalId, externalId));
  return row;
}

export async function selectOrderById(
  db: Db,
  id: number,
  options: { forUpdate?: boolean } = {},
): Promise<OrderRow | undefined> {
  const query = db.select().from(orders).where(eq(orders.id, id));
  const [row] = options.forUpdate ? await query.for("update") : await query;
  return row;
}

export async function updateOrderStatusRow(
  db: Db,
  id: number,
  status: OrderRow["status"],
): Promise<OrderRow> {
  const [row] = await db.update(orders).set({ status }).where(eq(orders.id, id)).returning();
  return row;
}

/** Orders newest first (by when they were placed), optionally for one customer; limit + 1 rows. */
export async function selectOrders(
  db: Db,
  filter: { customerId?: number },
  page: { limit: number; after?: Keyset },
): Promise<(OrderRow & { cursorAtMicros: string })[]> {
  return db
    .select({
      id: orders.id,
      customerId: orders.customerId,
      externalId: orders.externalId,
      importKey: orders.importKey,
      placedAt: orders.placedAt,
      amountMinor: orders.amountMinor,
      currency: orders.currency,
      items: orders.items,
      status: orders.status,
      createdAt: orders.createdAt,
      cursorAtMicros: sql<string>`(extract(epoch from ${orders.placedAt}) * 1000000)::bigint::text`,
    })
    .from(orders)
    .where(
      and(
        filter.customerId !== undefined ? eq(orders.customerId, filter.customerId) : undefined,
        page.after
          ? sql`(${orders.placedAt}, ${orders.id}) < (timestamptz 'epoch' + ${page.after.atMicros}::bigint * interval '1 microsecond', ${page.after.id})`
          : undefined,
      ),
    )
    .orderBy(desc(orders.placedAt), desc(orders.id))
    .limit(page.limit + 1);
}

/** Count and per-currency totals of a customer's orders, cancelled and refunded ones excluded from totals. */
export async function selectCustomerOrderTotals(db: Db, customerId: number) {
  const totals = await db
    .select({
      currency: orders.currency,
      amountMinor: sql<string>`coalesce(sum(${orders.amountMinor}) filter (where ${orders.status} not in ('cancelled', 'refunded')), 0)::text`,
      count: sql<number>`count(*)::int`,
    })
    .from(orders)
    .where(eq(orders.customerId, customerId))
    .groupBy(orders.currency)
    .orderBy(orders.currency);
  return totals.map((row) => ({
    currency: row.currency,
    amountMinor: Number(row.amountMinor),
    count: row.count,
  }));
}
