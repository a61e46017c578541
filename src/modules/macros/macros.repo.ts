import { asc, eq, sql } from "drizzle-orm";
import type { Db } from "../../db/client.ts";
import { customerIdentities, customers, macros, orders, tickets, users, workspace } from "../../db/schema.ts";

export type MacroRow = typeof macros.$inferSelect;

export async function selectMacros(db: Db): Promise<MacroRow[]> {
  return db.select().from(macros).orderBy(asc(macros.position), asc(macros.title), asc(macros.id));
}

export async function selectMacro(db: Db, id: number): Promise<MacroRow | undefined> {
  const [row] = await db.select().from(macros).where(eq(macros.id, id));
  return row;
}

export async function insertMacro(db: Db, values: typeof macros.$inferInsert): Promise<MacroRow> {
  const [row] = await db.insert(macros).values(values).returning();
  return row;
}

export async function updateMacroRow(
  db: Db,
  id: number,
  values: Partial<typeof macros.$inferInsert>,
): Promise<MacroRow | undefined> {
  const [row] = await db.update(macros).set(values).where(eq(macros.id, id)).returning();
  return row;
}

export async function deleteMacroRow(db: Db, id: number): Promise<boolean> {
  return (await db.delete(macros).where(eq(macros.id, id)).returning({ id: macros.id })).length > 0;
}

export async function incrementMacroUsage(db: Db, id: number): Promise<void> {
  await db
    .update(macros)
    .set({ usageCount: sql`${macros.usageCount} + 1` })
    .where(eq(macros.id, id));
}

/** Everything a macro's variables can show about a ticket, in one query. */
export async function selectMacroFacts(db: Db, ticketId: number, agentUserId: number | null) {
  const [row] = await db
    .select({
      ticketId: tickets.id,
      subject: tickets.subject,
      customerName: customers.name,
      customerEmail: sql<string | null>`(select ci.value from ${customerIdentities} ci
        where ci.customer_id = ${customers.id} and ci.kind = 'email' order by ci.is_primary desc, ci.id limit 1)`,
      orderCount: sql<number>`(select count(*)::int from ${orders} o where o.customer_id = ${customers.id})`,
      lastOrder: sql<{
        id: number;
        external_id: string | null;
        placed_at: string;
        amount_minor: number;
        currency: string;
        items: { name: string; quantity: number }[];
      } | null>`(select row_to_json(o) from (select id, external_id, placed_at, amount_minor, currency, items
        from ${orders} where customer_id = ${customers.id} order by placed_at desc, id desc limit 1) o)`,
      agentName: sql<string | null>`(select name from ${users} where id = ${agentUserId})`,
      businessName: sql<string | null>`(select name from ${workspace} limit 1)`,
    })
    .from(tickets)
    .innerJoin(customers, eq(customers.id, tickets.customerId))
    .where(eq(tickets.id, ticketId));
  return row;
}
