import type { ServiceContext } from "../../context.ts";
import type { OrderItem } from "../../db/schema.ts";
import { withTransaction } from "../../db/transaction.ts";
import { isUniqueViolation } from "../../db/unique-violation.ts";
import { conflict, notFound, validationFailed } from "../../errors.ts";
import { customerExists } from "../customers/customer-profile.service.ts";
import { findOrCreateCustomerByIdentity } from "../customers/customers.service.ts";
import { recordTimelineEvent } from "../timeline/timeline.service.ts";
import {
  insertOrder,
  type Keyset,
  type OrderRow,
  selectCustomerOrderTotals,
  selectOrderByExternalId,
  selectOrders,
} from "./orders.repo.ts";

export type { Keyset, OrderRow } from "./orders.repo.ts";
export type OrderStatus = OrderRow["status"];

export type CreateOrderInput = {
  customerId?: number;
  customer?: { email: string; name?: string };
  externalId?: string | null;
  placedAt: Date;
  /** Integer minor units (cents, pence, ...). */
  amountMinor: number;
  /** ISO 4217 code, three upper-case letters. */
  currency: string;
  items?: OrderItem[];
  status?: OrderStatus;
};

/** Records an order for a customer (found or created by email) and adds it to the customer's timeline. */
export async function createOrder(ctx: ServiceContext, input: CreateOrderInput): Promise<OrderRow> {
  if (!Number.isSafeInteger(input.amountMinor)) throw validationFailed("amountMinor must be an integer");
  if (!/^[A-Z]{3}$/.test(input.currency))
    throw validationFailed("currency must be an ISO 4217 code like EUR");
  try {
    return await withTransaction(ctx, async (tx) => {
      let customerId: number;
      if (input.customerId !== undefined) {
        if (!(await customerExists(tx, input.customerId))) throw notFound("Customer", input.customerId);
        customerId = input.customerId;
      } else if (input.customer) {
        ({ customerId } = await findOrCreateCustomerByIdentity(tx, {
          kind: "email",
          value: input.customer.email,
          name: input.customer.name ?? null,
        }));
      } else {
        throw validationFailed("An order needs customerId or customer");
      }
      const order = await insertOrder(tx.db, {
        customerId,
        externalId: input.externalId ?? null,
        placedAt: input.placedAt,
        amountMinor: input.amountMinor,
        currency: input.currency,
        items: input.items ?? [],
        status: input.status ?? "placed",
        createdAt: ctx.clock.now(),
      });
      await recordTimelineEvent(tx.db, {
        customerId,
        kind: "order.placed",
        summary: `Order ${order.externalId ?? `#${order.id}`} placed: ${formatMoney(order.amountMinor, order.currency)}`,
        data: { orderId: order.id, amountMinor: order.amountMinor, currency: order.currency },
        occurredAt: order.placedAt,
      });
      return order;
    });
  } catch (error) {
    if (input.externalId && isUniqueViolation(error)) {
      const existing = await selectOrderByExternalId(ctx.db, input.externalId);
      throw conflict(`An order with externalId ${input.externalId} already exists`, {
        orderId: existing?.id,
      });
    }
    throw error;
  }
}

/** "12.34 EUR" for timeline summaries; currencies without two decimals still read sensibly. */
export function formatMoney(amountMinor: number, currency: string): string {
  const digits =
    new Intl.NumberFormat("en", { style: "currency", currency }).resolvedOptions().maximumFractionDigits ?? 2;
  return `${(amountMinor / 10 ** digits).toFixed(digits)} ${currency}`;
}

export async function listOrders(
  ctx: Pick<ServiceContext, "db">,
  filter: { customerId?: number },
  page: { limit: number; after?: Keyset },
): Promise<{ rows: OrderRow[]; next: Keyset | null }> {
  const rows = await selectOrders(ctx.db, filter, page);
  if (rows.length <= page.limit) return { rows, next: null };
  const pageRows = rows.slice(0, page.limit);
  const last = pageRows[pageRows.length - 1];
  return { rows: pageRows, next: { atMicros: last.cursorAtMicros, id: last.id } };
}

/** What the customer page shows about orders: count, per-currency totals and the most recent ones. */
export async function summarizeCustomerOrders(
  ctx: Pick<ServiceContext, "db">,
  customerId: number,
  recent = 20,
) {
  const totals = await selectCustomerOrderTotals(ctx.db, customerId);
  const { rows } = await listOrders(ctx, { customerId }, { limit: recent });
  return {
    count: totals.reduce((sum, row) => sum + row.count, 0),
    totals: totals.map(({ currency, amountMinor }) => ({ currency, amountMinor })),
    recent: rows,
  };
}
