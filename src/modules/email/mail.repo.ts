import { and, asc, desc, eq, isNotNull } from "drizzle-orm";
import type { Db } from "../../db/client.ts";
import { customerIdentities, customers, messages, workspace } from "../../db/schema.ts";

// SQL for the email module only; threading and delivery rules live in the services and pure files.

export async function findWorkspaceMailIdentity(
  db: Db,
): Promise<{ name: string; supportAddress: string } | null> {
  const [row] = await db
    .select({ name: workspace.name, supportAddress: workspace.supportAddress })
    .from(workspace)
    .limit(1);
  return row ?? null;
}

/** The customer's primary email address (else their oldest), with their name. */
export async function findCustomerEmail(
  db: Db,
  customerId: number,
): Promise<{ address: string; name: string | null } | null> {
  const [row] = await db
    .select({ address: customerIdentities.value, name: customers.name })
    .from(customerIdentities)
    .innerJoin(customers, eq(customers.id, customerIdentities.customerId))
    .where(and(eq(customerIdentities.customerId, customerId), eq(customerIdentities.kind, "email")))
    .orderBy(desc(customerIdentities.isPrimary), asc(customerIdentities.id))
    .limit(1);
  return row ?? null;
}

/** The newest inbound mail of a ticket that carries a Message-ID: what an agent's reply answers. */
export async function findLatestInboundMail(
  db: Db,
  ticketId: number,
): Promise<{ mailMessageId: string; references: string[] } | null> {
  const [row] = await db
    .select({ mailMessageId: messages.mailMessageId, references: messages.references })
    .from(messages)
    .where(
      and(
        eq(messages.ticketId, ticketId),
        eq(messages.direction, "inbound"),
        eq(messages.isAutomated, false),
        isNotNull(messages.mailMessageId),
      ),
    )
    .orderBy(desc(messages.createdAt), desc(messages.id))
    .limit(1);
  if (!row?.mailMessageId) return null;
  return { mailMessageId: row.mailMessageId, references: row.references };
}
