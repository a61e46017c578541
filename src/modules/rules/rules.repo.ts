import { and, arrayContains, asc, eq, inArray, sql } from "drizzle-orm";
import type { Db } from "../../db/client.ts";
import { customerIdentities, customers, messages, rules, tickets } from "../../db/schema.ts";

export type RuleRow = typeof rules.$inferSelect;

export async function selectRules(db: Db): Promise<RuleRow[]> {
  return db.select().from(rules).orderBy(asc(rules.position), asc(rules.id));
}

export async function selectEnabledRulesForEvent(
  db: Db,
  event: RuleRow["events"][number],
): Promise<RuleRow[]> {
  return db
    .select()
    .from(rules)
    .where(and(eq(rules.enabled, true), arrayContains(rules.events, [event])))
    .orderBy(asc(rules.position), asc(rules.id));
}

export async function insertRule(db: Db, values: typeof rules.$inferInsert): Promise<RuleRow> {
  const [row] = await db.insert(rules).values(values).returning();
  return row;
}

export async function updateRuleRow(db: Db, id: number, values: Partial<typeof rules.$inferInsert>) {
  const [row] = await db.update(rules).set(values).where(eq(rules.id, id)).returning();
  return row;
}

export async function deleteRuleRow(db: Db, id: number): Promise<boolean> {
  return (await db.delete(rules).where(eq(rules.id, id)).returning({ id: rules.id })).length > 0;
}

export async function markRulesFired(db: Db, ids: number[], at: Date): Promise<void> {
  if (ids.length === 0) return;
  await db
    .update(rules)
    .set({ fireCount: sql`${rules.fireCount} + 1`, lastFiredAt: at })
    .where(inArray(rules.id, ids));
}

/** The ticket, its customer and (when given) a message, as rule conditions see them. */
export async function selectRuleFactsRows(db: Db, ticketId: number, messageId: number | null) {
  const [row] = await db
    .select({
      priority: tickets.priority,
      status: tickets.status,
      channel: tickets.channel,
      teamId: tickets.teamId,
      assigneeId: tickets.assigneeId,
      tags: tickets.tags,
      subject: tickets.subject,
      frustrationScore: tickets.frustrationScore,
      customerTier: customers.tier,
      customerTags: customers.tags,
      customerRiskBand: sql<
        string | null
      >`(select r.band from customer_risk r where r.customer_id = "tickets"."customer_id")`,
      emails: sql<string[]>`coalesce((select array_agg(ci.value order by ci.is_primary desc, ci.id)
        from ${customerIdentities} ci where ci.customer_id = ${customers.id} and ci.kind = 'email'), '{}')`,
      messageText: sql<string | null>`(select m.text from ${messages} m where m.id = ${messageId}
        and m.ticket_id = ${tickets.id})`,
      firstMessageText: sql<string | null>`(select m.text from ${messages} m where m.ticket_id = ${tickets.id}
        and not m.is_internal order by m.created_at, m.id limit 1)`,
    })
    .from(tickets)
    .innerJoin(customers, eq(customers.id, tickets.customerId))
    .where(eq(tickets.id, ticketId));
  return row;
}
