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
  selectOrderById,
  selectOrders,
  updateOrderStatusRow,
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
  return createOrderWith(ctx, input, async () => undefined);
}

/**
 * createOrder, with `then` run in the same transaction once the order is stored (a workflow schedules what follows
 * an order there, so it exists exactly when the order does).
 */
export async function createOrderWith<C extends ServiceContext>(
  ctx: C,
  input: CreateOrderInput,
  then: (tx: C, order: OrderRow) => Promise<void>,
): Promise<OrderRow> {
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
      await then(tx, order);
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

export async function getOrder(ctx: Pick<ServiceContext, "db">, orderId: number): Promise<OrderRow> {
  const order = await selectOrderById(ctx.db, orderId);
  if (!order) throw notFound("Order", orderId);
  return order;
}

/**
 * Moves an order to another status (paid, fulfilled, delivered, ...) and notes it on the customer's timeline. Call
 * inside a transaction; returns the order before and after.
 */
export async function changeOrderStatus(
  ctx: ServiceContext,
  orderId: number,
  status: OrderStatus,
): Promise<{ before: OrderRow; after: OrderRow }> {
  const before = await selectOrderById(ctx.db, orderId, { forUpdate: true });
  if (!before) throw notFound("Order", orderId);
  if (before.status === status) return { before, after: before };
  const after = await updateOrderStatusRow(ctx.db, orderId, status);
  await recordTimelineEvent(ctx.db, {
    customerId: after.customerId,
    kind: "order.status_changed",
    summary: `Order ${after.externalId ?? `#${after.id}`} ${before.status} → ${status}`,
    data: { orderId, from: before.status, to: status },
    occurredAt: ctx.clock.now(),
  });
  return { before, after };
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
