import { and, eq, inArray, or, sql } from "drizzle-orm";
import type { Db } from "../../db/client.ts";
import { rowsOf } from "../../db/execute-rows.ts";
import { customerIdentities, customers, messages, orders, tickets } from "../../db/schema.ts";

/** Customers by external id and by email, for one batch of import rows (values already normalised). */
export async function selectCustomersByKeys(db: Db, keys: { externalIds: string[]; emails: string[] }) {
  if (keys.externalIds.length === 0 && keys.emails.length === 0) return [];
  return db
    .select({
      customerId: customerIdentities.customerId,
      kind: customerIdentities.kind,
      value: customerIdentities.value,
    })
    .from(customerIdentities)
    .where(
      or(
        keys.externalIds.length > 0
          ? and(eq(customerIdentities.kind, "external"), inArray(customerIdentities.value, keys.externalIds))
          : undefined,
        keys.emails.length > 0
          ? and(eq(customerIdentities.kind, "email"), inArray(customerIdentities.value, keys.emails))
          : undefined,
      ),
    );
}

/** Creates customers in one statement each for rows and identities; returns the new ids in input order. */
export async function insertImportedCustomers(
  db: Db,
  rows: { name: string | null; identities: { kind: "email" | "external"; value: string }[] }[],
  now: Date,
): Promise<number[]> {
  if (rows.length === 0) return [];
  const created = await db
    .insert(customers)
    .values(rows.map((row) => ({ name: row.name, createdAt: now, updatedAt: now })))
    .returning({ id: customers.id });
  // RETURNING keeps the VALUES order for a plain multi-row insert in PostgreSQL.
  const ids = created.map((c) => c.id);
  const identities = rows.flatMap((row, i) =>
    row.identities.map((identity, k) => ({
      customerId: ids[i],
      kind: identity.kind,
      value: identity.value,
      isPrimary: k === 0,
      createdAt: now,
    })),
  );
  if (identities.length > 0) await db.insert(customerIdentities).values(identities).onConflictDoNothing();
  return ids;
}

export async function addImportedIdentities(
  db: Db,
  rows: { customerId: number; kind: "email" | "external"; value: string }[],
  now: Date,
): Promise<void> {
  if (rows.length === 0) return;
  await db
    .insert(customerIdentities)
    .values(rows.map((row) => ({ ...row, isPrimary: false, createdAt: now })))
    .onConflictDoNothing();
}

export async function updateImportedCustomerNames(db: Db, rows: { id: number; name: string }[], now: Date) {
  for (const row of rows) {
    await db.update(customers).set({ name: row.name, updatedAt: now }).where(eq(customers.id, row.id));
  }
}

/**
 * An empty count of order rows by the digest of their (customer, date, amount, currency), for one import: a
 * temporary table that lives until the import's transaction ends, so the counts span batches without growing the
 * process's memory. Emptied too, in case an enclosing transaction already made it.
 */
export async function startImportTuples(db: Db): Promise<void> {
  await db.execute(
    sql`create temporary table if not exists import_order_tuples (digest text primary key, seen integer not null) on commit drop`,
  );
  await db.execute(sql`delete from import_order_tuples`);
}

/** Adds a batch's counts by digest (see startImportTuples) and returns each digest's running total. */
export async function countImportTuples(
  db: Db,
  counts: ReadonlyMap<string, number>,
): Promise<Map<string, number>> {
  if (counts.size === 0) return new Map();
  const values = sql.join(
    [...counts].map(([digest, count]) => sql`(${digest}, ${count})`),
    sql`, `,
  );
  const rows = await db.execute(sql`
    insert into import_order_tuples (digest, seen) values ${values}
    on conflict (digest) do update set seen = import_order_tuples.seen + excluded.seen
    returning digest, seen`);
  return new Map(rowsOf<{ digest: string; seen: number }>(rows).map((row) => [row.digest, Number(row.seen)]));
}

/** Inserts orders, skipping those whose external id or import key is already stored; returns the inserted ones. */
export async function insertImportedOrders(db: Db, rows: (typeof orders.$inferInsert)[]) {
  if (rows.length === 0) return [];
  return db.insert(orders).values(rows).onConflictDoNothing().returning({
    id: orders.id,
    customerId: orders.customerId,
    externalId: orders.externalId,
    placedAt: orders.placedAt,
    amountMinor: orders.amountMinor,
    currency: orders.currency,
  });
}

export async function countOrders(db: Db): Promise<number> {
  const [row] = await db.select({ n: sql<number>`count(*)::int` }).from(orders);
  return row.n;
}

/** The highest ticket id now: tickets above it were created by the import that asked (one importer at a time). */
export async function selectMaxTicketId(db: Db): Promise<number> {
  const [row] = await db.select({ id: sql<number>`coalesce(max(${tickets.id}), 0)::int` }).from(tickets);
  return Number(row.id);
}

/** Of these imported ticket ids, the tickets already stored (the id is kept in custom_fields.importedTicketId). */
export async function selectImportedTickets(db: Db, ids: readonly string[]) {
  if (ids.length === 0) return new Map<string, StoredImportedTicket>();
  const rows = await db
    .select({
      importedId: sql<string>`${tickets.customFields}->>'importedTicketId'`,
      id: tickets.id,
      customerId: tickets.customerId,
      channel: tickets.channel,
      createdAt: tickets.createdAt,
      frustrationScore: tickets.frustrationScore,
      frustrationCues: tickets.frustrationCues,
    })
    .from(tickets)
    .where(inArray(sql`${tickets.customFields}->>'importedTicketId'`, [...ids]));
  return new Map(rows.map((row) => [row.importedId, row]));
}

export type StoredImportedTicket = {
  id: number;
  customerId: number;
  channel: (typeof tickets.$inferSelect)["channel"];
  createdAt: Date;
  frustrationScore: number | null;
  frustrationCues: string[];
};

export async function insertImportedTickets(db: Db, rows: (typeof tickets.$inferInsert)[]) {
  if (rows.length === 0) return [];
  return db.insert(tickets).values(rows).returning({
    id: tickets.id,
    customerId: tickets.customerId,
    subject: tickets.subject,
    channel: tickets.channel,
    createdAt: tickets.createdAt,
  });
}

/** Inserts imported messages; returns their ids in input order. */
export async function insertImportedMessages(
  db: Db,
  rows: (typeof messages.$inferInsert)[],
): Promise<number[]> {
  if (rows.length === 0) return [];
  const inserted = await db.insert(messages).values(rows).returning({ id: messages.id });
  return inserted.map((row) => row.id);
}

/** Moves tickets an import continues: their frustration, and their last (customer) message times if later. */
export async function updateImportedTicketActivity(
  db: Db,
  rows: {
    id: number;
    lastMessageAt: Date;
    lastCustomerMessageAt: Date | null;
    frustrationScore: number | null;
    frustrationCues: string[];
  }[],
) {
  const at = (date: Date | null) => (date === null ? null : date.toISOString());
  for (const row of rows) {
    await db
      .update(tickets)
      .set({
        lastMessageAt: sql`greatest(${tickets.lastMessageAt}, ${at(row.lastMessageAt)}::timestamptz)`,
        lastCustomerMessageAt: sql`greatest(${tickets.lastCustomerMessageAt}, ${at(row.lastCustomerMessageAt)}::timestamptz)`,
        updatedAt: sql`greatest(${tickets.updatedAt}, ${at(row.lastMessageAt)}::timestamptz)`,
        frustrationScore: row.frustrationScore,
        frustrationCues: row.frustrationCues,
      })
      .where(eq(tickets.id, row.id));
  }
}
