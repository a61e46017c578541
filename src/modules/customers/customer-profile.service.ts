import type { ServiceContext } from "../../context.ts";
import { withTransaction } from "../../db/transaction.ts";
import { isUniqueViolation } from "../../db/unique-violation.ts";
import { conflict, notFound } from "../../errors.ts";
import { summarizeCustomerOrders } from "../orders/orders.service.ts";
import { getSlaStates } from "../sla/sla.service.ts";
import { listCustomerTickets } from "../tickets/tickets-inbox.service.ts";
import {
  type CustomerListRow,
  type Keyset,
  selectCustomerExists,
  selectCustomerIdentities,
  selectCustomers,
  selectCustomerWithOrganization,
  selectTimeline,
} from "./customers.repo.ts";
import { type CreateCustomerInput, createCustomer, findCustomerIdByIdentity } from "./customers.service.ts";

type Ctx = Pick<ServiceContext, "db">;

export type { CustomerListRow, Keyset } from "./customers.repo.ts";

export async function customerExists(ctx: Ctx, customerId: number): Promise<boolean> {
  return selectCustomerExists(ctx.db, customerId);
}

export async function listCustomers(
  ctx: Ctx,
  filter: { q?: string },
  page: { limit: number; after?: Keyset },
): Promise<{ rows: CustomerListRow[]; next: Keyset | null }> {
  const rows = await selectCustomers(ctx.db, filter, page);
  if (rows.length <= page.limit) return { rows, next: null };
  const pageRows = rows.slice(0, page.limit);
  const last = pageRows[pageRows.length - 1];
  return { rows: pageRows, next: { atMicros: last.cursorAtMicros, id: last.id } };
}

/** Creates a customer; an identity (email, phone, ...) already on another customer is a conflict naming them. */
export async function createCustomerChecked(
  ctx: ServiceContext,
  input: CreateCustomerInput,
): Promise<number> {
  for (const identity of input.identities) {
    const owner = await findCustomerIdByIdentity(ctx.db, identity.kind, identity.value);
    if (owner !== null) {
      throw conflict(`${identity.kind} ${identity.value} already belongs to customer ${owner}`, {
        customerId: owner,
      });
    }
  }
  try {
    return await withTransaction(ctx, (tx) => createCustomer(tx, input));
  } catch (error) {
    if (isUniqueViolation(error))
      throw conflict("One of these identities already belongs to another customer");
    throw error;
  }
}

/** Everything the customer page shows: identities, organisation, orders with totals and recent tickets. */
export async function getCustomerProfile(ctx: Pick<ServiceContext, "db" | "clock">, customerId: number) {
  const found = await selectCustomerWithOrganization(ctx.db, customerId);
  if (!found) throw notFound("Customer", customerId);
  const identities = await selectCustomerIdentities(ctx.db, customerId);
  const orders = await summarizeCustomerOrders(ctx, customerId);
  const tickets = await listCustomerTickets(ctx, customerId, 20);
  const ticketSla = await getSlaStates(
    ctx,
    tickets.map((ticket) => ticket.id),
  );
  return {
    customer: found.customer,
    organization: found.organization?.id
      ? { id: found.organization.id, name: found.organization.name }
      : null,
    identities,
    orders,
    tickets,
    ticketSla,
  };
}

export type CustomerProfile = Awaited<ReturnType<typeof getCustomerProfile>>;

export async function listCustomerTimeline(
  ctx: Ctx,
  customerId: number,
  page: { limit: number; after?: Keyset },
) {
  if (!(await customerExists(ctx, customerId))) throw notFound("Customer", customerId);
  const rows = await selectTimeline(ctx.db, customerId, page);
  if (rows.length <= page.limit) return { rows, next: null };
  const pageRows = rows.slice(0, page.limit);
  const last = pageRows[pageRows.length - 1];
  return { rows: pageRows, next: { atMicros: last.cursorAtMicros, id: last.id } as Keyset };
}
