import { and, asc, eq, inArray, sql } from "drizzle-orm";
import type { Db } from "../../db/client.ts";
import { customers, orders } from "../../db/schema.ts";

const dayNumber = (column: unknown) => sql<number>`floor(extract(epoch from ${column}) / 86400)::int`;

/** Orders per currency that count as purchases (cancelled and refunded ones do not), most orders first. */
export async function selectCountedOrderCurrencies(db: Db) {
  const rows = await db
    .select({ currency: orders.currency, orders: sql<number>`count(*)::int` })
    .from(orders)
    .where(sql`${orders.status} not in ('cancelled', 'refunded')`)
    .groupBy(orders.currency)
    .orderBy(sql`count(*) desc`, asc(orders.currency));
  return rows;
}

/** Counted orders in one currency as (customer, UTC day, amount). */
export async function selectCountedOrdersIn(db: Db, currency: string) {
  const rows = await db
    .select({
      customerId: orders.customerId,
      day: dayNumber(orders.placedAt),
      amountMinor: orders.amountMinor,
    })
    .from(orders)
    .where(and(sql`${orders.status} not in ('cancelled', 'refunded')`, eq(orders.currency, currency)));
  return rows;
}

/** Orders left out of the measures: cancelled or refunded. */
export async function countUncountedOrders(db: Db): Promise<number> {
  const [row] = await db
    .select({ n: sql<number>`count(*)::int` })
    .from(orders)
    .where(sql`${orders.status} in ('cancelled', 'refunded')`);
  return row.n;
}

/** Names and primary emails of customers, for lists. */
export async function selectCustomerLabels(db: Db, ids: readonly number[]) {
  if (ids.length === 0) return [];
  return db
    .select({
      id: customers.id,
      name: customers.name,
      // Written out: inside a select list drizzle leaves columns unqualified, which would bind to the subquery.
      email: sql<string | null>`(select ci.value from customer_identities ci
        where ci.customer_id = "customers"."id" and ci.kind = 'email'
        order by ci.is_primary desc, ci.id limit 1)`,
    })
    .from(customers)
    .where(inArray(customers.id, [...ids]));
}
