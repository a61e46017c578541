import { and, asc, eq, sql } from "drizzle-orm";
import type { Db } from "../../db/client.ts";
import { customerIdentities, customers, organizations, timelineEvents } from "../../db/schema.ts";

export type Keyset = { atMicros: string; id: number };

function escapeLike(value: string): string {
  return value.replace(/[\\%_]/g, (c) => `\\${c}`);
}

export type CustomerListRow = {
  id: number;
  name: string | null;
  tier: string | null;
  tags: string[];
  createdAt: Date;
  organizationId: number | null;
  organizationName: string | null;
  email: string | null;
  phone: string | null;
  cursorAtMicros: string;
};

const primaryIdentity = (kind: "email" | "phone") => sql<string | null>`(
  select ci.value from ${customerIdentities} ci where ci.customer_id = ${customers.id} and ci.kind = ${kind}
  order by ci.is_primary desc, ci.id limit 1)`;

/** Customers newest first; q matches the name or any identity (email, phone, ...) case-insensitively. */
export async function selectCustomers(
  db: Db,
  filter: { q?: string },
  page: { limit: number; after?: Keyset },
): Promise<CustomerListRow[]> {
  const q = filter.q?.trim();
  const pattern = q ? `%${escapeLike(q)}%` : null;
  const search = pattern
    ? sql`(${customers.name} ilike ${pattern} or exists (
        select 1 from ${customerIdentities} ci where ci.customer_id = ${customers.id} and ci.value ilike ${pattern}))`
    : undefined;
  return db
    .select({
      id: customers.id,
      name: customers.name,
      tier: customers.tier,
      tags: customers.tags,
      createdAt: customers.createdAt,
      organizationId: organizations.id,
      organizationName: organizations.name,
      email: primaryIdentity("email"),
      phone: primaryIdentity("phone"),
      cursorAtMicros: sql<string>`(extract(epoch from ${customers.createdAt}) * 1000000)::bigint::text`,
    })
    .from(customers)
    .leftJoin(organizations, eq(organizations.id, customers.organizationId))
    .where(
      and(
        search,
        page.after
          ? sql`(${customers.createdAt}, ${customers.id}) < (timestamptz 'epoch' + ${page.after.atMicros}::bigint * interval '1 microsecond', ${page.after.id})`
          : undefined,
      ),
    )
    .orderBy(sql`${customers.createdAt} desc nulls last`, sql`${customers.id} desc nulls last`)
    .limit(page.limit + 1);
}

export async function selectCustomerWithOrganization(db: Db, customerId: number) {
  const [row] = await db
    .select({ customer: customers, organization: { id: organizations.id, name: organizations.name } })
    .from(customers)
    .leftJoin(organizations, eq(organizations.id, customers.organizationId))
    .where(eq(customers.id, customerId));
  return row;
}

export async function selectCustomerIdentities(db: Db, customerId: number) {
  return db
    .select({
      kind: customerIdentities.kind,
      value: customerIdentities.value,
      isPrimary: customerIdentities.isPrimary,
    })
    .from(customerIdentities)
    .where(eq(customerIdentities.customerId, customerId))
    .orderBy(
      asc(customerIdentities.kind),
      sql`${customerIdentities.isPrimary} desc`,
      asc(customerIdentities.id),
    );
}

/** The customer's primary email address (else their oldest), with their name. */
export async function selectCustomerEmail(db: Db, customerId: number) {
  const [row] = await db
    .select({ address: customerIdentities.value, name: customers.name })
    .from(customerIdentities)
    .innerJoin(customers, eq(customers.id, customerIdentities.customerId))
    .where(and(eq(customerIdentities.customerId, customerId), eq(customerIdentities.kind, "email")))
    .orderBy(sql`${customerIdentities.isPrimary} desc`, asc(customerIdentities.id))
    .limit(1);
  return row;
}

export async function selectTimeline(db: Db, customerId: number, page: { limit: number; after?: Keyset }) {
  return db
    .select({
      id: timelineEvents.id,
      kind: timelineEvents.kind,
      summary: timelineEvents.summary,
      ticketId: timelineEvents.ticketId,
      occurredAt: timelineEvents.occurredAt,
      data: timelineEvents.data,
      cursorAtMicros: sql<string>`(extract(epoch from ${timelineEvents.occurredAt}) * 1000000)::bigint::text`,
    })
    .from(timelineEvents)
    .where(
      and(
        eq(timelineEvents.customerId, customerId),
        page.after
          ? sql`(${timelineEvents.occurredAt}, ${timelineEvents.id}) < (timestamptz 'epoch' + ${page.after.atMicros}::bigint * interval '1 microsecond', ${page.after.id})`
          : undefined,
      ),
    )
    .orderBy(sql`${timelineEvents.occurredAt} desc`, sql`${timelineEvents.id} desc`)
    .limit(page.limit + 1);
}

export async function selectCustomerExists(db: Db, customerId: number): Promise<boolean> {
  const [row] = await db.select({ id: customers.id }).from(customers).where(eq(customers.id, customerId));
  return row !== undefined;
}

export async function selectCustomerSegmentFacts(db: Db, customerId: number) {
  const [row] = await db
    .select({ tier: customers.tier, tags: customers.tags })
    .from(customers)
    .where(eq(customers.id, customerId));
  return row;
}
