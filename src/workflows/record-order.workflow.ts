import type { AppContext } from "../context.ts";
import { withTransaction } from "../db/transaction.ts";
import {
  type CreateOrderInput,
  changeOrderStatus,
  createOrderWith,
  type OrderRow,
  type OrderStatus,
} from "../modules/orders/orders.service.ts";
import { scheduleOrderCheckIn } from "./survey-follow-up.workflow.ts";

/** Records an order and, in the same transaction, schedules what follows it (the purchase check-in). */
export async function recordOrder(ctx: AppContext, input: CreateOrderInput): Promise<OrderRow> {
  return createOrderWith(ctx, input, async (tx, order) => {
    await scheduleOrderCheckIn(tx, order, "placed");
    if (order.status === "delivered") await scheduleOrderCheckIn(tx, order, "delivered");
  });
}

/** Moves an order to a new status; reaching "delivered" schedules the check-in when it keys off delivery. */
export async function updateOrderStatus(
  ctx: AppContext,
  orderId: number,
  status: OrderStatus,
): Promise<OrderRow> {
  return withTransaction(ctx, async (tx) => {
    const { before, after } = await changeOrderStatus(tx, orderId, status);
    if (after.status === "delivered" && before.status !== "delivered") {
      await scheduleOrderCheckIn(tx, after, "delivered");
    }
    return after;
  });
}
