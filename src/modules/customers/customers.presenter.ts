import type { z } from "zod";
import { presentOrder } from "../orders/orders.presenter.ts";
import { presentTicketSummary } from "../tickets/tickets.presenter.ts";
import type { CustomerListRow, CustomerProfile } from "./customer-profile.service.ts";
import type { customerDetailSchema, customerListItemSchema } from "./customers.schemas.ts";

export function presentCustomerListItem(row: CustomerListRow): z.infer<typeof customerListItemSchema> {
  return {
    id: row.id,
    name: row.name,
    email: row.email,
    phone: row.phone,
    organization:
      row.organizationId !== null ? { id: row.organizationId, name: row.organizationName ?? "" } : null,
    tier: row.tier,
    tags: row.tags,
    createdAt: row.createdAt.toISOString(),
  };
}

export function presentCustomerDetail(profile: CustomerProfile): z.infer<typeof customerDetailSchema> {
  const customer = profile.customer;
  return {
    id: customer.id,
    name: customer.name,
    organization: profile.organization,
    tier: customer.tier,
    tags: customer.tags,
    identities: profile.identities.map(({ kind, value }) => ({ kind, value })),
    orders: {
      count: profile.orders.count,
      totals: profile.orders.totals,
      recent: profile.orders.recent.map(presentOrder),
    },
    tickets: profile.tickets.map((ticket) => presentTicketSummary(ticket, profile.ticketSla)),
    createdAt: customer.createdAt.toISOString(),
  };
}
