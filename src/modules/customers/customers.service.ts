import { and, eq, inArray } from "drizzle-orm";
import type { ServiceContext } from "../../context.ts";
import type { Db } from "../../db/client.ts";
import { customerIdentities, customers } from "../../db/schema.ts";
import { recordTimelineEvent, type TimelineEventInput } from "../timeline/timeline.service.ts";
import { selectCustomerEmail, selectCustomerSegmentFacts } from "./customers.repo.ts";
import { type IdentityKind, normalizeIdentity } from "./identities.ts";

type Ctx = Pick<ServiceContext, "db" | "clock">;

export async function findCustomerIdByIdentity(
  db: Db,
  kind: IdentityKind,
  value: string,
): Promise<number | null> {
  const [row] = await db
    .select({ customerId: customerIdentities.customerId })
    .from(customerIdentities)
    .where(
      and(eq(customerIdentities.kind, kind), eq(customerIdentities.value, normalizeIdentity(kind, value))),
    )
    .limit(1);
  return row?.customerId ?? null;
}

/** Customers owning any of these identities of one kind, keyed by the normalised value; one query for many. */
export async function findCustomerIdsByIdentities(
  db: Db,
  kind: IdentityKind,
  values: string[],
): Promise<Map<string, number>> {
  const found = new Map<string, number>();
  const normalized = [...new Set(values.map((value) => normalizeIdentity(kind, value)))];
  if (normalized.length === 0) return found;
  const rows = await db
    .select({ value: customerIdentities.value, customerId: customerIdentities.customerId })
    .from(customerIdentities)
    .where(and(eq(customerIdentities.kind, kind), inArray(customerIdentities.value, normalized)));
  for (const row of rows) found.set(row.value, row.customerId);
  return found;
}

export type CreateCustomerInput = {
  name?: string | null;
  identities: { kind: IdentityKind; value: string }[];
  organizationId?: number | null;
  tier?: string | null;
  tags?: string[];
};

/** Creates a customer with its identities; an identity that already belongs to someone is a conflict. */
export async function createCustomer(ctx: Ctx, input: CreateCustomerInput): Promise<number> {
  const now = ctx.clock.now();
  const [customer] = await ctx.db
    .insert(customers)
    .values({
      name: input.name ?? null,
      organizationId: input.organizationId ?? null,
      tier: input.tier ?? null,
      tags: input.tags ?? [],
      createdAt: now,
      updatedAt: now,
    })
    .returning({ id: customers.id });
  if (input.identities.length > 0) {
    await ctx.db.insert(customerIdentities).values(
      input.identities.map((identity, index) => ({
        customerId: customer.id,
        kind: identity.kind,
        value: normalizeIdentity(identity.kind, identity.value),
        isPrimary: index === 0,
        createdAt: now,
      })),
    );
  }
  await recordTimelineEvent(ctx.db, {
    customerId: customer.id,
    kind: "customer.created",
    summary: "Customer created",
    occurredAt: now,
  });
  return customer.id;
}

/**
 * The customer with this identity, or a new one. Safe under concurrency: a racing insert of the same identity
 * loses on the unique index and the winner's customer is returned. With `options.timeline`, the "customer.created"
 * event is appended there for the caller to record (in the same transaction) instead of being inserted here.
 */
export async function findOrCreateCustomerByIdentity(
  ctx: Ctx,
  identity: { kind: IdentityKind; value: string; name?: string | null },
  options: { timeline?: TimelineEventInput[] } = {},
): Promise<{ customerId: number; created: boolean }> {
  const existing = await findCustomerIdByIdentity(ctx.db, identity.kind, identity.value);
  if (existing !== null) return { customerId: existing, created: false };
  const now = ctx.clock.now();
  const value = normalizeIdentity(identity.kind, identity.value);
  const [customer] = await ctx.db
    .insert(customers)
    .values({ name: identity.name ?? null, createdAt: now, updatedAt: now })
    .returning({ id: customers.id });
  const inserted = await ctx.db
    .insert(customerIdentities)
    .values({ customerId: customer.id, kind: identity.kind, value, isPrimary: true, createdAt: now })
    .onConflictDoNothing()
    .returning({ id: customerIdentities.id });
  if (inserted.length === 0) {
    await ctx.db.delete(customers).where(eq(customers.id, customer.id));
    const winner = await findCustomerIdByIdentity(ctx.db, identity.kind, identity.value);
    if (winner === null) throw new Error(`identity ${identity.kind}:${value} vanished during creation`);
    return { customerId: winner, created: false };
  }
  const event: TimelineEventInput = {
    customerId: customer.id,
    kind: "customer.created",
    summary: `Customer created from ${identity.kind} ${value}`,
    occurredAt: now,
  };
  if (options.timeline) options.timeline.push(event);
  else await recordTimelineEvent(ctx.db, event);
  return { customerId: customer.id, created: true };
}

/** Adds an identity to a customer; returns false when it already belongs to a customer (this one or another). */
export async function addCustomerIdentity(
  ctx: Ctx,
  customerId: number,
  identity: { kind: IdentityKind; value: string },
): Promise<boolean> {
  const inserted = await ctx.db
    .insert(customerIdentities)
    .values({
      customerId,
      kind: identity.kind,
      value: normalizeIdentity(identity.kind, identity.value),
      createdAt: ctx.clock.now(),
    })
    .onConflictDoNothing()
    .returning({ id: customerIdentities.id });
  return inserted.length > 0;
}

/** A customer's tier and tags (what SLA policies and rules segment by); null for an unknown customer. */
export async function getCustomerTierAndTags(
  ctx: Pick<ServiceContext, "db">,
  customerId: number,
): Promise<{ tier: string | null; tags: string[] } | null> {
  return (await selectCustomerSegmentFacts(ctx.db, customerId)) ?? null;
}

/** Where to mail a customer: their primary email address (else their oldest) and name; null without one. */
export async function findCustomerEmailAddress(
  ctx: Pick<ServiceContext, "db">,
  customerId: number,
): Promise<{ address: string; name: string | null } | null> {
  return (await selectCustomerEmail(ctx.db, customerId)) ?? null;
}
